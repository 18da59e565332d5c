"""The matrix's checks can fail: a robot built to click Trimite twice fails a clean cell.

The harness patches the robot in its subprocess (``$SAFETY_HARNESS_MISBEHAVE``, read by the
test harness only; tests/safety/misbehaving.py); the cell is the matrix's own, run and checked
by the matrix's own code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from e2e.conftest import MISBEHAVE
from emsys_rpa.browser import BrowserChoice

from .cells import check_cell, run_cell
from .matrix import cells

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_double_clicking_robot_fails_the_cell(
    portal_factory: Any,
    tmp_path: Path,
    browser_choice: BrowserChoice,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (cell,) = [
        c
        for c in cells()
        if (c.scenario.name, c.rendering, c.task) == ("no fault", "default", "invoices")
    ]
    monkeypatch.setenv(MISBEHAVE, "double-click")
    done = run_cell(
        cell, portal_factory=portal_factory, tmp_path=tmp_path, browser_choice=browser_choice
    )

    # The portal scheduled the invoices twice…
    assert [job["type"] for job in done.ledger["jobs"]] == ["invoices", "invoices"]
    # …and the cell's check says so.
    with pytest.raises(AssertionError) as failed:
        check_cell(done)
    message = str(failed.value)
    assert message.startswith(("duplicate sends: ", "jobs: 2, expected 1")), message
