"""Being signed in to the portal: open it, log in, log in again, get back to a usable start page.

Logging in is never retried (portals lock accounts); opening the portal and getting back to its
start page are, while the portal answers 5xx. Getting back is only ever a GET of the start page
(never a reload, which could post a form again) and, if the login form shows, a new login.
The trace is paused before any new login: a trace records typed text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import structlog
from playwright.sync_api import Error as PlaywrightError
from pydantic import SecretStr

from emsys_rpa.app.steps import StepRecorder
from emsys_rpa.browser.session import BrowserSession
from emsys_rpa.errors import (
    ConfigError,
    ElementNotFoundError,
    EmsysError,
    PortalUnreachableError,
)
from emsys_rpa.pages.locate import Finder
from emsys_rpa.pages.login import LoginPage
from emsys_rpa.pages.menu import FUNCTIONALITIES
from emsys_rpa.period import portal_now
from emsys_rpa.redaction import error_line
from emsys_rpa.retrying import DEFAULT_RETRY_ON, safe_step
from emsys_rpa.settings import Settings

log = structlog.get_logger("emsys_rpa.app")

RECOVERED_AFTER_LOGIN = (
    "the portal answered with a server error right after logging in; it passed when asked again"
)
# Beyond this difference between the portal's clock and ours, the portal's is used.
CLOCK_SKEW_S = 60.0


class PortalSession:
    """The signed-in portal for one run: login, re-login, recovery, and the portal's clock."""

    def __init__(
        self,
        settings: Settings,
        browser: BrowserSession,
        finder: Finder,
        steps: StepRecorder,
        *,
        now: Callable[[], datetime],
    ) -> None:
        self.settings = settings
        self.browser = browser
        self.finder = finder
        self.steps = steps
        self._now = now
        self._home_url: str | None = None
        self._skew_logged = False
        self.login_page = LoginPage(
            finder,
            browser.page,
            timeout_s=settings.portal.action_timeout_s,
            server_error=browser.shows_server_error,
            status=browser.document_status,
        )

    # -- the portal's clock ----------------------------------------------------------------

    def now(self) -> datetime:
        """Now on the portal's clock, in its zone.

        Our clock, unless the portal's (its HTTP Date header) is more than a minute away: then
        the history's times and today's date are the portal's, and so must "since" be.
        """
        return portal_clock(
            self.settings,
            self._now(),
            self.browser.clock_offset_s,
            on_skew=self._log_skew,
        )

    def _log_skew(self, offset: float) -> None:
        if not self._skew_logged:
            log.warning("the portal's clock differs from ours", offset_s=round(offset))
            self._skew_logged = True

    # -- signing in ------------------------------------------------------------------------

    def open(self) -> None:
        """Open the portal and log in; a 5xx right after logging in is recovered from."""
        url = self.settings.portal.url
        if not url:
            raise ConfigError("portal.url is not set")
        with self.steps.step(None, "open the portal"):
            for attempt in safe_step(self.settings.retry, "open the portal"):
                with attempt:
                    self.browser.goto(url)
        try:
            self.sign_in(recoverable=True)
        except PortalUnreachableError as exc:
            # Logged in (or not) but the page after it was a 503: ask for it again. Passed
            # then, it is worth a warning, not an error (the run's result is unchanged).
            self.back_to_start()
            log.warning("recovered after logging in", error=error_line(exc))
            self.steps.summary.warnings.append(RECOVERED_AFTER_LOGIN)

    def _password(self) -> SecretStr:
        password = self.settings.password
        if password is None or not self.settings.username:
            raise ConfigError("username and password are required to log in")
        return password

    def sign_in(self, *, recoverable: bool = False) -> None:
        """Log in. ``recoverable``: a 5xx answer is the caller's to retry, so the step records
        it as its detail instead of failing (it is re-raised after the step)."""
        self.browser.pause_tracing_for_login()
        unreachable: PortalUnreachableError | None = None
        with self.steps.step(None, "log in") as step:
            try:
                self.login_page.login(
                    self.settings.username or "",
                    self._password(),
                    signed_in=FUNCTIONALITIES,
                    timeout_s=self.settings.portal.navigation_timeout_s,
                )
            except PortalUnreachableError as exc:
                if not recoverable:
                    raise
                unreachable = exc
                step.detail = f"retrying: {exc.message}"
            else:
                self._home_url = self.browser.page.url
                step.detail = f"logged in as {self.settings.username}"
        if unreachable is not None:
            raise unreachable

    def relogin_if_needed(self) -> None:
        if self.login_page.is_shown():
            log.warning("the portal shows the login form again: logging in again")
            self.sign_in()

    def back_to_start(self) -> None:
        """Recover a usable main window: popups closed, the start page open, logged in."""
        url = self._home_url or self.settings.portal.url or ""

        def once() -> None:
            self.browser.close_extra_pages()
            self.browser.goto(url)
            self.relogin_if_needed()
            with self.finder.login_expected():
                self.finder.find(FUNCTIONALITIES)

        with self.steps.step(None, "back to the portal's start page"):
            retry_on = (*DEFAULT_RETRY_ON, ElementNotFoundError)
            for attempt in safe_step(self.settings.retry, "back to the start page", retry_on):
                with attempt:
                    once()

    def recover(self, exc: BaseException, attempt: int) -> None:
        """``safe_step``'s hook between two attempts of a step that is safe to repeat."""
        log.warning("recovering before trying again", error=error_line(exc), attempt=attempt)
        self.back_to_start()

    def sign_out(self) -> None:
        """Log out if the portal offers it; a courtesy, so a failure is only recorded."""
        try:
            with self.steps.step(None, "log out") as step:
                self.browser.close_extra_pages()
                logged_out = self.login_page.logout()
                step.detail = "logged out" if logged_out else "no log-out control found"
        except (EmsysError, PlaywrightError):
            pass


def portal_clock(
    settings: Settings,
    ours: datetime,
    offset_s: float | None,
    *,
    on_skew: Callable[[float], None] = lambda offset: None,
) -> datetime:
    """``ours`` moved to the portal's clock when it is more than ``CLOCK_SKEW_S`` away."""
    if offset_s is not None and abs(offset_s) > CLOCK_SKEW_S:
        on_skew(offset_s)
        ours += timedelta(seconds=offset_s)
    return portal_now(settings.portal.tz, ours)
