"""The password is typed once and never appears in an error text or a log line."""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterator
from urllib.parse import quote, quote_plus

import keyring
import keyring.backend
import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from pydantic import SecretStr

from emsys_rpa.pages.secret_input import fill_secret
from emsys_rpa.redaction import redactor
from emsys_rpa.secrets import (
    SMTP_KEYRING_SERVICE,
    scrub,
    secret_from_env_or_keyring,
    smtp_password,
)

SECRET = 'Zq7-ş&p@ss w/rd"42'


def _all_text(exc: BaseException) -> str:
    """Everything a traceback, a log line or a report could show of this error."""
    parts = ["".join(traceback.format_exception(exc)), str(exc), repr(exc.args)]
    for attr in ("message", "stack"):
        parts.append(str(getattr(exc, attr, "")))
    parts.extend(str(line) for line in getattr(exc, "_log", None) or [])
    return "\n".join(parts)


class _FailingLocator:
    """Stands in for a Locator whose fill fails with an error that quotes the password."""

    def __init__(self) -> None:
        self.filled: list[str] = []

    def fill(self, value: str, *, timeout: float) -> None:
        self.filled.append(value)
        error = PlaywrightTimeoutError(f"Timeout {timeout}ms exceeded typing {value!r}")
        error._stack = f"TimeoutError: at fill({value})"
        error._log = [f"  - typing {value}"]
        raise error


def test_scrub_removes_the_secret_in_plain_url_and_json_forms() -> None:
    text = (
        f"plain {SECRET} | url {quote(SECRET, safe='')} | form {quote_plus(SECRET)} "
        f"| json {json.dumps({'p': SECRET})}"
    )
    cleaned = scrub(text, SecretStr(SECRET))
    assert SECRET not in cleaned
    assert quote(SECRET, safe="") not in cleaned
    assert quote_plus(SECRET) not in cleaned
    assert json.dumps(SECRET)[1:-1] not in cleaned
    assert cleaned.count("***") == 4
    assert cleaned.startswith("plain *** | url")


def test_scrub_ignores_missing_and_too_short_secrets() -> None:
    assert scrub("the cat sat", None, "", "at") == "the cat sat"
    assert scrub("one four", "four") == "one ***"


def test_fill_secret_rescrubs_a_playwright_timeout_error() -> None:
    locator = _FailingLocator()
    with pytest.raises(PlaywrightTimeoutError) as info:
        fill_secret(locator, SecretStr(SECRET), timeout_ms=1234)  # type: ignore[arg-type]
    assert locator.filled == [SECRET]  # the real value was typed…
    error = info.value
    assert type(error) is PlaywrightTimeoutError  # …the same class is raised…
    assert "Timeout 1234ms exceeded" in error.message
    assert SECRET not in _all_text(error)  # …without the value anywhere in it.
    assert "***" in error.message
    assert error.__context__ is None
    assert error.__cause__ is None


def test_fill_secret_registers_the_secret_with_the_log_redactor() -> None:
    secret = "Unique-redactor-check-91"
    with pytest.raises(PlaywrightTimeoutError):
        fill_secret(_FailingLocator(), SecretStr(secret), timeout_ms=1)  # type: ignore[arg-type]
    assert redactor.scrub(f"login failed for {secret}") == "login failed for ***"


@pytest.mark.browser
def test_fill_secret_fills_the_field_in_a_real_page(page: Page) -> None:
    page.set_content('<form><input id="pw" type="password" name="parola"></form>')
    fill_secret(page.locator("#pw"), SecretStr(SECRET), timeout_ms=5000)
    assert page.locator("#pw").input_value() == SECRET


@pytest.mark.browser
def test_real_timeout_quoting_the_secret_is_scrubbed(page: Page) -> None:
    page.set_content('<input id="pw" type="password">')
    # A selector that quotes the secret, so Playwright's own message and call log contain it.
    missing = page.locator(f'input[data-hint="{SECRET.replace(chr(34), "")}"]')
    with pytest.raises(PlaywrightTimeoutError) as info:
        fill_secret(missing, SecretStr(SECRET.replace('"', "")), timeout_ms=200)
    text = _all_text(info.value)
    assert "Timeout 200ms exceeded" in text
    assert SECRET.replace('"', "") not in text
    assert "***" in text


class _MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[_MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = _MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(previous)


def test_smtp_password_comes_from_the_environment_first(
    monkeypatch: pytest.MonkeyPatch, memory_keyring: _MemoryKeyring
) -> None:
    memory_keyring.set_password(SMTP_KEYRING_SERVICE, "mailer", "from-keyring")
    monkeypatch.setenv("EMSYS_SMTP_PASSWORD", "from-env-123")
    secret = smtp_password("mailer")
    assert secret is not None
    assert secret.get_secret_value() == "from-env-123"


def test_smtp_password_falls_back_to_its_keyring_service(memory_keyring: _MemoryKeyring) -> None:
    memory_keyring.set_password(SMTP_KEYRING_SERVICE, "mailer", "from-keyring")
    memory_keyring.set_password("emsys-rpa", "mailer", "the-portal-one")
    secret = smtp_password("mailer")
    assert secret is not None
    assert secret.get_secret_value() == "from-keyring"
    assert "from-keyring" not in repr(secret)
    assert smtp_password("someone-else") is None
    assert smtp_password(None) is None


def test_a_broken_keyring_means_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(service: str, username: str) -> str:
        raise keyring.errors.KeyringError("no D-Bus")

    monkeypatch.setattr(keyring, "get_password", broken)
    assert secret_from_env_or_keyring("EMSYS_NOPE", "svc", "user") is None
