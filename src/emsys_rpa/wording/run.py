"""The sentences about a run: its headline, each task's status, refusals, the one-line summary.

Everything here is built from a ``RunSummary`` (or a ledger ``Refusal``) and is the same for the
console, the report and every notification channel. Each sentence is translated when it is
written (``wording.i18n``); the task and status names in ``summary.json`` stay English.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from emsys_rpa.errors import ExitStatus
from emsys_rpa.summary import RunSummary, TaskResult, TaskStatus
from emsys_rpa.wording.display import translate_text
from emsys_rpa.wording.formats import fmt_clock
from emsys_rpa.wording.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from emsys_rpa.ledger.policy import Refusal

Level = Literal["ok", "info", "warn", "fail"]

NOT_SELECTED = "not_selected"


def session_title() -> str:
    """The run-level steps (log in, log out) are shown under this title, like a task's."""
    return _("Portal session (log in, log out)")


# (level, short label, sentence): the label fits a table cell, the sentence explains it.
_TASK_STATUS: dict[TaskStatus, tuple[Level, str, str]] = {
    TaskStatus.VERIFIED: (
        "ok",
        N_("verified"),
        N_("verified: the history shows sending started"),
    ),
    TaskStatus.SENT_WITH_ERRORS: (
        "warn",
        N_("sent with errors"),
        N_("sent with errors: sending started, but some messages failed"),
    ),
    TaskStatus.ALL_FAILED: (
        "fail",
        N_("every message failed"),
        N_("sent, but every message failed: check the portal before sending again"),
    ),
    TaskStatus.NOT_VERIFIED: (
        "warn",
        N_("not verified"),
        N_("scheduled, but not seen in the history in time"),
    ),
    TaskStatus.DRY_RUN: ("info", N_("dry run"), N_("dry run: cancelled before sending")),
    TaskStatus.SKIPPED: ("info", N_("skipped"), N_("skipped")),
    TaskStatus.FAILED: ("fail", N_("failed"), N_("failed: nothing was sent")),
    TaskStatus.OUTCOME_UNKNOWN: (
        "fail",
        N_("outcome unknown"),
        N_("outcome unknown: check the portal before rerunning"),
    ),
    TaskStatus.NOT_RUN: ("fail", N_("not run"), N_("not run: the run stopped before this task")),
}

# The run's status (summary.status) as a word for the one-line summary.
RUN_STATUS_WORDS = {
    "ok": N_("OK"),
    "dry_run": N_("DRY RUN"),
    "nothing_to_do": N_("NOTHING TO DO"),
    "not_verified": N_("NOT VERIFIED"),
    "sent_with_errors": N_("SENT WITH ERRORS"),
    "interrupted": N_("INTERRUPTED"),
    "config_error": N_("CONFIGURATION ERROR"),
    "failed": N_("FAILED"),
    "locked": N_("NOT STARTED"),
    "running": N_("RUNNING"),
}


@dataclass(frozen=True)
class Headline:
    """The first thing anyone reads: a level for colouring, a short title, one sentence."""

    level: Level
    title: str
    text: str


def already_done(summary: RunSummary) -> list[TaskResult]:
    """The tasks an earlier run already did today (verified), skipped by the ledger."""
    return [t for t in summary.tasks if t.status is TaskStatus.SKIPPED and t.done_by]


def nothing_sent(summary: RunSummary) -> bool:
    """Every task was skipped: this run pressed nothing."""
    return bool(summary.tasks) and all(t.status is TaskStatus.SKIPPED for t in summary.tasks)


def _done_list(tasks: list[TaskResult]) -> str:
    return "; ".join(
        _("{task}: by run {run} at {at}").format(
            task=task_title(t), run=t.done_by, at=fmt_clock(t.done_at, seconds=False)
        )
        for t in tasks
    )


def headline(summary: RunSummary) -> Headline:
    code = summary.effective_exit_code()
    statuses = {t.status for t in summary.tasks}
    if code == ExitStatus.OK:
        if summary.dry_run:
            return Headline(
                "info",
                _("DRY RUN COMPLETED"),
                _("Every screen was filled in, then cancelled before sending: nothing was sent."),
            )
        if nothing_sent(summary):
            done = already_done(summary)
            text = _("Nothing was sent: there was nothing left to do.")
            if done:
                text = _("Nothing was sent: already done today ({done}).").format(
                    done=_done_list(done)
                )
            return Headline("info", _("NOTHING SENT: ALREADY DONE"), text)
        text = _("Sending was scheduled and the portal's history shows it started.")
        done = already_done(summary)
        if done:
            text += " " + _("Already done earlier today: {done}.").format(done=_done_list(done))
        return Headline("ok", _("OK: SCHEDULED AND VERIFIED"), text)
    if code == ExitStatus.SENT_WITH_ERRORS:
        failed = sum(t.verification.rows_failed for t in summary.tasks if t.verification)
        return Headline(
            "warn",
            _("SENT WITH ERRORS"),
            ngettext(
                "Sending started, but {n} message failed: see the errors and the portal's history.",
                "Sending started, but {n} messages failed: see the errors and the portal's "
                "history.",
                failed,
            ).format(n=failed),
        )
    if code == ExitStatus.NOT_VERIFIED:
        return Headline(
            "warn",
            _("NOT VERIFIED"),
            _(
                "Sending was scheduled, but the portal's history did not show it start in time: "
                "look at Istoric alerte / Istoric facturi E-mail/SMS in the portal, or run "
                "`emsys-rpa verify` later."
            ),
        )
    if code == ExitStatus.LOCKED:
        return Headline(
            "warn", _("NOT STARTED"), _("Another run was in progress; this one did nothing.")
        )
    if code == ExitStatus.CONFIG_ERROR:
        return Headline(
            "fail",
            _("CONFIGURATION ERROR"),
            _("Nothing was attempted: fix the configuration named below and run again."),
        )
    if code == ExitStatus.INTERRUPTED:
        return Headline(
            "fail",
            _("INTERRUPTED"),
            _(
                "The run was stopped before it finished: check the portal's history before "
                "running again."
            ),
        )
    if TaskStatus.OUTCOME_UNKNOWN in statuses:
        return Headline(
            "fail",
            _("FAILED: OUTCOME UNKNOWN"),
            _(
                "Sending may or may not have been scheduled: check the portal's history before "
                "running again, or customers may be sent the same messages twice."
            ),
        )
    if TaskStatus.ALL_FAILED in statuses:
        return Headline(
            "fail",
            _("FAILED: EVERY MESSAGE FAILED"),
            _(
                "Sending was attempted, but every message failed: see the errors and the "
                "portal's history before running again."
            ),
        )
    return Headline(
        "fail",
        _("FAILED"),
        _("A task failed or did not run: see the errors and their screenshots."),
    )


