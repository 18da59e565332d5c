"""The browser for one run: launch, context, the main tab, screenshots and tracing.

Tracing starts only after login: a trace records typed text, and the password must not be in it.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType

import structlog
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Response,
)
from playwright.sync_api import Error as PlaywrightError

from emsys_rpa.browser import prestart
from emsys_rpa.browser.discovery import BrowserChoice, bundled_chromium, find_browser
from emsys_rpa.browser.driver_env import start_driver
from emsys_rpa.errors import BrowserLaunchError, EmsysError, PortalUnreachableError
from emsys_rpa.fsutil import private_dir, private_file
from emsys_rpa.redaction import error_line
from emsys_rpa.settings import Settings

log = structlog.get_logger("emsys_rpa.browser")


EVIDENCE_JPEG_QUALITY = 70
# Every password field is painted over in every screenshot, in every frame and shadow root
# (Playwright applies the style to all of them), whatever the page shows: its text is made
# transparent over a solid box of the colour Playwright's own mask uses. A stylesheet is part
# of the screenshot's one preparation pass; a mask of locators is one more pass per frame.
SCREENSHOT_STYLE = (
    "input[type=password], input[type=password]:focus {"
    " color: transparent !important; text-shadow: none !important;"
    " caret-color: transparent !important;"
    " background: #ff00ff !important; }"
)


def _safe_name(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "shot"


def has_display() -> bool:
    """A headed browser has somewhere to draw (always, except on Linux without X or Wayland)."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class BrowserSession:
    """One browser, one context, its main tab, screenshots into ``run_dir/screenshots``."""

    def __init__(
        self,
        settings: Settings,
        run_dir: Path | None,
        *,
        meanwhile: Callable[[], object] = lambda: None,
    ) -> None:
        self.settings = settings
        self.run_dir = run_dir
        # Started just before the browser is launched: work for a thread to do while this
        # one only waits for the browser.
        self.meanwhile = meanwhile
        self.choice: BrowserChoice | None = None
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self._context: BrowserContext | None = None
        self._page: Page | None = None
        self._tracing = False
        self._trace_paused = False  # stopped for a new login: never restarted
        self._trace_saved = False  # what was recorded before that is in trace.zip already
        self._shots = 0
        # HTTP status of the document each window shows (a 503 page has no menu to click).
        self._document_status: dict[int, int] = {}
        # Server clock minus ours, from the Date header of the last page loaded (seconds).
        self.clock_offset_s: float | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> BrowserSession:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def browser_choice(self, bundled: Callable[[], str | None] | None = None) -> BrowserChoice:
        """Which browser to launch, with which flags (the private CA's trust among them)."""
        cfg = self.settings.browser
        extra = tuple(cfg.extra_args)
        if self.settings.portal.ca_bundle is not None:
            # Imported only for a private CA: cryptography is slow to import for every run.
            from emsys_rpa.browser.tls import trust_args

            extra += (trust_args(self.settings.portal.ca_bundle, self.settings.portal.url),)
        return find_browser(
            cfg.executable, cfg.channel, extra, headless=cfg.headless, bundled=bundled
        )

    def open(self) -> None:
        cfg = self.settings.browser
        if not cfg.headless and not has_display():
            raise BrowserLaunchError(
                "--headed needs a display, and none was found (DISPLAY and WAYLAND_DISPLAY "
                "are not set)",
                hint="run without --headed, or under a display (xvfb-run emsys-rpa …)",
            )
        self._pw = prestart.take() or start_driver()
        try:
            # The driver just started answers "is Playwright's Chromium there?": no second one.
            pw = self._pw
            self.choice = self.browser_choice(lambda: bundled_chromium(pw.chromium.executable_path))
            self.meanwhile()
            try:
                self._browser = self._pw.chromium.launch(
                    headless=cfg.headless,
                    slow_mo=cfg.slow_mo_ms or None,
                    **self.choice.launch_kwargs(),
                )
            except PlaywrightError as exc:
                raise BrowserLaunchError(
                    f"the browser ({self.choice.describe()}) could not start: {error_line(exc)}",
                    hint="check `emsys-rpa browser`, browser.executable and browser.extra_args",
                ) from None
            portal = self.settings.portal
            self._context = self._browser.new_context(
                ignore_https_errors=portal.ignore_https_errors,
                locale="ro-RO",
                timezone_id=portal.timezone,
                viewport={"width": 1366, "height": 900},
                accept_downloads=False,
            )
        except BaseException:
            self.close()
            raise
        self._context.set_default_timeout(portal.action_timeout_s * 1000)
        self._context.set_default_navigation_timeout(portal.navigation_timeout_s * 1000)
        self._context.on("response", self._on_response)
        self._page = self._context.new_page()
        log.info("browser started", browser=self.choice.describe(), headless=cfg.headless)

    def close(self) -> None:
        # Closing the browser closes its context: no round trip of its own for that.
        for closer in (
            self._browser.close if self._browser else None,
            self._pw.stop if self._pw else None,
        ):
            if closer is not None:
                with suppress(Exception):
                    closer()
        self._context = self._browser = self._page = None
        self._pw = None

    def _on_response(self, response: Response) -> None:
        try:
            request = response.request
            if request.is_navigation_request() and request.frame.parent_frame is None:
                self._document_status[id(request.frame.page)] = response.status
                self._note_server_clock(response.headers.get("date"))
        except PlaywrightError:
            return

    def _note_server_clock(self, header: str | None) -> None:
        if not header:
            return
        try:
            server = parsedate_to_datetime(header)
        except (TypeError, ValueError):
            return
        if server.tzinfo is None:
            return
        self.clock_offset_s = (server - datetime.now(UTC)).total_seconds()

    def document_status(self, page: Page | None = None) -> int | None:
        """HTTP status of the page's current document (None before any navigation)."""
        return self._document_status.get(id(page or self.page))

    def shows_server_error(self, page: Page | None = None) -> bool:
        status = self.document_status(page)
        return status is not None and status >= 500

    # -- accessors -------------------------------------------------------------------------

    @property
    def context(self) -> BrowserContext:
        if self._context is None:
            raise RuntimeError("browser session is not open")
        return self._context

    @property
    def page(self) -> Page:
        """The robot's main tab (the one it logged in on)."""
        if self._page is None:
            raise RuntimeError("browser session is not open")
        return self._page

    def goto(self, url: str) -> None:
        """Open ``url`` in the main tab; unreachable portals become PortalUnreachableError."""
        try:
            response = self.page.goto(url, wait_until="domcontentloaded")
        except PlaywrightError as exc:
            first = error_line(exc)
            if "ERR_CERT" in first or "SSL" in first:
                # Not transient: retrying cannot make an untrusted certificate trusted.
                raise EmsysError(
                    f"the portal's certificate is not trusted at {url}: {first}",
                    hint="if it comes from a company CA, set ca_bundle under [portal]",
                ) from None
            raise PortalUnreachableError(
                f"cannot open {url}: {first}",
                hint="check portal.url, the network/VPN and that the portal is up",
            ) from None
        if response is not None and response.status >= 500:
            raise PortalUnreachableError(
                f"the portal answered {response.status} at {url}",
                hint="the portal is down or overloaded; try again later",
            )

    def top_page(self) -> Page:
        """The window a person would be looking at: the newest open tab/popup."""
        pages = [p for p in self.context.pages if not p.is_closed()]
        return pages[-1] if pages else self.page

    def close_extra_pages(self) -> None:
        """Close popups left behind by a failed step, so the next task starts from the main tab."""
        for extra in list(self.context.pages):
            if extra is not self._page and not extra.is_closed():
                with suppress(PlaywrightError):
                    extra.close()

    # -- evidence --------------------------------------------------------------------------

    def screenshot(self, name: str, *, evidence: bool = False) -> str | None:
        """Full-page screenshot of the top window, password fields painted over; the path
        relative to the run folder.

        ``evidence``: a shot every successful run takes (the filled form, the message, the
        history), saved as a JPEG — several times cheaper to encode and to embed in the report.
        A failure's shot stays a lossless PNG: it is looked at closely, and rarely taken.
        """
        if self.run_dir is None or self._context is None:
            return None
        self._shots += 1
        suffix = "jpg" if evidence else "png"
        relative = Path("screenshots") / f"{self._shots:02d}-{_safe_name(name)}.{suffix}"
        target = self.run_dir / relative
        # Screenshots show customer data: owner-only, like the run folder.
        private_dir(target.parent)
        try:
            self.top_page().screenshot(
                path=str(target),
                full_page=True,
                style=SCREENSHOT_STYLE,
                timeout=10_000,
                type="jpeg" if evidence else "png",
                quality=EVIDENCE_JPEG_QUALITY if evidence else None,
            )
        except PlaywrightError as exc:
            log.warning("screenshot failed", name=name, error=error_line(exc))
            return None
        private_file(target)
        return relative.as_posix()

    def start_tracing(self) -> None:
        """Start the Playwright trace: call only once the password has been typed and sent.

        Actions only by default (each call, its timing and error, the console and the network):
        with the run's own screenshots of the form, the message, the history and the failure,
        that shows what happened, and a screencast cost ~0.25 s per run. ``trace = "full"``
        adds the screencast and DOM snapshots.
        """
        mode = self.settings.run.trace
        if mode == "off" or self._tracing or self._trace_paused:
            return
        with suppress(PlaywrightError):
            self.context.tracing.start(
                screenshots=mode == "full", snapshots=mode == "full", sources=False
            )
            self._tracing = True

    def pause_tracing_for_login(self) -> None:
        """Stop the trace before a new login: it would record the password being typed.

        What was recorded so far is kept aside and handled by ``stop_tracing`` like a whole
        trace; tracing is not resumed for the rest of the run.
        """
        if not self._tracing or self._context is None:
            return
        self._tracing = False
        self._trace_paused = True
        try:
            if self.run_dir is not None:
                self.context.tracing.stop(path=str(self.run_dir / "trace.zip"))
                private_file(self.run_dir / "trace.zip")
                self._trace_saved = True
            else:
                self.context.tracing.stop()
        except PlaywrightError as exc:
            log.warning("trace not saved", error=error_line(exc))
        log.info("trace stopped before logging in again (it would record the password)")

    def stop_tracing(self, *, failed: bool) -> str | None:
        """Stop the trace; keep it (``trace.zip``) if the policy says so. Relative path or None."""
        mode = self.settings.run.trace
        keep = mode in ("always", "full") or (mode == "on-failure" and failed)
        if self._trace_saved and self.run_dir is not None:
            if keep:
                return "trace.zip"
            with suppress(OSError):
                (self.run_dir / "trace.zip").unlink()
            return None
        if not self._tracing or self._context is None:
            return None
        self._tracing = False
        try:
            if keep and self.run_dir is not None:
                self.context.tracing.stop(path=str(self.run_dir / "trace.zip"))
                private_file(self.run_dir / "trace.zip")
                return "trace.zip"
            self.context.tracing.stop()
        except PlaywrightError as exc:
            log.warning("trace not saved", error=error_line(exc))
        return None
