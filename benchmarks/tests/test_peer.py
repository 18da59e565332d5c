"""When a robot / bare-script pair counts, and what its figures say (no browser, no timing)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from bench_memory import MB, MemoryPeak
from bench_process import ProcessRun
from bench_robot import RobotRun
from peer import (
    Pair,
    Side,
    bare_problem,
    portal_problem,
    robot_goes_first,
    robot_problem,
    verdicts,
)

NOW = datetime(2026, 11, 29, 19, 0, tzinfo=UTC)
BOTH_SENT: dict[str, Any] = {
    "jobs": [{"type": "alerts"}, {"type": "invoices"}],
    "duplicate_sends": 0,
}


def process(
    exit_code: int = 0, wall_s: float = 2.0, pss_mb: float = 400, tail: str = ""
) -> ProcessRun:
    memory = MemoryPeak(pss_total=int(pss_mb * MB))
    return ProcessRun(exit_code, wall_s, NOW, NOW, memory, 0.0, 0.0, tail)


def robot(exit_code: int = 0, tasks: dict[str, str] | None = None) -> RobotRun:
    statuses = {"alerts": "verified", "invoices": "verified"} if tasks is None else tasks
    summary = {"tasks": [{"name": n, "status": s} for n, s in statuses.items()], "errors": []}
    return RobotRun(**vars(process(exit_code)), summary=summary, run_dir=Path("run"))


def test_a_verified_robot_run_has_no_problem() -> None:
    assert robot_problem(robot()) is None


@pytest.mark.parametrize(
    "run",
    [
        robot(exit_code=3),
        robot(tasks={"alerts": "verified", "invoices": "not_verified"}),
        robot(tasks={"alerts": "verified"}),
        robot(tasks={}),  # exit 0 with no task at all is not "both tasks verified"
    ],
)
def test_a_robot_run_without_both_tasks_verified_is_a_problem(run: RobotRun) -> None:
    assert robot_problem(run)


def test_the_bare_script_counts_by_its_exit_status() -> None:
    assert bare_problem(process(0)) is None
    problem = bare_problem(process(1, tail="bare clerk: not verified: Istoric alerte"))
    assert problem is not None and "Istoric alerte" in problem


def test_the_portal_must_have_seen_both_sends_once() -> None:
    assert portal_problem(BOTH_SENT) is None
    assert portal_problem({"jobs": [{"type": "alerts"}], "duplicate_sends": 0})
    assert portal_problem({**BOTH_SENT, "jobs": [*BOTH_SENT["jobs"], {"type": "invoices"}]})
    assert portal_problem({**BOTH_SENT, "duplicate_sends": 2})


def test_pairs_alternate_which_side_goes_first() -> None:
    assert [robot_goes_first(i) for i in range(1, 5)] == [True, False, True, False]


def pair(index: int, robot_s: float, bare_s: float, robot_pss: float, bare_pss: float) -> Pair:
    return Pair(
        "/usr/bin/chromium",
        index,
        Side(process(wall_s=robot_s, pss_mb=robot_pss), None),
        Side(process(wall_s=bare_s, pss_mb=bare_pss), None),
    )


def test_ratios_are_taken_within_a_pair_and_failed_pairs_are_left_out() -> None:
    good = [pair(1, 6.0, 3.0, 460, 400), pair(2, 3.9, 3.0, 440, 400), pair(3, 6.6, 3.0, 480, 400)]
    failed = pair(4, 3.0, 3.0, 400, 400)
    failed.bare.problem = "exit 1"
    assert not failed.ok
    found = {
        v.target.split(",")[0]: v for v in verdicts([*good, failed], ["/usr/bin/chromium"], "")
    }
    assert found["wall robot / bare"].measured == "2.00×"  # median of 2.0, 1.3, 2.2
    assert found["wall robot / bare"].passed is False
    assert found["peak PSS robot / bare"].measured == "1.15×"
    assert found["peak PSS robot / bare"].passed is True  # at the limit: ≤ passes


def test_the_absolute_memory_target_applies_to_the_robots_default_browser_only() -> None:
    pairs = [pair(1, 4.0, 3.0, 420, 400)]
    assert len(verdicts(pairs, ["/usr/bin/chromium"], "/usr/bin/other")) == 2
    default = verdicts(pairs, ["/usr/bin/chromium"], "/usr/bin/chromium")[-1]
    assert (default.measured, default.passed) == ("420 MB", True)
