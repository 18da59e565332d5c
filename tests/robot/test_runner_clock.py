"""The runner notes "since" on the portal's clock when the portal's clock is off."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from emsys_rpa.runner import Runner
from emsys_rpa.settings import Settings
from emsys_rpa.summary import RunSummary

NOW = datetime(2026, 11, 28, 12, 15, 30, tzinfo=UTC)


def _runner(offset: float | None) -> Runner:
    summary = RunSummary(run_id="t", started_at=NOW, portal_url="http://x", username="u")
    runner = Runner(Settings(), summary, run_dir=None, now=lambda: NOW)
    session: Any = SimpleNamespace(clock_offset_s=offset)
    runner._session = session
    return runner


def test_our_clock_when_the_portal_agrees_within_a_minute() -> None:
    assert _runner(None)._portal_now().strftime("%H:%M:%S") == "14:15:30"
    assert _runner(45)._portal_now().strftime("%H:%M:%S") == "14:15:30"


def test_the_portal_clock_when_it_is_off() -> None:
    assert _runner(-600)._portal_now().strftime("%d/%m %H:%M") == "28/11 14:05"
    assert _runner(86400)._portal_now().strftime("%d/%m %H:%M") == "29/11 14:15"
