"""Page-object tests run against small pages of our own, not the mock portal.

The robot is meant for markup it has never seen, so it is tested on markup written without
looking at the mock portal: labels linked and loose, windows as dialogs, positioned boxes,
iframes and popups, native and HTML messages, postbacks, delayed grids.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Page

from emsys_rpa.pages.dialogs import DialogKeeper
from emsys_rpa.pages.locate import Finder
from emsys_rpa.pages.windows import Windows


@dataclass
class Kit:
    """What a page object needs, wired to pytest-playwright's page."""

    page: Page
    finder: Finder
    dialogs: DialogKeeper
    windows: Windows


@pytest.fixture
def kit(page: Page) -> Kit:
    page.set_default_timeout(5000)
    dialogs = DialogKeeper()
    dialogs.attach(page.context)
    finder = Finder(page.context, {}, timeout_s=3)
    return Kit(page, finder, dialogs, Windows(finder, dialogs, page))


Handler = Callable[[str, dict[str, list[str]]], str]


@dataclass
class TinyServer:
    """A local HTTP server whose pages are Python functions (method, form) -> HTML."""

    url: str
    routes: dict[str, Handler]
    posts: list[dict[str, list[str]]] = field(default_factory=list)


@pytest.fixture
def tiny_server() -> Iterator[TinyServer]:
    routes: dict[str, Handler] = {}
    posts: list[dict[str, list[str]]] = []

    class _Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return None

        def _answer(self, method: str, form: dict[str, list[str]]) -> None:
            handler = routes.get(self.path.split("?")[0])
            if handler is None:
                self.send_error(404)
                return
            body = handler(method, form).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self._answer("GET", {})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
            posts.append(form)
            self._answer("POST", form)

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield TinyServer(f"http://127.0.0.1:{server.server_address[1]}", routes, posts)
    finally:
        server.shutdown()
        server.server_close()
