"""The mock's notion of time: Europe/Bucharest, with an optional shifted "today".

``--today`` moves the date only; the time of day stays real, so jobs still write rows
"now" as far as a person watching the history is concerned.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

BUCHAREST: Final = ZoneInfo("Europe/Bucharest")


class Clock:
    def __init__(self, today: date | None = None) -> None:
        self._shift = timedelta(0)
        if today is not None:
            self._shift = timedelta(days=(today - datetime.now(BUCHAREST).date()).days)

    def now(self) -> datetime:
        """Aware datetime in Europe/Bucharest (shifted by whole days when --today is set)."""
        real = datetime.now(BUCHAREST)
        if not self._shift:
            return real
        local = real.replace(tzinfo=None) + self._shift
        return local.replace(tzinfo=BUCHAREST)

    def today(self) -> date:
        return self.now().date()

    def epoch(self) -> float:
        return self.now().timestamp()


def local_from_epoch(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC).astimezone(BUCHAREST)


def epoch_at(day: date, hour: int, minute: int, second: int = 0) -> float:
    """Epoch seconds of a Bucharest wall-clock time (used when seeding the past)."""
    return datetime(
        day.year, day.month, day.day, hour, minute, second, tzinfo=BUCHAREST
    ).timestamp()


def format_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def format_epoch(epoch: float | None, *, seconds: bool) -> str:
    if epoch is None:
        return ""
    return local_from_epoch(epoch).strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


def parse_ro_date(text: str) -> date | None:
    """dd/mm/yyyy (also dd.mm.yyyy and d/m/yyyy, as clerks type them); None if not a date."""
    cleaned = text.strip().replace(".", "/").replace("-", "/")
    parts = cleaned.split("/")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
        return None
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return None
