"""Secrets never leave the process: one redactor, and the one way to turn an error into a line.

``redactor`` is process-wide: secrets are registered where they are loaded (settings, keyring,
``fill_secret``) and every log event, console line, report and notification passes through it.
``error_line`` is how any caught exception becomes text a person reads: its first line (the
rest of a Playwright error is a call log), its class where that says more than the text, and
scrubbed.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from structlog.typing import EventDict, WrappedLogger

REDACTED = "***"
_SECRET_KEY = re.compile(r"pass(word|wd)?|secret|token|authori[sz]ation|cookie|api[_-]?key", re.I)
# Very short strings would redact ordinary words; portals do not accept them anyway.
MIN_SECRET_LEN = 4


class SecretRedactor:
    """Replaces registered secret values, and values of secret-looking keys, with ``***``."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def register(self, *values: str | None) -> None:
        with self._lock:
            self._secrets.update(v for v in values if v and len(v) >= MIN_SECRET_LEN)

    def scrub(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def _clean(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, dict):
            return {
                k: REDACTED if _SECRET_KEY.search(str(k)) else self._clean(v)
                for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return type(value)(self._clean(v) for v in value)
        if isinstance(value, BaseException):
            return self.scrub(f"{type(value).__name__}: {value}")
        return value

    def __call__(self, logger: WrappedLogger, name: str, event_dict: EventDict) -> EventDict:
        for key in list(event_dict):
            value = event_dict[key]
            if key != "event" and _SECRET_KEY.search(key) and value is not None:
                event_dict[key] = REDACTED
            else:
                event_dict[key] = self._clean(value)
        return event_dict


# One redactor for the process: secrets are registered where they are loaded.
redactor = SecretRedactor()


def scrub_text(text: str) -> str:
    return redactor.scrub(text)


def error_line(exc: BaseException, *, kind: bool = False) -> str:
    """One scrubbed line saying what ``exc`` is about.

    Our own errors (``EmsysError``, whose text is written for people) keep their text as it is;
    any other error (Playwright's, the OS's) is prefixed with its class where that is more than
    a plain ``Error``: its first line often needs it ("TimeoutError: Locator.click: Timeout
    15000ms exceeded."). ``kind``: always name the class (log lines, where the kind of error
    matters more than its wording).
    """
    # Imported here: errors.py is the leaf every module imports; it must not import this one.
    from emsys_rpa.errors import EmsysError

    text = str(exc).strip()
    line = text.splitlines()[0] if text else ""
    name = type(exc).__name__
    if kind or (not isinstance(exc, EmsysError) and name not in ("Error", "Exception")):
        line = f"{name}: {line}" if line else name
    return redactor.scrub(line or name)
