"""The outcome rule after Trimite, as a table: history rows and the portal's message → status."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from emsys_rpa.app.verification import Finding, decide
from emsys_rpa.errors import ExitStatus
from emsys_rpa.pages.message import Verdict
from emsys_rpa.summary import RunSummary, TaskResult, TaskStatus

# (new rows seen, of which failed, the message's verdict) → (finding, task status)
RULES = [
    ((5, 0, Verdict.SUCCESS), (Finding.SENT, TaskStatus.VERIFIED)),
    ((5, 0, None), (Finding.SENT, TaskStatus.VERIFIED)),
    # Rows prove sending started even when the message said otherwise or never came.
    ((5, 0, Verdict.FAILURE), (Finding.SENT, TaskStatus.VERIFIED)),
    ((5, 0, Verdict.UNCLEAR), (Finding.SENT, TaskStatus.VERIFIED)),
    ((5, 2, Verdict.SUCCESS), (Finding.SENT_WITH_FAILURES, TaskStatus.SENT_WITH_ERRORS)),
    ((5, 4, None), (Finding.SENT_WITH_FAILURES, TaskStatus.SENT_WITH_ERRORS)),
    # Every new row failed: Trimite was pressed and the portal tried, for either task.
    ((5, 5, Verdict.SUCCESS), (Finding.ALL_FAILED, TaskStatus.ALL_FAILED)),
    ((1, 1, None), (Finding.ALL_FAILED, TaskStatus.ALL_FAILED)),
    ((3, 3, Verdict.FAILURE), (Finding.ALL_FAILED, TaskStatus.ALL_FAILED)),
    ((0, 0, Verdict.FAILURE), (Finding.REFUSED, TaskStatus.FAILED)),
    ((0, 0, Verdict.SUCCESS), (Finding.NOT_SEEN, TaskStatus.NOT_VERIFIED)),
    ((0, 0, Verdict.UNCLEAR), (Finding.UNKNOWN, TaskStatus.OUTCOME_UNKNOWN)),
    ((0, 0, None), (Finding.UNKNOWN, TaskStatus.OUTCOME_UNKNOWN)),
]


@pytest.mark.parametrize(("seen", "expected"), RULES, ids=[str(r[0]) for r in RULES])
def test_decide(
    seen: tuple[int, int, Verdict | None], expected: tuple[Finding, TaskStatus]
) -> None:
    decision = decide(*seen)
    assert (decision.finding, decision.status) == expected


def test_every_finding_has_a_rule_row() -> None:
    assert {finding for (finding, _status) in (e for _s, e in RULES)} == set(Finding)


# Each task status → the run's exit code, when it is the only task (README: Exit codes).
EXIT_CODES = [
    (TaskStatus.VERIFIED, ExitStatus.OK),
    (TaskStatus.SKIPPED, ExitStatus.OK),
    (TaskStatus.SENT_WITH_ERRORS, ExitStatus.SENT_WITH_ERRORS),
    (TaskStatus.ALL_FAILED, ExitStatus.FAILED),
    (TaskStatus.FAILED, ExitStatus.FAILED),
    (TaskStatus.OUTCOME_UNKNOWN, ExitStatus.FAILED),
    (TaskStatus.NOT_VERIFIED, ExitStatus.NOT_VERIFIED),
]


@pytest.mark.parametrize(("status", "code"), EXIT_CODES, ids=[s.value for s, _ in EXIT_CODES])
def test_exit_code_of_a_task_status(status: TaskStatus, code: ExitStatus) -> None:
    summary = RunSummary(run_id="r", started_at=datetime.now(UTC), portal_url="u", username="x")
    summary.tasks = [TaskResult(name="alerts", status=status), TaskResult(name="invoices")]
    summary.tasks[1].status = TaskStatus.VERIFIED
    assert summary.derive_exit_status() == code


def test_a_failure_outranks_not_verified_which_outranks_sent_with_errors() -> None:
    summary = RunSummary(run_id="r", started_at=datetime.now(UTC), portal_url="u", username="x")
    summary.tasks = [
        TaskResult(name="alerts", status=TaskStatus.SENT_WITH_ERRORS),
        TaskResult(name="invoices", status=TaskStatus.NOT_VERIFIED),
    ]
    assert summary.derive_exit_status() == ExitStatus.NOT_VERIFIED
    summary.tasks[1].status = TaskStatus.ALL_FAILED
    assert summary.derive_exit_status() == ExitStatus.FAILED
