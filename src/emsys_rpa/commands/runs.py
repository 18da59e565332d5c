"""``emsys-rpa runs``: the latest runs from the run ledger, one line each, newest first."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import typer

from emsys_rpa.app.tasks import names
from emsys_rpa.commands.common import ConfigOption, ProfileOption, load
from emsys_rpa.errors import ExitStatus
from emsys_rpa.ledger import LEDGER_NAME, RunLedger, RunRecord
from emsys_rpa.ledger.policy import INTENT_ONLY
from emsys_rpa.summary import REPORT_NAME, TaskStatus
from emsys_rpa.wording import _, fmt_clock, task_status_label
from emsys_rpa.wording.run import RUN_STATUS_WORDS

_TASKS = tuple(names())


def _header() -> tuple[str, ...]:
    return (_("when"), _("status"), *_TASKS, _("portal"), _("report"))


def report_of(record: RunRecord) -> Path | None:
    """The run's report, if it is where the ledger says the run folder is."""
    if not record.run_dir:
        return None
    report = Path(record.run_dir) / REPORT_NAME
    return report if report.is_file() else None


def _where(record: RunRecord) -> str:
    if not record.run_dir:
        return "-"
    report = report_of(record)
    if report is not None:
        return str(report)
    if not Path(record.run_dir).is_absolute():
        # Runs recorded before paths were stored absolute: relative to where they started.
        return _("{path} (relative to the folder that run started in)").format(path=record.run_dir)
    # A run that crashed before writing its report still has its folder (log, screenshots).
    return _("{path} (no report)").format(path=record.run_dir)


def _task_cell(status: str | None) -> str:
    if not status:
        return "-"
    if status == INTENT_ONLY:
        return _("pressed, no outcome")
    try:
        return task_status_label(TaskStatus(status))
    except ValueError:
        return status


def _status_cell(record: RunRecord) -> str:
    word = RUN_STATUS_WORDS.get(record.status, record.status.upper())
    text = _(word).lower() if word else record.status
    if record.exit_code is not None:
        text += f" ({record.exit_code})"
    if record.dry_run and record.status != "dry_run":
        text += " " + _("dry run")
    return text


def _portal(url: str) -> str:
    try:
        return urlsplit(url).netloc.rsplit("@", 1)[-1] or url
    except ValueError:
        return url


def _row(record: RunRecord, zone: ZoneInfo) -> tuple[str, ...]:
    started = record.started_at.astimezone(zone)
    when = f"{started:%Y-%m-%d} {fmt_clock(started, seconds=False)}"
    tasks = tuple(_task_cell(record.tasks.get(name)) for name in _TASKS)
    return (when, _status_cell(record), *tasks, _portal(record.portal_url), _where(record))


def format_runs(records: list[RunRecord], zone: ZoneInfo | None = None) -> list[str]:
    """Aligned lines: a header, then one line per run (the report path last, unpadded)."""
    header = _header()
    rows = [header, *(_row(r, zone or ZoneInfo("Europe/Bucharest")) for r in records)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    return [
        "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    ]


def command(
    last: Annotated[int, typer.Option("--last", "-n", min=1, help="How many runs to show.")] = 10,
    config: ConfigOption = None,
    profile: ProfileOption = None,
) -> ExitStatus:
    """List the latest runs: when, status (exit code), each task, portal, report path."""
    settings = load(config, use_keyring=False, profile=profile)
    state_dir = settings.state.resolved_dir
    if settings.profile:
        typer.echo(_("Profile: {name}").format(name=settings.profile))
    # Only look: listing runs must not create a ledger (or its folder) where there was none.
    if not (state_dir / LEDGER_NAME).is_file():
        typer.echo(_("No runs recorded yet (no ledger in {folder}).").format(folder=state_dir))
        return ExitStatus.OK
    with RunLedger.open(state_dir) as ledger:
        records = ledger.latest_runs(last)
    if not records:
        typer.echo(_("No runs recorded yet in {ledger}.").format(ledger=state_dir / LEDGER_NAME))
        return ExitStatus.OK
    for line in format_runs(records, settings.portal.tz):
        typer.echo(line.rstrip())
    return ExitStatus.OK
