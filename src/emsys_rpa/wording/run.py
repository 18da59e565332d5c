"""The sentences about a run: its headline, each task's status, refusals, the one-line summary.

Everything here is built from a ``RunSummary`` (or a ledger ``Refusal``) and is the same for the
console, the report and every notification channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from emsys_rpa.errors import ExitStatus
from emsys_rpa.summary import RunSummary, TaskResult, TaskStatus

if TYPE_CHECKING:
    from emsys_rpa.ledger.policy import Refusal

Level = Literal["ok", "info", "warn", "fail"]

# The run-level steps (log in, log out) are shown under this title, like a task's.
SESSION_TITLE = "Portal session (log in, log out)"

_TASK_STATUS: dict[TaskStatus, tuple[Level, str]] = {
    TaskStatus.VERIFIED: ("ok", "verified: the history shows sending started"),
    TaskStatus.NOT_VERIFIED: ("warn", "scheduled, but not seen in the history in time"),
    TaskStatus.DRY_RUN: ("info", "dry run: cancelled before sending"),
    TaskStatus.SKIPPED: ("info", "skipped"),
    TaskStatus.FAILED: ("fail", "failed before anything was sent"),
    TaskStatus.OUTCOME_UNKNOWN: ("fail", "outcome unknown: check the portal before rerunning"),
    TaskStatus.NOT_RUN: ("fail", "not run: the run stopped before this task"),
}


@dataclass(frozen=True)
class Headline:
    """The first thing anyone reads: a level for colouring, a short title, one sentence."""

    level: Level
    title: str
    text: str


def headline(summary: RunSummary) -> Headline:
    code = summary.effective_exit_code()
    statuses = {t.status for t in summary.tasks}
    if code == ExitStatus.OK:
        if summary.dry_run:
            return Headline(
                "info",
                "DRY RUN COMPLETED",
                "Every screen was filled in, then cancelled before sending: nothing was sent.",
            )
        return Headline(
            "ok",
            "OK: SCHEDULED AND VERIFIED",
            "Sending was scheduled and the portal's history shows it started.",
        )
    if code == ExitStatus.NOT_VERIFIED:
        return Headline(
            "warn",
            "NOT VERIFIED",
            "Sending was scheduled, but the portal's history did not show it start in time: "
            "look at Istoric alerte / Istoric facturi E-mail/SMS in the portal.",
        )
    if code == ExitStatus.LOCKED:
        return Headline("warn", "NOT STARTED", "Another run was in progress; this one did nothing.")
    if code == ExitStatus.CONFIG_ERROR:
        return Headline(
            "fail",
            "CONFIGURATION ERROR",
            "Nothing was attempted: fix the configuration named below and run again.",
        )
    if code == ExitStatus.INTERRUPTED:
        return Headline(
            "fail",
            "INTERRUPTED",
            "The run was stopped before it finished: check the portal's history before "
            "running again.",
        )
    if TaskStatus.OUTCOME_UNKNOWN in statuses:
        return Headline(
            "fail",
            "FAILED: OUTCOME UNKNOWN",
            "Sending may or may not have been scheduled: check the portal's history before "
            "running again, or customers may be sent the same messages twice.",
        )
    return Headline(
        "fail",
        "FAILED",
        "A task failed or did not run: see the errors and their screenshots.",
    )


def task_title(task: TaskResult) -> str:
    """The task's name for people (its registry title), e.g. "Alerts (Transmitere alerte)"."""
    return task.title or task.name


def task_status_text(status: TaskStatus) -> str:
    return _TASK_STATUS[status][1]


def task_status_level(status: TaskStatus) -> Level:
    return _TASK_STATUS[status][0]


def one_line(summary: RunSummary) -> str:
    """The single line a cron mail or a clerk reads first."""
    parts = []
    for t in summary.tasks:
        text = f"{t.name} {t.status.value}"
        if t.verification and t.verification.rows_seen:
            text += f" ({t.verification.rows_seen} rows seen)"
        parts.append(text)
    where = f"; report: {summary.run_dir}" if summary.run_dir else ""
    return (
        f"emsys-rpa {summary.status.upper()} (exit {summary.exit_code}): {', '.join(parts)}{where}"
    )


def all_errors(summary: RunSummary) -> list[str]:
    """The run's errors, then each task's, named by task."""
    return list(summary.errors) + [f"{t.name}: {e}" for t in summary.tasks for e in t.errors]


def _clock(refusal: Refusal) -> str:
    return refusal.at.strftime("%H:%M:%S") if refusal.at else "an unknown time"


def refusal_text(refusal: Refusal, *, send_label: str, history_label: str) -> str:
    """Why the ledger refuses to send again, naming the run, the time and where to look."""
    from emsys_rpa.ledger.policy import RefusalKind

    at, run_id, tab = _clock(refusal), refusal.run_id, history_label
    match refusal.kind:
        case RefusalKind.SAME_RUN:
            return (
                f"this run already pressed {send_label} for {refusal.task} at {at}; it is "
                "never pressed twice in one run"
            )
        case RefusalKind.VERIFIED:
            return (
                f"already scheduled today by run {run_id} at {at} and seen sending in {tab}; "
                "use --force to send again"
            )
        case RefusalKind.NOT_VERIFIED:
            return (
                f"already scheduled today by run {run_id} at {at}, but {tab} had not shown "
                f"sending yet — check {tab} in the portal before rerunning with --force"
            )
        case RefusalKind.OUTCOME_UNKNOWN:
            return (
                f"an earlier run (id {run_id}) pressed {send_label} at {at} and could not tell "
                f"whether the portal accepted it — check {tab} in the portal before rerunning "
                "with --force"
            )
        case RefusalKind.INTENT_WITHOUT_OUTCOME:
            return (
                f"an earlier run (id {run_id}) was about to press {send_label} at {at} and "
                f"never recorded the result — check {tab} in the portal before rerunning with "
                "--force"
            )
    what = f" ({refusal.detail})" if refusal.detail else ""
    return (
        f"an earlier run (id {run_id}) was about to press {send_label} at {at} and then ended "
        f"{refusal.status}{what}; the click may have reached the portal — check {tab} in the "
        "portal before rerunning with --force"
    )
