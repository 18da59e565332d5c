"""structlog set-up: pretty on a terminal, JSON lines otherwise, always JSON lines to the run log.

Every event passes through ``SecretRedactor`` before any renderer sees it, so a password that
slips into an event (an exception text, a URL, a form value) is replaced by ``***`` everywhere.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
from collections.abc import Iterable, MutableMapping
from pathlib import Path
from typing import Any, TextIO

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

REDACTED = "***"
_SECRET_KEY = re.compile(r"pass(word|wd)?|secret|token|authori[sz]ation|cookie|api[_-]?key", re.I)

_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}


class SecretRedactor:
    """Replaces registered secret values, and values of secret-looking keys, with ``***``."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def register(self, *values: str | None) -> None:
        with self._lock:
            # Very short strings would redact ordinary words; portals do not accept them anyway.
            self._secrets.update(v for v in values if v and len(v) >= 4)

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


class _TeeRenderer:
    """Final processor: writes a JSON line to the run log, returns the console rendering."""

    def __init__(self, console: Processor, run_log: TextIO | None) -> None:
        self._console = console
        self._run_log = run_log
        self._json = structlog.processors.JSONRenderer(default=str)

    def __call__(self, logger: WrappedLogger, name: str, event_dict: EventDict) -> Any:
        if self._run_log is not None:
            line = self._json(logger, name, dict(event_dict))
            text = line.decode() if isinstance(line, bytes) else line
            self._run_log.write(f"{text}\n")
            self._run_log.flush()
        return self._console(logger, name, event_dict)


_run_log_handle: TextIO | None = None


def configure_logging(
    fmt: str = "auto",
    level: str = "info",
    run_log: Path | None = None,
    stream: TextIO | None = None,
) -> None:
    """(Re)configure structlog for this process. ``fmt``: auto | console | json."""
    global _run_log_handle
    stream = stream or sys.stderr
    if _run_log_handle is not None:
        _run_log_handle.close()
        _run_log_handle = None
    if run_log is not None:
        run_log.parent.mkdir(parents=True, exist_ok=True)
        _run_log_handle = run_log.open("a", encoding="utf-8")
    use_console = fmt == "console" or (fmt == "auto" and stream.isatty())
    console: Processor = (
        structlog.dev.ConsoleRenderer(colors=stream.isatty())
        if use_console
        else structlog.processors.JSONRenderer(default=str)
    )
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=False),
        structlog.processors.format_exc_info,
        redactor,
        _TeeRenderer(console, _run_log_handle),
    ]
    structlog.configure(
        processors=shared,
        wrapper_class=structlog.make_filtering_bound_logger(_LEVELS.get(level, logging.INFO)),
        logger_factory=structlog.PrintLoggerFactory(file=stream),
        cache_logger_on_first_use=False,
    )


def close_run_log() -> None:
    global _run_log_handle
    if _run_log_handle is not None:
        _run_log_handle.close()
        _run_log_handle = None


def scrub_text(text: str) -> str:
    return redactor.scrub(text)


def dumps_scrubbed(data: MutableMapping[str, Any] | Iterable[Any]) -> str:
    return redactor.scrub(json.dumps(data, default=str))
