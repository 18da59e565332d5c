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
from emsys_rpa.console import make_observer, print_final
from emsys_rpa.errors import EmsysError, ExitStatus
from emsys_rpa.fsutil import private_dir, private_file
from emsys_rpa.ledger import LedgerGuard, RunLedger
from emsys_rpa.logging_setup import close_run_log, configure_logging
from emsys_rpa.notify import send_notifications
from emsys_rpa.period import portal_today
from emsys_rpa.redaction import scrub_text
from emsys_rpa.report import write_report
from emsys_rpa.runlock import run_lock
from emsys_rpa.secrets import register_secret
from emsys_rpa.settings import Settings
from emsys_rpa.signals import sigterm_as_interrupt
from emsys_rpa.summary import RunSummary
from emsys_rpa.wording import one_line

log = structlog.get_logger("emsys_rpa.app")


def run_folder(settings: Settings, started: datetime) -> Path:
    """``--report-dir`` exactly, else ``runs_root/<local timestamp>`` (unique per run)."""
    if settings.run.report_dir is not None:
        return settings.run.report_dir
    stamp = started.astimezone().strftime("%Y-%m-%d_%H%M%S")
    folder = settings.run.runs_root / stamp
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = settings.run.runs_root / f"{stamp}-{suffix}"
    return folder


def _console_log_stream(fmt: str, quiet: bool) -> TextIO:
    """Where structlog writes on the console: nowhere while a live display owns the terminal."""
    if fmt == "auto" and not quiet and sys.stdout.isatty() and sys.stderr.isatty():
        # The live step list shows progress; log lines would tear it. run.log.jsonl has them.
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
    state_dir = settings.state.resolved_dir
    private_dir(state_dir)
    with sigterm_as_interrupt(), run_lock(state_dir):
        run_dir = private_dir(run_folder(settings, started))
        run_log = private_file(run_dir / "run.log.jsonl")
        configure_logging(
            settings.log.format,
            settings.log.level,
            run_log=run_log,
            stream=_console_log_stream(settings.log.format, quiet),
        )
        register_secret(settings.password)
        summary = RunSummary(
            run_id=f"{started.astimezone():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}",
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
                settings, summary, run_dir=run_dir, observer=observer, guard=guard, tasks=tasks
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
    sent = send_notifications(settings.notify, summary, report)
    if sent:
        log.info("notified", channels=sent)
    print_final(summary, quiet=quiet, stream=stream)


def check(settings: Settings) -> RunSummary:
    """Log in to the portal and out again (``emsys-rpa check``); raises the run's error."""
    now = datetime.now(UTC)
    summary = RunSummary(
        run_id=f"check-{now:%Y%m%d-%H%M%S}",
        started_at=now,
        portal_url=settings.portal.url or "",
        username=settings.username or "",
    )
    procedure = Procedure(settings, summary, run_dir=None)
    procedure.check_login()
    if procedure.run_error is not None:
        raise procedure.run_error
    return summary
