"""``emsys-rpa run``: the whole job, unattended, with its evidence left in a run folder.

The order matters: the run lock is taken before anything is written, the run folder and its
log exist before the browser starts, the ledger records the run before the first click, and
summary.json / report.html / notifications happen whatever the run's outcome (including
Ctrl-C and SIGTERM, which take the same orderly path).
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, TextIO

import structlog
import typer

from emsys_rpa.console import make_observer, print_final
from emsys_rpa.errors import ConfigError, ExitStatus
from emsys_rpa.fsutil import private_dir, private_file
from emsys_rpa.logging_setup import close_run_log, configure_logging, scrub_text
from emsys_rpa.notify import send_notifications
from emsys_rpa.period import portal_today
from emsys_rpa.report import write_report
from emsys_rpa.runledger import RunLedger
from emsys_rpa.runlock import run_lock
from emsys_rpa.runner import Runner
from emsys_rpa.secrets import register_secret
from emsys_rpa.settings import ALL_TASKS, Settings, load_settings
from emsys_rpa.signals import sigterm_as_interrupt
from emsys_rpa.summary import RunSummary

log = structlog.get_logger("emsys_rpa.commands.run")


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
    runner_hook: Callable[[Runner], None] | None = None,
) -> tuple[ExitStatus, RunSummary]:
    """Run the job with ``settings`` (already validated); the exit status and the summary."""
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
            tasks=list(settings.run.only),
            dry_run=settings.run.dry_run,
            run_dir=str(run_dir),
        )
        try:
            status = _run_with_ledger(settings, summary, run_dir, quiet, stream, runner_hook)
        finally:
            close_run_log()
    return status, summary


def _run_with_ledger(
    settings: Settings,
    summary: RunSummary,
    run_dir: Path,
    quiet: bool,
    stream: TextIO | None,
    runner_hook: Callable[[Runner], None] | None,
) -> ExitStatus:
    ledger = RunLedger.open(settings.state.resolved_dir)
    interrupted = False
    runner: Runner | None = None
    try:
        ledger.begin_run(summary)
        tz = settings.portal.tz
        guard = ledger.guard(summary, force=settings.run.force, today=portal_today(tz), tz=tz)
        with make_observer(quiet=quiet, stream=stream) as observer:
            runner = Runner(settings, summary, run_dir=run_dir, observer=observer, guard=guard)
            if runner_hook is not None:
                runner_hook(runner)
            try:
                runner.run()
            except KeyboardInterrupt:
                interrupted = True
            status = _finish(summary, runner, interrupted=interrupted)
            observer.run_finished(summary)
        ledger.end_run(summary)
    finally:
        ledger.close()
    _write_outputs(settings, summary, run_dir, quiet, stream)
    return status


def _finish(summary: RunSummary, runner: Runner, *, interrupted: bool) -> ExitStatus:
    error = ExitStatus.INTERRUPTED if interrupted else None
    if error is None and runner.run_error is not None:
        error = runner.run_error.exit_status
    status = summary.derive_exit_status(error)
    summary.finished_at = datetime.now(UTC).astimezone(summary.started_at.tzinfo)
    summary.exit_code = int(status)
    summary.status = {
        ExitStatus.OK: "dry_run" if summary.dry_run else "ok",
        ExitStatus.NOT_VERIFIED: "not_verified",
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


def overrides(
    *,
    only: str | None = None,
    dry_run: bool = False,
    headed: bool = False,
    slow_mo: int | None = None,
    report_dir: Path | None = None,
    verify_timeout: float | None = None,
    force: bool = False,
    period_from: date | None = None,
    period_to: date | None = None,
    log_format: str | None = None,
) -> dict[str, Any]:
    """Command-line values in the Settings layout; flags not given do not hide the config."""
    return {
        "run": {
            "only": only,
            "dry_run": True if dry_run else None,
            "force": True if force else None,
            "report_dir": report_dir,
            "verify_timeout_s": verify_timeout,
            "period_from": period_from,
            "period_to": period_to,
        },
        "browser": {"headless": False if headed else None, "slow_mo_ms": slow_mo},
        "log": {"format": log_format},
    }


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ConfigError(f"{option}: {value!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def command(
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Config file (TOML).")
    ] = None,
    only: Annotated[
        str | None,
        typer.Option("--only", help="Run only these tasks: alerts, invoices (comma-separated)."),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Fill every screen and tick Fundal, then cancel: sends nothing."
        ),
    ] = False,
    headed: Annotated[bool, typer.Option("--headed", help="Show the browser window.")] = False,
    slow_mo: Annotated[
        int | None, typer.Option("--slow-mo", min=0, help="Slow every browser action (ms).")
    ] = None,
    report_dir: Annotated[
        Path | None, typer.Option("--report-dir", help="Run folder (default runs/<timestamp>).")
    ] = None,
    verify_timeout: Annotated[
        float | None,
        typer.Option("--verify-timeout", min=1, help="Seconds to wait for the history (600)."),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Send even if the ledger says it was already sent today."),
    ] = False,
    period_from: Annotated[
        str | None, typer.Option("--period-from", help="Perioada start (YYYY-MM-DD).")
    ] = None,
    period_to: Annotated[
        str | None, typer.Option("--period-to", help="Perioada end (YYYY-MM-DD).")
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only the final one-line summary.")
    ] = False,
    log_format: Annotated[
        str | None,
        typer.Option("--log-format", help="auto | console | json (stderr log lines)."),
    ] = None,
) -> ExitStatus:
    """Schedule the alerts and the invoice e-mails, then verify both in the history tabs."""
    if only is not None:
        unknown = [t.strip() for t in only.split(",") if t.strip() not in ALL_TASKS]
        if unknown:
            raise ConfigError(
                f"--only: unknown task(s) {', '.join(unknown)}; use alerts and/or invoices"
            )
    if log_format is not None and log_format not in ("auto", "console", "json"):
        raise ConfigError("--log-format: use auto, console or json")
    start, end = _parse_day(period_from, "--period-from"), _parse_day(period_to, "--period-to")
    if start and end and start > end:
        raise ConfigError(f"--period-from {start} is after --period-to {end}")
    settings = load_settings(
        config,
        overrides(
            only=only,
            dry_run=dry_run,
            headed=headed,
            slow_mo=slow_mo,
            report_dir=report_dir,
            verify_timeout=verify_timeout,
            force=force,
            period_from=start,
            period_to=end,
            log_format=log_format,
        ),
    )
    settings.require_portal()
    register_secret(settings.password)
    status, _ = execute(settings, quiet=quiet)
    return status
