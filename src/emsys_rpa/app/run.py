"""A run as an application: lock → run folder and logging → ledger → procedure → outputs.

The order matters: the run lock is taken before anything is written, the run folder and its
log exist before the browser starts, the ledger records the run before the first click, and
summary.json / report.html / notifications happen whatever the run's outcome (including
Ctrl-C and SIGTERM, which take the same orderly path).
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import structlog

from emsys_rpa.app.procedure import Procedure
from emsys_rpa.app.tasks import TASKS, TaskSpec, select
from emsys_rpa.app.verification import apply_reading, decide, failing_statuses
from emsys_rpa.console import make_observer, print_final
from emsys_rpa.errors import EmsysError, ExitStatus
from emsys_rpa.fsutil import private_file, usable_dir
from emsys_rpa.history import Tally
from emsys_rpa.ledger import LedgerGuard, RunLedger
from emsys_rpa.ledger.policy import unsettled
from emsys_rpa.logging_setup import close_run_log, configure_logging
from emsys_rpa.period import minute_floor, portal_today
from emsys_rpa.redaction import scrub_text
from emsys_rpa.report import prepare_in_background, write_report
from emsys_rpa.runlock import run_lock
from emsys_rpa.secrets import register_secret
from emsys_rpa.settings import Settings
from emsys_rpa.signals import sigterm_as_interrupt
from emsys_rpa.summary import RunSummary, TaskResult, TaskStatus, Verification
from emsys_rpa.wording import N_, one_line

log = structlog.get_logger("emsys_rpa.app")


def folder_stamp(started: datetime) -> str:
    """A run folder's name: its start in the portal's zone, the zone's offset included
    (``2026-11-29_174823+0200``), so that it matches the times in its report."""
    return started.strftime("%Y-%m-%d_%H%M%S%z")


def run_folder(settings: Settings, started: datetime) -> Path:
    """``--report-dir`` if it is new or empty, else a fresh folder inside it (an earlier run's
    evidence is never overwritten); without it ``runs_root/<stamp>``. Unique per run."""
    stamp = folder_stamp(started.astimezone(settings.portal.tz))
    given = settings.run.report_dir
    if given is not None and not (given.is_dir() and any(given.iterdir())):
        return given
    parent = given if given is not None else settings.run.runs_root
    folder = parent / stamp
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = parent / f"{stamp}-{suffix}"
    return folder


def _console_log_stream(fmt: str, quiet: bool) -> TextIO:
    """Where structlog writes on the console: nowhere with ``--quiet`` (cron mails stderr too,
    and it promises one line) or while a live display owns the terminal; run.log.jsonl has
    every line either way."""
    live = fmt == "auto" and sys.stdout.isatty() and sys.stderr.isatty()
    if quiet or live:
        return Path(os.devnull).open("w", encoding="utf-8")  # lives as long as the process
    return sys.stderr


def execute(
    settings: Settings,
    *,
    quiet: bool = False,
    stream: TextIO | None = None,
    tasks: Sequence[TaskSpec] = TASKS,
) -> tuple[ExitStatus, RunSummary]:
    """Run the job with ``settings`` (already validated); the exit status and the summary."""
    select(settings.run.only, tasks)  # an unknown task name stops here, before anything exists
    started = datetime.now(UTC)
    state_dir = usable_dir(settings.state.resolved_dir, N_("state folder"))
    with sigterm_as_interrupt(), run_lock(state_dir):
        # Absolute: `runs` and `report` find it from any folder.
        run_dir = usable_dir(run_folder(settings, started), N_("run folder")).absolute()
        run_log = private_file(run_dir / "run.log.jsonl")
        configure_logging(
            settings.log.format,
            settings.log.level,
            run_log=run_log,
            stream=_console_log_stream(settings.log.format, quiet),
        )
        register_secret(settings.password)
        summary = RunSummary(
            run_id=f"{started.astimezone(settings.portal.tz):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}",
            started_at=started.astimezone(settings.portal.tz),
            portal_url=settings.portal.url or "",
            username=settings.username or "",
            dry_run=settings.run.dry_run,
            run_dir=str(run_dir),
        )
        log.info(
            "run started",
            run_id=summary.run_id,
            portal=summary.portal_url,
            tasks=[spec.name for spec in select(settings.run.only, tasks)],
            dry_run=settings.run.dry_run,
            run_dir=str(run_dir),
        )
        try:
            status = _run_with_ledger(settings, summary, run_dir, quiet, stream, tasks)
        finally:
            close_run_log()
    return status, summary


def _run_with_ledger(
    settings: Settings,
    summary: RunSummary,
    run_dir: Path,
    quiet: bool,
    stream: TextIO | None,
    tasks: Sequence[TaskSpec],
) -> ExitStatus:
    ledger = RunLedger.open(settings.state.resolved_dir)
    interrupted = False
    try:
        ledger.begin_run(summary)
        tz = settings.portal.tz
        guard = LedgerGuard(
            ledger, summary, force=settings.run.force, today=portal_today(tz), tz=tz
        )
        with make_observer(quiet=quiet, stream=stream) as observer:
            procedure = Procedure(
                settings,
                summary,
                run_dir=run_dir,
                observer=observer,
                guard=guard,
                tasks=tasks,
                # The report is written at the end: what it takes loads meanwhile.
                while_browser_starts=prepare_in_background,
            )
            try:
                procedure.run()
            except KeyboardInterrupt:
                interrupted = True
            status = _finish(summary, procedure.run_error, interrupted=interrupted)
            observer.run_finished(summary)
        ledger.end_run(summary, one_line(summary))
    finally:
        ledger.close()
    _write_outputs(settings, summary, run_dir, quiet, stream)
    return status


def _finish(summary: RunSummary, run_error: EmsysError | None, *, interrupted: bool) -> ExitStatus:
    error = ExitStatus.INTERRUPTED if interrupted else None
    if error is None and run_error is not None:
        error = run_error.exit_status
    status = summary.derive_exit_status(error)
    summary.finished_at = datetime.now(UTC).astimezone(summary.started_at.tzinfo)
    summary.exit_code = int(status)
    summary.status = {
        ExitStatus.OK: "dry_run" if summary.dry_run else "ok",
        ExitStatus.NOT_VERIFIED: "not_verified",
        ExitStatus.SENT_WITH_ERRORS: "sent_with_errors",
        ExitStatus.INTERRUPTED: "interrupted",
        ExitStatus.CONFIG_ERROR: "config_error",
    }.get(status, "failed")
    log.info("run finished", status=summary.status, exit_code=summary.exit_code)
    return status


def _write_outputs(
    settings: Settings, summary: RunSummary, run_dir: Path, quiet: bool, stream: TextIO | None
) -> None:
    private_file(run_dir / "summary.json")
    summary.write(run_dir)
    report: Path | None = None
    try:
        report = write_report(summary, run_dir)
        private_file(report)
    except Exception as exc:  # the summary is written; a broken report must not hide the run
        log.error("report not written", error=scrub_text(str(exc)))
    # Imported only when a channel is set up: Apprise is slow to import.
    sent: list[str] = []
    if settings.notify.on != "never" and settings.notify.configured:
        from emsys_rpa.notify import send_notifications

        sent = send_notifications(settings.notify, summary, report)
    if sent:
        log.info("notified", channels=sent)
    print_final(summary, quiet=quiet, stream=stream)


def check(settings: Settings) -> RunSummary:
    """Log in to the portal and out again (``emsys-rpa check``); raises the run's error.

    It holds the run lock as a run does: two browsers logged in as the same user at once is
    what the lock exists to prevent, and a state folder a run could not use fails here too.
    """
    now = datetime.now(UTC)
    summary = RunSummary(
        run_id=f"check-{now.astimezone(settings.portal.tz):%Y%m%d-%H%M%S}",
        started_at=now.astimezone(settings.portal.tz),
        portal_url=settings.portal.url or "",
        username=settings.username or "",
    )
    state_dir = usable_dir(settings.state.resolved_dir, N_("state folder"))
    with sigterm_as_interrupt(), run_lock(state_dir):
        procedure = Procedure(settings, summary, run_dir=None)
        procedure.check_login()
    if procedure.run_error is not None:
        raise procedure.run_error
    return summary


def verify_again(
    settings: Settings, *, stream: TextIO | None = None
) -> tuple[ExitStatus, list[TaskResult]]:
    """``emsys-rpa verify``: read the history again for each task an earlier run left
    unproven today (``not_verified``, ``outcome_unknown``, or pressed with no outcome), and
    file what it shows in the ledger. Nothing is pressed."""
    specs = select(settings.run.only)
    tz = settings.portal.tz
    started = datetime.now(UTC).astimezone(tz)
    summary = RunSummary(
        run_id=f"verify-{started:%Y%m%d-%H%M%S}",
        started_at=started,
        portal_url=settings.portal.url or "",
        username=settings.username or "",
    )
    state_dir = usable_dir(settings.state.resolved_dir, N_("state folder"))
    with sigterm_as_interrupt(), run_lock(state_dir), RunLedger.open(state_dir) as ledger:
        today = portal_today(tz)
        todo = {
            spec.name: found
            for spec in specs
            if (found := unsettled(spec.name, ledger.events(summary, spec.name, today)))
        }
        summary.tasks = [TaskResult(name=s.name, title=s.title) for s in specs if s.name in todo]
        if not todo:
            return ExitStatus.OK, []
        wanted = [
            (spec, minute_floor(todo[spec.name].scheduled_at or started))
            for spec in specs
            if spec.name in todo
        ]
        with make_observer(quiet=False, stream=stream) as observer:
            procedure = Procedure(settings, summary, run_dir=None, observer=observer)
            readings = procedure.read_histories(wanted)
            observer.run_finished(summary)
        if procedure.run_error is not None and not readings:
            raise procedure.run_error
        for task in summary.tasks:
            earlier = todo[task.name]
            reading = readings.get(task.name)
            task.scheduled_at = earlier.scheduled_at
            tally = reading.tally if reading is not None else Tally()
            failing = failing_statuses(tally)
            decision = decide(tally.rows_seen, sum(failing.values()), None)
            task.verification = Verification(since=minute_floor(earlier.scheduled_at or started))
            apply_reading(task, tally, failing, 0)
            if not tally.rows_seen:
                # Still nothing to show for it: it stays as unproven as it was.
                known = earlier.status == TaskStatus.NOT_VERIFIED.value
                task.status = TaskStatus.NOT_VERIFIED if known else TaskStatus.OUTCOME_UNKNOWN
                continue
            task.status = decision.status
            ledger.settle(summary, earlier.run_id, task)
            task.done_by = earlier.run_id
    return summary.derive_exit_status(), summary.tasks
