"""The login screen: the manual does not name its labels, so the usual ones are tried.

User field: labelled Utilizator / Nume utilizator / User / E-mail…, else the form's only text
input. Password: the password input. Submit: the button named like a login, else the form's
submit button, else Enter. A rejected login is told by where the browser lands (still the
login form) and by the page's error text — not by one fixed message.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import Any, Literal

import structlog
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from pydantic import SecretStr

from emsys_rpa.errors import (
    AccountLockedError,
    LoginRejectedError,
    NotThePortalError,
    PortalUnreachableError,
)
from emsys_rpa.pages.locate import TEXT_INPUT, Finder, Found, Scope, Target, clickable
from emsys_rpa.pages.secret_input import fill_secret
from emsys_rpa.pages.wait import poll
from emsys_rpa.redaction import scrub_text
from emsys_rpa.secrets import scrub
from emsys_rpa.textmatch import fold, label_regex

log = structlog.get_logger("emsys_rpa.pages.login")

USER_LABELS = (
    "Utilizator",
    "Nume utilizator",
    "Cont",
    "User",
    "Username",
    "User name",
    "Login",
    "E-mail",
    "Email",
)
PASSWORD_LABELS = ("Parolă", "Parola", "Password")
SUBMIT_LABELS = (
    "Autentificare",
    "Autentifică-te",
    "Conectare",
    "Intră",
    "Intrare",
    "Login",
    "Log in",
    "Sign in",
    "Logare",
)
LOGOUT_LABELS = ("Deconectare", "Delogare", "Ieșire", "Iesire", "Logout", "Log out", "Sign out")
# Folded words of a refusal, and of a locked account among them.
_REFUSED = re.compile(
    r"incorect|gresit|invalid|eronat|nu exista|nu este valid|esuat|eroare|refuzat|wrong|"
    r"failed|denied|blocat|locked|dezactivat"
)
_LOCKED = re.compile(r"blocat|locked|dezactivat|suspendat|disabled")


# Once a page has finished loading, how long its login form may take to be drawn by script.
_FORM_GRACE_S = 2.0
# After sending the form, the first wait for its answer before looking at the page (ms).
_FIRST_LOOK_MS = 200.0
_SINCE_LOAD = """() => document.readyState === 'complete'
  ? (performance.now() - (performance.getEntriesByType('navigation')[0] || {loadEventEnd: 0})
      .loadEventEnd) / 1000
  : null"""


def _loaded_for(page: Page) -> float | None:
    """Seconds since the page finished loading; None while it is still loading."""
    try:
        value: Any = page.evaluate(_SINCE_LOAD)
    except PlaywrightError:
        return None
    return float(value) if value is not None else None


def _password_field(scope: Scope) -> list[Locator]:
    return [scope.locator("input[type=password]")]


def _user_field(scope: Scope) -> list[Locator]:
    labels = label_regex(*USER_LABELS, exact=True)
    loose = label_regex(*USER_LABELS)
    form = scope.locator("form").filter(has=scope.locator("input[type=password]"))
    return [
        scope.get_by_label(labels).and_(scope.locator(TEXT_INPUT)),
        scope.get_by_label(loose).and_(scope.locator(TEXT_INPUT)),
        scope.get_by_placeholder(loose),
        form.locator(TEXT_INPUT),
        scope.locator(TEXT_INPUT),
    ]


def _submit(scope: Scope) -> list[Locator]:
    form = scope.locator("form").filter(has=scope.locator("input[type=password]"))
    exact = label_regex(*SUBMIT_LABELS, exact=True)
    return [
        scope.get_by_role("button", name=exact),
        scope.get_by_role("link", name=exact),
        form.locator("[type=submit]"),
        form.get_by_role("button"),
    ]


def _error_text(scope: Scope) -> list[Locator]:
    pattern = re.compile(_REFUSED.pattern, re.IGNORECASE)
    return [
        scope.get_by_role("alert"),
        scope.get_by_text(label_regex("incorect", "greșit", "invalid", "eronat", "blocat")),
        scope.locator("p, div, span, li, td, strong, b").filter(has_text=pattern),
    ]


USERNAME = Target("login_username", "the user name field of the login form", _user_field)
PASSWORD = Target("login_password", "the password field of the login form", _password_field)
SUBMIT = Target("login_submit", "the login button", _submit)
LOGIN_ERROR = Target("login_error", "the login error message", _error_text)
LOGOUT = Target("logout", "the log-out link (Deconectare / Ieșire)", clickable(*LOGOUT_LABELS))


class LoginPage:
    def __init__(
        self,
        finder: Finder,
        page: Page,
        *,
        timeout_s: float,
        server_error: Callable[[], bool] = lambda: False,
        status: Callable[[], int | None] = lambda: None,
    ) -> None:
        self.finder = finder
        self.page = page
        self.timeout_s = timeout_s
        # Does the window show a 5xx error page? (the session tracks document statuses)
        self.server_error = server_error
        self.status = status

    def is_shown(self) -> bool:
        """The login form is on screen (at start, or because the session expired)."""
        return self.finder.locate(PASSWORD, self.page.frames) is not None

    def login(
        self, username: str, password: SecretStr, *, signed_in: Target, timeout_s: float
    ) -> None:
        """Log in; return once ``signed_in`` (e.g. the main menu) is visible.

        Raises LoginRejectedError (AccountLockedError) with the portal's own words if the login
        form comes back instead. Never retried by the caller: portals lock accounts.
        """
        with self.finder.login_expected():
            secret_field = self.await_form()
            frames = self.page.frames
            user = self.finder.find(USERNAME, frames=lambda: frames)
            user.locator.fill(username)
            fill_secret(secret_field.locator, password, timeout_ms=self.timeout_s * 1000)
            submit = self.finder.locate(SUBMIT, self.page.frames)
            log.info("logging in", user=username)
            try:
                if submit is not None:
                    submit.locator.click()
                else:
                    secret_field.locator.press("Enter")
            except PlaywrightError as exc:
                raise LoginRejectedError(
                    scrub(f"could not submit the login form: {exc}", password)
                ) from None
            self._await_outcome(password, signed_in=signed_in, timeout_s=timeout_s)

    def await_form(self) -> Found:
        """Wait for the login form (its password field); NotThePortalError if the page is
        something else.

        A 4xx answer, or a page that has finished loading and still shows no password field a
        moment later, is not the portal's login page: the configured address is wrong, and
        the selectors are not to blame.
        """
        status = self.status()
        if status is not None and 400 <= status < 500:
            raise self._not_the_portal(status)

        def form_or_verdict() -> Found | Literal[False] | None:
            found = self.finder.locate(PASSWORD, self.page.frames)
            if found is not None:
                return found
            loaded = _loaded_for(self.page)
            if loaded is not None and loaded >= _FORM_GRACE_S:
                return False
            return None

        def idle(wait_ms: float) -> None:
            with contextlib.suppress(PlaywrightError):
                self.page.locator("input[type=password]").first.wait_for(
                    state="visible", timeout=wait_ms
                )

        form = poll(form_or_verdict, timeout_s=self.timeout_s, idle=idle)
        if not isinstance(form, Found):
            raise self._not_the_portal(status)
        return form

    def _not_the_portal(self, status: int | None) -> NotThePortalError:
        try:
            title = " ".join(self.page.title().split())[:120]
        except PlaywrightError:
            title = ""
        said = [f"HTTP {status}" if status is not None else "", f"title “{title}”" if title else ""]
        facts = ", ".join(x for x in said if x) or "no title"
        return NotThePortalError(
            f"the page at {self.page.url} does not look like the EMSYS login page "
            f"({facts}; no password field)",
            hint="check portal.url: it must be the address of the portal's login page",
        )

    def _await_outcome(self, password: SecretStr, *, signed_in: Target, timeout_s: float) -> None:
        def signed_in_now() -> bool | None:
            if self.finder.locate(signed_in) is not None and not self.is_shown():
                return True
            if self.server_error():
                raise PortalUnreachableError(
                    "the portal answered with a server error right after logging in",
                    hint="the portal is overloaded or restarting; try again later",
                )
            if self.is_shown():
                refusal = self._refusal_text(password)
                if refusal is not None:
                    self._raise_refused(refusal)
            return None

        def idle(wait_ms: float) -> None:
            try:
                self.page.wait_for_load_state("load", timeout=wait_ms)
                self.page.locator("input[type=password]").first.wait_for(
                    state="detached", timeout=wait_ms
                )
            except PlaywrightError:
                pass

        # The form was just sent: its answer is a page on its way. In one window without
        # frames, the page watches for the signed-in control (one round trip); else, waiting
        # for the answer first (loaded, the password field gone) spares looks at the page
        # being left.
        if self.finder.seen_soon(signed_in) is not None and not self.is_shown():
            log.info("logged in")
            return
        idle(_FIRST_LOOK_MS)
        if poll(signed_in_now, timeout_s=timeout_s, idle=idle, first_ms=_FIRST_LOOK_MS):
            log.info("logged in")
            return
        if self.is_shown():
            refusal = self._refusal_text(password) or "the login form was shown again"
            self._raise_refused(refusal)
        raise LoginRejectedError(
            f"after logging in, {signed_in.what} did not appear within {timeout_s:.0f} s",
            hint=signed_in.hint(),
        )

    def _refusal_text(self, password: SecretStr) -> str | None:
        found = self.finder.locate(LOGIN_ERROR, self.page.frames)
        if found is None:
            return None
        try:
            text = found.locator.inner_text(timeout=2000)
        except PlaywrightError:
            return None
        text = " ".join(text.split())
        if not text or (
            not self.finder.override("login_error") and not _REFUSED.search(fold(text))
        ):
            return None
        return scrub_text(scrub(text[:300], password))

    @staticmethod
    def _raise_refused(text: str) -> None:
        if _LOCKED.search(fold(text)):
            raise AccountLockedError(
                f"the portal says the account is locked: {text}",
                hint="ask the portal administrator to unlock it; the robot will not retry",
            )
        raise LoginRejectedError(
            f"the portal refused the login: {text}",
            hint="check the user name and EMSYS_PASSWORD / the keyring entry; not retried",
        )

    def logout(self) -> bool:
        """Log out if a log-out control is visible; True if one was pressed."""
        found = self.finder.locate(LOGOUT)
        if found is None:
            return False
        found.locator.click()
        log.info("logged out")
        return True
