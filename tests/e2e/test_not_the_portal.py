"""Issue 14, defect 11: an address that is not the portal is a configuration error (exit 2)
that says what the page is, not a selector to set."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from emsys_rpa.browser import BrowserChoice

from .conftest import explain, run_cli

PAGES = {
    "/missing": (404, "<html><head><title>404 - Not Found</title></head><body>Nu există.</body>"),
    "/intranet": (
        200,
        "<html><head><title>Intranet Apa Nova</title></head><body><h1>Bine ați venit</h1>"
        "<p>Căutare: <input type=text name=q></p></body></html>",
    ),
}


@pytest.fixture
def site() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return None

        def do_GET(self) -> None:
            status, body = PAGES.get(self.path, (404, "<title>404</title>"))
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("path", "said"),
    [("/missing", "HTTP 404, title “404 - Not Found”"), ("/intranet", "title “Intranet Apa Nova”")],
)
def test_a_page_that_is_not_the_portal_is_a_configuration_error(
    site: str, path: str, said: str, tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    portal: Any = SimpleNamespace(url=site + path, username="operator", password="Parola-Secreta-1")
    run = run_cli(["run"], portal=portal, tmp_path=tmp_path, browser_choice=browser_choice)
    assert run.code == 2, explain(run)
    text = run.all_output()
    assert "does not look like the EMSYS login page" in text
    assert said in text
    assert "login_username" not in text  # the selectors are not to blame
    assert "Parola-Secreta-1" not in text
