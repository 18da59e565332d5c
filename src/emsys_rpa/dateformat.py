"""Which date format a date box wants, read from the page the way a clerk reads it.

The value already in the box ("14.02.2023"), a mask waiting for digits ("__/__/____"), or the
hint written beside it ("zz/ll/aaaa", "dd.mm.yyyy") each say how a date is to be typed. The
configured ``portal.date_format`` is used only when the page says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Romanian (zz ll aaaa) and English (dd mm yyyy) letters for day, month and year.
_TOKENS = {"zz": "%d", "dd": "%d", "ll": "%m", "mm": "%m", "aaaa": "%Y", "yyyy": "%Y"}
_HINT = re.compile(
    r"(?<![a-z])(zz|dd|ll|mm|aaaa|yyyy)([./-])(zz|dd|ll|mm)\2(zz|dd|aaaa|yyyy)(?![a-z])",
    re.IGNORECASE,
)
_DAY_FIRST = re.compile(r"^\s*[\d_]{1,2}([./-])[\d_]{1,2}\1[\d_]{4}\s*$")
_YEAR_FIRST = re.compile(r"^\s*[\d_]{4}([./-])[\d_]{1,2}\1[\d_]{1,2}\s*$")


def from_hint(text: str) -> str | None:
    """The strftime format of a hint such as "zz/ll/aaaa" or "YYYY-MM-DD" in ``text``."""
    match = _HINT.search(text)
    if match is None:
        return None
    first, sep, middle, last = match.groups()
    parts = [_TOKENS[first.lower()], _TOKENS[middle.lower()], _TOKENS[last.lower()]]
    if sorted(parts) != ["%Y", "%d", "%m"]:
        return None
    return sep.join(parts)


def from_value(text: str) -> str | None:
    """The format of a date (or a mask of one) already in a box: "14.02.2023", "__/__/____"."""
    if not any(ch.isdigit() or ch == "_" for ch in text):
        return None
    match = _DAY_FIRST.match(text)
    if match:
        sep = match.group(1)
        return f"%d{sep}%m{sep}%Y"
    match = _YEAR_FIRST.match(text)
    if match:
        sep = match.group(1)
        return f"%Y{sep}%m{sep}%d"
    return None


def page_format(value: str, hints: Iterable[str]) -> str | None:
    """The format the page asks for: its value's first, then the first hint that names one."""
    found = from_value(value) or from_hint(value)
    if found:
        return found
    for hint in hints:
        found = from_hint(hint) or from_value(hint)
        if found:
            return found
    return None
