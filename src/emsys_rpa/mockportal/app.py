"""The Starlette application: routes, the signed session cookie, faults and request accounting."""

from __future__ import annotations

import asyncio
import time
from email.utils import formatdate
from typing import Final

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emsys_rpa.mockportal import pages as p
from emsys_rpa.mockportal.portal import PortalState, utc_now

MOCK_PREFIX: Final = "/__mock__/"
SESSION_COOKIE: Final = "ASP.NET_SessionId"
FAVICON: Final = "/favicon.ico"


class FaultsAndAccounting:
    """Outermost middleware: records every portal request and injects the configured faults.

    ``/__mock__/`` endpoints are neither faulted nor recorded: they are not part of the portal.
    Nor is the favicon, which browsers fetch on their own and would make "the first N requests
    after login" depend on the browser.
    """

    def __init__(self, app: ASGIApp, portal: PortalState, pages: p.Pages) -> None:
        self.app = app
        self.portal = portal
        self.pages = pages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"].startswith(MOCK_PREFIX)
            or (scope["path"] == FAVICON)
        ):
            await self.app(scope, receive, send)
            return
        started = utc_now()
        clock = time.perf_counter()
        status = 500

        async def send_recording(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                # A real server's Date header follows its own clock, shifted --today included.
                date = formatdate(self.portal.clock.epoch(), usegmt=True).encode()
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"date"]
                message = {**message, "headers": [*headers, (b"date", date)]}
            await send(message)

        try:
            faults = self.portal.faults
            if faults.latency_ms:
                await asyncio.sleep(faults.latency_ms / 1000)
            if faults.down or self.portal.take_unavailable():
                await self.pages.unavailable()(scope, receive, send_recording)
            else:
                await self.app(scope, receive, send_recording)
        finally:
            self.portal.record_request(
                scope["method"],
                scope["path"],
                status,
                started,
                (time.perf_counter() - clock) * 1000,
            )


def build_app(portal: PortalState) -> Starlette:
    pages = p.Pages(portal)

    async def root(request: Request) -> Response:
        return RedirectResponse(p.LOGIN_PATH, status_code=302)

    async def favicon(request: Request) -> Response:
        return Response(status_code=204)

    async def ledger(request: Request) -> Response:
        return JSONResponse(portal.ledger())

    async def requests_log(request: Request) -> Response:
        return JSONResponse(portal.requests())

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True})

    routes = [
        Route("/", root),
        Route(FAVICON, favicon),
        Route(p.LOGIN_PATH, pages.login, methods=["GET", "POST"]),
        Route("/Logout.aspx", pages.logout),
        Route(p.HOME_PATH, pages.home),
        Route(p.ALERTS_PATH, pages.alerts, methods=["GET", "POST"]),
        Route(p.INVOICES_PATH, pages.invoices, methods=["GET", "POST"]),
        Route(p.ALERT_CONFIG_WINDOW, pages.window, methods=["GET", "POST"]),
        Route(p.ALERT_MODE_WINDOW, pages.window, methods=["GET", "POST"]),
        Route(p.INVOICE_WINDOW, pages.window, methods=["GET", "POST"]),
        *(Route(path, pages.restricted) for path in p.RESTRICTED_PAGES),
        Route(MOCK_PREFIX + "ledger", ledger),
        Route(MOCK_PREFIX + "requests", requests_log),
        Route(MOCK_PREFIX + "health", health),
    ]
    return Starlette(
        routes=routes,
        middleware=[
            Middleware(FaultsAndAccounting, portal=portal, pages=pages),
            Middleware(
                SessionMiddleware,
                secret_key=portal.secret_key,
                session_cookie=SESSION_COOKIE,
                max_age=None,
                same_site="lax",
            ),
        ],
    )
