"""The mock's notion of time: Europe/Bucharest, optionally started at another moment.

The clock is the real clock plus a fixed offset, so it always advances in real time and
crosses daylight-saving changes as a wall clock in Bucharest does (the hour 03:00–04:00 of the
last Sunday of October happens twice; 03:00–04:00 of the last Sunday of March never does).

- ``today`` (``--today``) moves the date only: the time of day at start-up stays real.
- ``now`` (``--now``) starts the clock at that local date-time.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import Final
from zoneinfo import ZoneInfo

BUCHAREST: Final = ZoneInfo("Europe/Bucharest")


class Clock:
    def __init__(self, today: date | None = None, now: datetime | None = None) -> None:
        if today is not None and now is not None:
            raise ValueError("give either today or now, not both")
        self._offset_s = 0.0
        if now is not None:
            self.set_now(now)
        elif today is not None:
            real = datetime.now(BUCHAREST)
            self.set_now(datetime.combine(today, real.time(), tzinfo=BUCHAREST))

    def set_now(self, when: datetime) -> None:
        """From now on the clock reads ``when`` (naive: a Bucharest wall-clock time)."""
        self._offset_s = local_datetime(when).timestamp() - time.time()

    def now(self) -> datetime:
        """Aware datetime in Europe/Bucharest."""
        return local_from_epoch(self.epoch())

    def today(self) -> date:
        return self.now().date()

    def epoch(self) -> float:
        return time.time() + self._offset_s


def local_datetime(when: datetime) -> datetime:
    """``when`` in Europe/Bucharest; a naive value is a wall-clock time there.

    An ambiguous wall-clock time (the repeated hour in October) is its first occurrence, in
    summer time; give the offset (``+02:00``) for the second. A time that does not exist (the
    hour skipped in March) is refused.
    """
    if when.tzinfo is not None:
        return when.astimezone(BUCHAREST)
    local = when.replace(tzinfo=BUCHAREST, fold=0)
    if local_from_epoch(local.timestamp()).replace(tzinfo=None) != when:
        raise ValueError(
            f"{when:%Y-%m-%d %H:%M} does not exist in Europe/Bucharest "
            "(the clocks skip that hour when summer time starts)"
        )
    return local


def parse_local_datetime(text: str) -> datetime:
    """An ISO date-time (``2026-10-25T03:55``, optionally ``+02:00``) as a Bucharest time."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date-time like 2026-10-25T03:55 (or 2026-10-25T03:30+02:00)"
        ) from None
    return local_datetime(parsed)


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
