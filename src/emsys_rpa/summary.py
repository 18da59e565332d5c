"""What a run did, as data: the runner fills it, the console, report, ledger and notifier read it.

``summary.json`` in the run folder is ``RunSummary.model_dump_json()``. The exit status is
derived from the task outcomes in one place (``RunSummary.derive_exit_status``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field

from emsys_rpa.errors import ExitStatus

REPORT_NAME = "report.html"
# The name run-level steps (open the portal, log in, log out) go by, where a task name would.
SESSION = "session"


class StepStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"


class TaskStatus(StrEnum):
    VERIFIED = "verified"  # scheduled and history shows sending started
    SENT_WITH_ERRORS = "sent_with_errors"  # sending started; some new rows failed
    ALL_FAILED = "all_failed"  # sending was attempted; every new row failed
    NOT_VERIFIED = "not_verified"  # scheduled, history showed nothing in time
    DRY_RUN = "dry_run"  # every screen filled, cancelled before Trimite
    SKIPPED = "skipped"  # not asked for, or already done today (ledger)
    FAILED = "failed"  # failed before anything was sent
    OUTCOME_UNKNOWN = "outcome_unknown"  # Trimite may or may not have been accepted
    NOT_RUN = "not_run"  # the run stopped before reaching this task


class StepRecord(BaseModel):
    name: str
    status: StepStatus
    started_at: datetime
    duration_s: float
    detail: str | None = None
    screenshot: str | None = None  # path relative to the run folder
    # A failed step: each open window's accessibility snapshot and HTML (relative paths).
    snapshots: list[str] = Field(default_factory=list)


class Verification(BaseModel):
    since: datetime  # portal-local time noted just before Trimite (minute precision)
    rows_seen: int = 0
    first_sent_at: datetime | None = None
    last_sent_at: datetime | None = None
    statuses: dict[str, int] = Field(default_factory=dict)
    rows_failed: int = 0  # of rows_seen, those whose status says the message failed
    polls: int = 0
    duration_s: float = 0.0


class TaskResult(BaseModel):
    name: str  # the task registry's name: "alerts", "invoices"
    title: str | None = None  # the registry's title for people, e.g. "Alerts (Transmitere alerte)"
    status: TaskStatus = TaskStatus.NOT_RUN
    scheduled_at: datetime | None = None
    period_from: str | None = None  # as typed into the portal
    period_to: str | None = None
    verification: Verification | None = None
    steps: list[StepRecord] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    skip_reason: str | None = None
    # Why it was skipped, as data: "not_selected" (--only), "manual_sends", or the ledger's
    # refusal kind ("verified": an earlier run did it today, named by done_by and done_at).
    skip_kind: str | None = None
    done_by: str | None = None
    done_at: datetime | None = None

    def duration_s(self) -> float | None:
        """Wall time from the task's first step to the end of its last one."""
        if not self.steps:
            return None
        start = min(step.started_at for step in self.steps)
        end = max(step.started_at.timestamp() + step.duration_s for step in self.steps)
        return max(0.0, end - start.timestamp())


class RunSummary(BaseModel):
    run_id: str
    started_at: datetime
    finished_at: datetime | None = None
    status: str = "running"
    exit_code: int | None = None
    portal_url: str
    username: str
    dry_run: bool = False
    browser: str | None = None
    run_dir: str | None = None
    tasks: list[TaskResult] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    # Worth knowing, not a failure: a step that passed after a retry, a control the portal
    # now shows differently. Never changes the exit code.
    warnings: list[str] = Field(default_factory=list)
    trace: str | None = None
    steps: list[StepRecord] = Field(default_factory=list)  # run-level steps: login, logout

    def task(self, name: str) -> TaskResult:
        for task in self.tasks:
            if task.name == name:
                return task
        raise KeyError(name)

    def derive_exit_status(self, error: ExitStatus | None = None) -> ExitStatus:
        """The run's exit status from its tasks; ``error`` is a run-level failure, if any."""
        if error is not None:
            return error
        statuses = {t.status for t in self.tasks}
        failed = {
            TaskStatus.FAILED,
            TaskStatus.ALL_FAILED,
            TaskStatus.OUTCOME_UNKNOWN,
            TaskStatus.NOT_RUN,
        }
        if statuses & failed or self.errors:
            return ExitStatus.FAILED
        if TaskStatus.NOT_VERIFIED in statuses:
            return ExitStatus.NOT_VERIFIED
        if TaskStatus.SENT_WITH_ERRORS in statuses:
            return ExitStatus.SENT_WITH_ERRORS
        return ExitStatus.OK

    def effective_exit_code(self) -> int:
        """The run's exit code, derived from its tasks if the run has not set it (yet)."""
        if self.exit_code is not None:
            return self.exit_code
        return int(self.derive_exit_status())

    def duration_s(self) -> float | None:
        if self.finished_at is None:
            return None
        return max(0.0, (self.finished_at - self.started_at).total_seconds())

    def report_path(self) -> Path | None:
        """Where the report of this run is (or would be), from its run folder."""
        return Path(self.run_dir) / REPORT_NAME if self.run_dir else None

    def trace_path(self, run_dir: Path | None = None) -> Path | None:
        """The absolute path of the run's Playwright trace, if one was kept."""
        if not self.trace:
            return None
        path = Path(self.trace)
        base = run_dir or (Path(self.run_dir) if self.run_dir else None)
        if not path.is_absolute() and base is not None:
            path = base / path
        return path.absolute()

    def write(self, run_dir: Path) -> Path:
        path = run_dir / "summary.json"
        path.write_text(self.model_dump_json(indent=2), encoding="utf-8")
        return path