def task_title(task: TaskResult) -> str:
    """The task's name for people (its registry title), e.g. "Alerts (Transmitere alerte)"."""
    return _(task.title) if task.title else task.name


def task_status_text(status: TaskStatus) -> str:
    return _(_TASK_STATUS[status][2])


def task_status_label(status: TaskStatus) -> str:
    """The status in a word or two, for table cells and the one-line summary."""
    return _(_TASK_STATUS[status][1])


def task_status_level(status: TaskStatus) -> Level:
    return _TASK_STATUS[status][0]


def task_outcome(task: TaskResult) -> str:
    """What happened to one task, in one phrase: its status, and why it was skipped."""
    if task.status is TaskStatus.SKIPPED:
        if task.skip_kind == NOT_SELECTED:
            return _("not selected (--only)")
        if task.done_by:
            return _("already done by run {run} at {at}: nothing sent").format(
                run=task.done_by, at=fmt_clock(task.done_at, seconds=False)
            )
        if task.skip_reason:
            return _("not sent: {reason}").format(reason=translate_text(task.skip_reason))
    text = task_status_label(task.status)
    v = task.verification
    if v is not None and v.rows_seen:
        rows = ngettext("{n} row seen", "{n} rows seen", v.rows_seen).format(n=v.rows_seen)
        if v.rows_failed:
            rows += ", " + ngettext("{n} failed", "{n} failed", v.rows_failed).format(
                n=v.rows_failed
            )
        text += f" ({rows})"
    return text


def run_status_word(summary: RunSummary) -> str:
    status = summary.status
    if status == "ok" and nothing_sent(summary):
        status = "nothing_to_do"
    return _(RUN_STATUS_WORDS.get(status, status.upper()))


def one_line(summary: RunSummary) -> str:
    """The single line a cron mail or a clerk reads first."""
    parts = [f"{t.name} {task_outcome(t)}" for t in summary.tasks]
    where = _("; report: {path}").format(path=summary.run_dir) if summary.run_dir else ""
    return _("emsys-rpa {status} (exit {code}): {tasks}{where}").format(
        status=run_status_word(summary),
        code=summary.exit_code,
        tasks=", ".join(parts),
        where=where,
    )


def all_errors(summary: RunSummary) -> list[str]:
    """The run's errors, then each task's, named by task."""
    return [translate_text(e) for e in summary.errors] + [
        f"{t.name}: {translate_text(e)}" for t in summary.tasks for e in t.errors
    ]


def _clock(refusal: Refusal) -> str:
    return fmt_clock(refusal.at) if refusal.at else _("an unknown time")


def refusal_text(refusal: Refusal, *, send_label: str, history_label: str) -> str:
    """Why the ledger refuses to send again, naming the run, the time and where to look."""
    from emsys_rpa.ledger.policy import RefusalKind

    values = {
        "at": _clock(refusal),
        "run": refusal.run_id,
        "tab": history_label,
        "send": send_label,
        "task": refusal.task,
    }
    match refusal.kind:
        case RefusalKind.SAME_RUN:
            text = _(
                "this run already pressed {send} for {task} at {at}; it is never pressed twice "
                "in one run"
            )
        case RefusalKind.VERIFIED:
            text = _(
                "already scheduled today by run {run} at {at} and seen sending in {tab}; use "
                "--force to send again"
            )
        case RefusalKind.NOT_VERIFIED:
            text = _(
                "already scheduled today by run {run} at {at}, but {tab} had not shown sending "
                "yet — run `emsys-rpa verify`, or check {tab} in the portal before rerunning "
                "with --force"
            )
        case RefusalKind.OUTCOME_UNKNOWN:
            text = _(
                "an earlier run (id {run}) pressed {send} at {at} and could not tell whether "
                "the portal accepted it — run `emsys-rpa verify`, or check {tab} in the portal "
                "before rerunning with --force"
            )
        case RefusalKind.INTENT_WITHOUT_OUTCOME:
            text = _(
                "an earlier run (id {run}) was about to press {send} at {at} and never recorded "
                "the result — check {tab} in the portal before rerunning with --force"
            )
        case _:
            values["status"] = refusal.status or ""
            values["what"] = f" ({refusal.detail})" if refusal.detail else ""
            text = _(
                "an earlier run (id {run}) was about to press {send} at {at} and then ended "
                "{status}{what}; the click may have reached the portal — check {tab} in the "
                "portal before rerunning with --force"
            )
    return text.format(**values)
