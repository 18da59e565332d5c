"""structlog set-up: pretty on a terminal, JSON lines otherwise, always JSON lines to the run log.

Every event passes through the process-wide ``redaction.redactor`` before any renderer sees it,
so a password that slips into an event (an exception text, a URL, a form value) is replaced by
``***`` everywhere.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any, TextIO

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from emsys_rpa.redaction import redactor

_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}


class _TeeRenderer:
    """Final processor: writes a JSON line to the run log, returns the console rendering."""

    def __init__(self, console: Processor, run_log: TextIO | None) -> None:
        self._console = console
        self._run_log = run_log
        self._json = structlog.processors.JSONRenderer(default=str)

    def __call__(self, logger: WrappedLogger, name: str, event_dict: EventDict) -> Any:
        # The run log is closed when the run ends; whatever is logged after it (a notifier,
        # the next command in the same process) still reaches the console.
        if self._run_log is not None and not self._run_log.closed:
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
