"""The Starlette application: routes, the signed session cookie, faults and request accounting."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from email.utils import formatdate
from typing import Final
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emsys_rpa.mockportal import pages as p
from emsys_rpa.mockportal.control import control_endpoint
from emsys_rpa.mockportal.faults import StepFault
from emsys_rpa.mockportal.portal import PortalState, utc_now
from emsys_rpa.mockportal.recognise import classify
from emsys_rpa.mockportal.steps import LOGOUT_PATH

MOCK_PREFIX: Final = "/__mock__/"
SESSION_COOKIE: Final = "ASP.NET_SessionId"
FAVICON: Final = "/favicon.ico"
# Scope key: an armed ``expire`` fired at this request (acted on once the session is known).
EXPIRE: Final = "emsys_mock.expire"
# A cut-off answer promises this much and sends none of it.
CUT_OFF_LENGTH: Final = b"4096"


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
        fired: StepFault | None = None
        receive, form = await _read_form(scope, receive)
        query = dict(parse_qsl(scope["query_string"].decode("latin-1")))
        step = classify(scope["method"], scope["path"], query, form)

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
                return
            fired = self.portal.armed.take(
                step, scope["method"], scope["path"], self.portal.clock.now()
            )
            await self._respond(fired, scope, receive, send_recording)
        finally:
            self.portal.record_request(
                scope["method"],
                scope["path"],
                status,
                started,
                (time.perf_counter() - clock) * 1000,
                step=step,
                fault=fired.spec if fired else None,
            )

    async def _respond(
        self, fault: StepFault | None, scope: Scope, receive: Receive, send: Send
    ) -> None:
        action = fault.action if fault else None
        if action in {"503", "down"}:
            if action == "down":
                self.portal.set_faults(down=True)
            await self.pages.unavailable()(scope, receive, send)
        elif action == "late":
            assert fault is not None
            await self.app(scope, receive, _delayed(send, fault.seconds))
        elif action in {"drop", "hang"}:
            await self.app(scope, receive, _discard)
            if action == "drop" or not await self._client_left(receive):
                await _cut_off(send)
        else:
            if action == "expire":
                scope[EXPIRE] = True
            await self.app(scope, receive, send)

    async def _client_left(self, receive: Receive) -> bool:
        """Wait until the client gives up (True) or the portal stops (False)."""
        while not self.portal.stopping.is_set():
            try:
                message = await asyncio.wait_for(receive(), timeout=0.5)
            except TimeoutError:
                continue
            if message["type"] == "http.disconnect":
                return True
        return False


class ArmedExpiry:
    """Inside the session middleware: an armed ``expire`` ends the request's session first."""

    def __init__(self, app: ASGIApp, portal: PortalState) -> None:
        self.app = app
        self.portal = portal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get(EXPIRE):
            sid = scope.get("session", {}).get("sid")
            if isinstance(sid, str):
                self.portal.expire_session(sid)
        await self.app(scope, receive, send)


async def _read_form(scope: Scope, receive: Receive) -> tuple[Receive, dict[str, str]]:
    """A POST's form fields (to name its step), and a ``receive`` that replays the body."""
    if scope["method"] != "POST":
        return receive, {}
    messages: deque[Message] = deque()
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
    form: dict[str, str] = {}
    if Headers(scope=scope).get("content-type", "").startswith("application/x-www-form-urlencoded"):
        body = b"".join(m.get("body", b"") for m in messages)
        form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))

    async def replay() -> Message:
        return messages.popleft() if messages else await receive()

    return replay, form


def _delayed(send: Send, seconds: float) -> Send:
    async def send_late(message: Message) -> None:
        if message["type"] == "http.response.start":
            await asyncio.sleep(seconds)
        await send(message)

    return send_late


async def _discard(message: Message) -> None:
    return None


async def _cut_off(send: Send) -> None:
    """Start an answer and end without it: the server closes the connection (ASGI).

    The status line and headers go out first on purpose: on a connection closed without a
    byte, Chromium sends the POST again by itself (a stale keep-alive socket, it assumes).
    """
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", CUT_OFF_LENGTH),
            ],
        }
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
        Route(LOGOUT_PATH, pages.logout),
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
        Route(MOCK_PREFIX + "control", control_endpoint(portal), methods=["GET", "POST"]),
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
            Middleware(ArmedExpiry, portal=portal),
        ],
    )
