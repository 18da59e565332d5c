"""Typing a password into the page: the one place the portal password is unwrapped.

Playwright errors raised there are rebuilt with the password scrubbed from their message, stack
and call log, and are raised without the original attached (no ``__context__``), so no
traceback, log line or report can carry it.
"""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator
from pydantic import SecretStr

from emsys_rpa.secrets import Secret, register_secret, scrub


def scrubbed_playwright_error(exc: PlaywrightError, *secrets: Secret) -> PlaywrightError:
    """A copy of a Playwright error (same class) with the secrets removed from every text it holds.

    Playwright's ``Error`` keeps its message, the JS stack and the action's call log; any of
    them may quote a selector, a URL or a value. ``details`` is dropped: its shape is not
    documented, so it cannot be scrubbed reliably.
    """
    clean = type(exc).__new__(type(exc))
    PlaywrightError.__init__(clean, scrub(exc.message, *secrets))
    clean._name = exc.name
    stack = exc.stack
    clean._stack = scrub(stack, *secrets) if stack else stack
    log = getattr(exc, "_log", None)
    if isinstance(log, list):
        clean._log = [scrub(str(line), *secrets) for line in log]
    return clean


def fill_secret(locator: Locator, secret: SecretStr, *, timeout_ms: float) -> None:
    """Type ``secret`` into the field; never log it, never let an error text carry it.

    Raises the same Playwright error class as ``Locator.fill`` (``TimeoutError`` when the field
    never becomes editable), scrubbed, with no reference to the original exception.
    """
    register_secret(secret)
    failure: PlaywrightError | None = None
    try:
        locator.fill(secret.get_secret_value(), timeout=timeout_ms)
    except PlaywrightError as exc:
        failure = scrubbed_playwright_error(exc, secret)
    if failure is not None:
        # Raised outside the except block so the original is not chained as __context__.
        raise failure
