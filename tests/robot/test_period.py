"""Perioada: one calendar month back to today, clamped, in the portal's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from emsys_rpa.period import (
    Period,
    default_period,
    minute_floor,
    month_back,
    portal_now,
    portal_today,
    resolve_period,
)

BUCHAREST = ZoneInfo("Europe/Bucharest")


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (date(2026, 11, 28), date(2026, 10, 28)),
        (date(2026, 3, 31), date(2026, 2, 28)),  # clamped to February's end
        (date(2024, 3, 31), date(2024, 2, 29)),  # leap year
        (date(2024, 3, 30), date(2024, 2, 29)),
        (date(2026, 3, 29), date(2026, 2, 28)),
        (date(2026, 5, 31), date(2026, 4, 30)),
        (date(2026, 1, 15), date(2025, 12, 15)),  # across the year
        (date(2026, 1, 31), date(2025, 12, 31)),
        (date(2025, 3, 1), date(2025, 2, 1)),
    ],
)
def test_one_calendar_month_back(today: date, start: date) -> None:
    assert month_back(today) == start
    assert default_period(today) == Period(start, today)


def test_typed_in_the_portal_format() -> None:
    period = Period(date(2026, 2, 28), date(2026, 3, 31))
    assert period.typed("%d/%m/%Y") == ("28/02/2026", "31/03/2026")
    assert period.typed("%d.%m.%Y") == ("28.02.2026", "31.03.2026")


@pytest.mark.parametrize(
    ("utc", "today"),
    [
        # 22:30 UTC is already tomorrow in Bucharest (UTC+2 in winter).
        (datetime(2026, 11, 27, 22, 30, tzinfo=UTC), date(2026, 11, 28)),
        (datetime(2026, 11, 27, 21, 59, tzinfo=UTC), date(2026, 11, 27)),
        # Summer time (UTC+3): 21:00 UTC is midnight.
        (datetime(2026, 7, 14, 21, 0, tzinfo=UTC), date(2026, 7, 15)),
        (datetime(2026, 7, 14, 20, 59, tzinfo=UTC), date(2026, 7, 14)),
        # The night clocks go forward (29 March 2026, 03:00 → 04:00 local).
        (datetime(2026, 3, 28, 22, 0, tzinfo=UTC), date(2026, 3, 29)),
        (datetime(2026, 3, 29, 1, 30, tzinfo=UTC), date(2026, 3, 29)),
        # The night clocks go back (25 October 2026, 04:00 → 03:00 local).
        (datetime(2026, 10, 24, 21, 0, tzinfo=UTC), date(2026, 10, 25)),
        (datetime(2026, 10, 24, 20, 59, tzinfo=UTC), date(2026, 10, 24)),
    ],
)
def test_today_is_the_portal_day_not_the_machine_day(utc: datetime, today: date) -> None:
    assert portal_today(BUCHAREST, utc) == today


def test_dst_hours() -> None:
    before = portal_now(BUCHAREST, datetime(2026, 3, 29, 0, 59, tzinfo=UTC))
    after = portal_now(BUCHAREST, datetime(2026, 3, 29, 1, 0, tzinfo=UTC))
    assert (before.hour, after.hour) == (2, 4)  # 03:00 local does not exist that night
    first = portal_now(BUCHAREST, datetime(2026, 10, 25, 0, 30, tzinfo=UTC))
    second = portal_now(BUCHAREST, datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
    assert (first.hour, second.hour) == (3, 3)  # 03:30 happens twice
    assert (first.utcoffset(), second.utcoffset()) != (second.utcoffset(), first.utcoffset())
    assert second.astimezone(UTC) > first.astimezone(UTC)


def test_naive_now_is_taken_as_utc() -> None:
    assert portal_now(BUCHAREST, datetime(2026, 1, 1, 12, 0)).hour == 14


def test_minute_floor() -> None:
    moment = datetime(2026, 11, 28, 14, 15, 59, 999, tzinfo=BUCHAREST)
    assert minute_floor(moment) == datetime(2026, 11, 28, 14, 15, tzinfo=BUCHAREST)


def test_overrides_and_defaults() -> None:
    now = datetime(2026, 3, 31, 10, 0, tzinfo=UTC)
    assert resolve_period(BUCHAREST, now=now) == Period(date(2026, 2, 28), date(2026, 3, 31))
    assert resolve_period(BUCHAREST, end=date(2024, 3, 31), now=now) == Period(
        date(2024, 2, 29), date(2024, 3, 31)
    )
    assert resolve_period(BUCHAREST, start=date(2026, 3, 1), now=now) == Period(
        date(2026, 3, 1), date(2026, 3, 31)
    )
    with pytest.raises(ValueError, match="starts after it ends"):
        resolve_period(BUCHAREST, start=date(2026, 4, 1), end=date(2026, 3, 1))
