"""Passwords: kept as ``SecretStr`` until the one call that types them, scrubbed from errors.

The portal password is unwrapped in exactly one place, ``fill_secret``. Playwright errors raised
there are rebuilt with the password scrubbed from their message, stack and call log, and are
raised without the original attached (no ``__context__``), so no traceback, log line or report
can carry it. Every secret that passes through here is also registered with the structlog
redactor, which then masks it in any later event.

``scrub`` is for the odd text that is about to leave the process (an exception string for the
console, a page's text for the report): it removes the secret in the forms it takes in URLs,
form bodies and JSON as well as verbatim.
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote, quote_plus

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator
from pydantic import SecretStr

from emsys_rpa.logging_setup import REDACTED, redactor
from emsys_rpa.settings import KEYRING_SERVICE

# The SMTP password lives under its own keyring service so that the portal user and the SMTP
# user may share a name without sharing a password.
SMTP_KEYRING_SERVICE = f"{KEYRING_SERVICE}-smtp"
SMTP_PASSWORD_ENV = "EMSYS_SMTP_PASSWORD"  # noqa: S105 (a variable name, not a password)

# Shorter values would mask ordinary words; the same floor as the structlog redactor.
_MIN_SECRET_LEN = 4

Secret = str | SecretStr | None


def _plain(secret: Secret) -> str | None:
    if isinstance(secret, SecretStr):
        return secret.get_secret_value()
    return secret


def _variants(value: str) -> set[str]:
    """The forms a secret takes once it is put in a URL, a form body or a JSON document."""
    forms = {value, quote(value, safe=""), quote_plus(value), json.dumps(value)[1:-1]}
    return {f for f in forms if len(f) >= _MIN_SECRET_LEN}


def scrub(text: str, *secrets: Secret) -> str:
    """``text`` with every given secret (verbatim, URL- or JSON-encoded) replaced by ``***``."""
    forms: set[str] = set()
    for secret in secrets:
        value = _plain(secret)
        if value and len(value) >= _MIN_SECRET_LEN:
            forms |= _variants(value)
    # Longest first, so that a secret containing another one is replaced whole.
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, REDACTED)
    return text


def register_secret(*secrets: Secret) -> None:
    """Make the process-wide log redactor mask these secrets (in all their encoded forms)."""
    for secret in secrets:
        value = _plain(secret)
        if value and len(value) >= _MIN_SECRET_LEN:
            redactor.register(*_variants(value))


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


def secret_from_env_or_keyring(
    env_var: str, service: str, username: str | None
) -> SecretStr | None:
    """``env_var`` if set and non-empty, else the OS keyring entry (service, username), else None.

    A keyring that is missing, locked or broken counts as "no entry": the caller reports the
    missing secret with the ways to provide it.
    """
    value = os.environ.get(env_var)
    if not value and username:
        try:
            import keyring

            value = keyring.get_password(service, username)
        except Exception:  # any backend failure (no D-Bus, locked wallet…) means "not found"
            value = None
    if not value:
        return None
    secret = SecretStr(value)
    register_secret(secret)
    return secret


def smtp_password(username: str | None) -> SecretStr | None:
    """The SMTP password: ``EMSYS_SMTP_PASSWORD``, else keyring ``emsys-rpa-smtp`` / username."""
    return secret_from_env_or_keyring(SMTP_PASSWORD_ENV, SMTP_KEYRING_SERVICE, username)
