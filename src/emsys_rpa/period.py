"""Perioada and the portal's clock.

Perioada is "one month back to today", as the clerk fills it in: from the same day one calendar
month earlier (clamped to the end of a shorter month: 31 March → 28/29 February) to today, both
taken in the portal's time zone, not the robot machine's. A robot started at 00:30 in Bucharest
on a server running on UTC must still type Bucharest's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def typed(self, date_format: str) -> tuple[str, str]:
        """Both ends as the portal expects them typed (``date_format`` is strftime)."""
        return self.start.strftime(date_format), self.end.strftime(date_format)


def portal_now(tz: tzinfo, now: datetime | None = None) -> datetime:
    """The current time in the portal's zone (``now`` for tests; naive means UTC)."""
    instant = now or datetime.now(UTC)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(tz)


def portal_today(tz: tzinfo, now: datetime | None = None) -> date:
    return portal_now(tz, now).date()


def minute_floor(moment: datetime) -> datetime:
    """``moment`` with seconds dropped: the history may show minutes only."""
    return moment.replace(second=0, microsecond=0)


def month_back(today: date) -> date:
    """The same day one calendar month earlier, clamped to that month's last day."""
    return today - relativedelta(months=1)


def default_period(today: date) -> Period:
    return Period(month_back(today), today)


def resolve_period(
    tz: tzinfo,
    *,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> Period:
    """Perioada from the overrides (either end may be given alone) or the default."""
    end = end or portal_today(tz, now)
    start = start or month_back(end)
    if start > end:
        raise ValueError(f"period starts after it ends: {start.isoformat()} > {end.isoformat()}")
    return Period(start, end)
