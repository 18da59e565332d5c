"""The robot notes "since" on the portal's clock when the portal's clock is off."""

from __future__ import annotations

from datetime import UTC, datetime

from emsys_rpa.app.portal_session import portal_clock
from emsys_rpa.settings import Settings

NOW = datetime(2026, 11, 28, 12, 15, 30, tzinfo=UTC)


def _portal_now(offset: float | None) -> datetime:
    return portal_clock(Settings(), NOW, offset)


def test_our_clock_when_the_portal_agrees_within_a_minute() -> None:
    assert _portal_now(None).strftime("%H:%M:%S") == "14:15:30"
    assert _portal_now(45).strftime("%H:%M:%S") == "14:15:30"


def test_the_portal_clock_when_it_is_off() -> None:
    assert _portal_now(-600).strftime("%d/%m %H:%M") == "28/11 14:05"
    assert _portal_now(86400).strftime("%d/%m %H:%M") == "29/11 14:15"


def test_a_skew_is_reported_once_it_matters() -> None:
    seen: list[float] = []
    portal_clock(Settings(), NOW, 45, on_skew=seen.append)
    portal_clock(Settings(), NOW, -600, on_skew=seen.append)
    assert seen == [-600]
