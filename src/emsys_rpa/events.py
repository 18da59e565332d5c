"""How the procedure tells the outside world what it is doing, without knowing who listens.

The console (progress display) implements ``RunObserver``; the run ledger implements
``SendGuard``. The procedure only ever calls these protocols.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from emsys_rpa.ledger.policy import Refusal
from emsys_rpa.summary import RunSummary, StepRecord, TaskResult


class RunObserver(Protocol):
    def run_started(self, summary: RunSummary) -> None: ...

    def step_started(self, task: str, step: str) -> None: ...

    def step_finished(self, task: str, record: StepRecord) -> None: ...

    def task_finished(self, result: TaskResult) -> None: ...

    def run_finished(self, summary: RunSummary) -> None: ...


class NullObserver:
    def run_started(self, summary: RunSummary) -> None:
        return None

    def step_started(self, task: str, step: str) -> None:
        return None

    def step_finished(self, task: str, record: StepRecord) -> None:
        return None

    def task_finished(self, result: TaskResult) -> None:
        return None

    def run_finished(self, summary: RunSummary) -> None:
        return None


class SendGuard(Protocol):
    """At-most-once bookkeeping around the irreversible click (implemented by the run ledger)."""

    def refusal(self, task: str) -> Refusal | None:
        """Why this task must not be sent again today (None: go ahead)."""
        ...

    def intent(self, task: str, scheduled_at: datetime) -> None:
        """Written just before Trimite is pressed: survives a crash. Raises if refused."""
        ...

    def outcome(self, result: TaskResult) -> None:
        """Written once the task's outcome is known (after the history read-back)."""
        ...


class NullGuard:
    def refusal(self, task: str) -> Refusal | None:
        return None

    def intent(self, task: str, scheduled_at: datetime) -> None:
        return None

    def outcome(self, result: TaskResult) -> None:
        return None
