"""How times, durations, URLs and paths are written wherever a person reads them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from emsys_rpa.redaction import redactor


def fmt_dt(value: datetime | None, *, seconds: bool = True) -> str:
    if value is None:
        return "–"
    return value.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def safe_url(url: str) -> str:
    """The URL without any user:password@ part (never shown, even redacted)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return redactor.scrub(url)
    if parts.username is None and parts.password is None:
        return redactor.scrub(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return redactor.scrub(urlunsplit(parts._replace(netloc=host)))


def show_trace_command(path: Path) -> str:
    quoted = f'"{path}"' if " " in str(path) else str(path)
    return f"playwright show-trace {quoted}"
