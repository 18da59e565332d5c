"""How times, durations, URLs and paths are written wherever a person reads them.

Every time shown carries its zone (``EET``, ``EEST``, ``UTC``): the portal's times, the
machine's and the folder names may differ, and a bare "17:48" cannot be told apart. Month names
and decimal marks follow the language in use (Babel).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from babel.dates import format_datetime
from babel.numbers import format_decimal

from emsys_rpa.redaction import redactor
from emsys_rpa.wording.i18n import language


def zone_label(value: datetime) -> str:
    """The zone a time is in, as people write it: EET, EEST, UTC (an offset if unnamed)."""
    name = value.strftime("%Z")
    if name and not name.startswith(("+", "-")):
        return name
    return value.strftime("UTC%z") if value.tzinfo is not None else ""


def _labelled(text: str, value: datetime) -> str:
    zone = zone_label(value) if value.tzinfo is not None else ""
    return f"{text} {zone}" if zone else text


def fmt_dt(value: datetime | None, *, seconds: bool = True) -> str:
    """A date and time with its zone, e.g. ``29 nov. 2026, 17:48:23 EET``."""
    if value is None:
        return "–"
    pattern = "d MMM yyyy, HH:mm:ss" if seconds else "d MMM yyyy, HH:mm"
    return _labelled(format_datetime(value, pattern, tzinfo=value.tzinfo, locale=language()), value)


def fmt_clock(value: datetime | None, *, seconds: bool = True) -> str:
    """A time of day with its zone, e.g. ``17:48:23 EET``."""
    if value is None:
        return "–"
    return _labelled(value.strftime("%H:%M:%S" if seconds else "%H:%M"), value)


def fmt_number(value: float, *, digits: int = 1) -> str:
    """A decimal number as the language writes it (``1,5`` in Romanian)."""
    return format_decimal(round(value, digits), format=f"#,##0.{'0' * digits}", locale=language())


def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 60:
        return f"{fmt_number(seconds)} s"
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
