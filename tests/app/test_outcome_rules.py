"""The outcome rule after Trimite, as a table: history rows and the portal's message → status."""

from __future__ import annotations

import pytest

from emsys_rpa.app.verification import Finding, decide
from emsys_rpa.pages.message import Verdict
from emsys_rpa.summary import TaskStatus

# (new rows seen, of which failed, the message's verdict) → (finding, task status)
RULES = [
    ((5, 0, Verdict.SUCCESS), (Finding.SENT, TaskStatus.VERIFIED)),
    ((5, 0, None), (Finding.SENT, TaskStatus.VERIFIED)),
    # Rows prove sending started even when the message said otherwise or never came.
    ((5, 0, Verdict.FAILURE), (Finding.SENT, TaskStatus.VERIFIED)),
    ((5, 0, Verdict.UNCLEAR), (Finding.SENT, TaskStatus.VERIFIED)),
    ((5, 2, Verdict.SUCCESS), (Finding.SENT_WITH_FAILURES, TaskStatus.VERIFIED)),
    ((5, 5, Verdict.SUCCESS), (Finding.ALL_FAILED, TaskStatus.FAILED)),
    ((1, 1, None), (Finding.ALL_FAILED, TaskStatus.FAILED)),
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
