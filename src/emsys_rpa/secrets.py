"""Passwords: where they come from (environment, OS keyring), and scrubbing them from text.

The portal password is unwrapped in exactly one place, ``pages.secret_input.fill_secret``.
Every secret that passes through here is registered with the process-wide redactor, which then
masks it in any later log event, console line, report or notification.

``scrub`` is for the odd text that is about to leave the process (an exception string for the
console, a page's text for the report): it removes the secret in the forms it takes in URLs,
form bodies and JSON as well as verbatim.
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote, quote_plus

from pydantic import SecretStr

from emsys_rpa.redaction import MIN_SECRET_LEN, REDACTED, redactor

KEYRING_SERVICE = "emsys-rpa"
# The SMTP password lives under its own keyring service so that the portal user and the SMTP
# user may share a name without sharing a password.
SMTP_KEYRING_SERVICE = f"{KEYRING_SERVICE}-smtp"
SMTP_PASSWORD_ENV = "EMSYS_SMTP_PASSWORD"  # noqa: S105 (a variable name, not a password)
# A notification URL's {NAME} placeholder: the environment variable NAME, else this service's
# keyring entry for the user NAME.
NOTIFY_KEYRING_SERVICE = f"{KEYRING_SERVICE}-notify"


Secret = str | SecretStr | None


def _plain(secret: Secret) -> str | None:
    if isinstance(secret, SecretStr):
        return secret.get_secret_value()
    return secret


def _variants(value: str) -> set[str]:
    """The forms a secret takes once it is put in a URL, a form body or a JSON document."""
    forms = {value, quote(value, safe=""), quote_plus(value), json.dumps(value)[1:-1]}
    return {f for f in forms if len(f) >= MIN_SECRET_LEN}


def scrub(text: str, *secrets: Secret) -> str:
    """``text`` with every given secret (verbatim, URL- or JSON-encoded) replaced by ``***``."""
    forms: set[str] = set()
    for secret in secrets:
        value = _plain(secret)
        if value and len(value) >= MIN_SECRET_LEN:
            forms |= _variants(value)
    # Longest first, so that a secret containing another one is replaced whole.
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, REDACTED)
    return text


def register_secret(*secrets: Secret) -> None:
    """Make the process-wide log redactor mask these secrets (in all their encoded forms)."""
    for secret in secrets:
        value = _plain(secret)
        if value and len(value) >= MIN_SECRET_LEN:
            redactor.register(*_variants(value))


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
