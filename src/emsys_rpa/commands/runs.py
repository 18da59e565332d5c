"""``emsys-rpa runs``: the latest runs from the run ledger, one line each, newest first."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from emsys_rpa.app.tasks import names
from emsys_rpa.errors import ExitStatus
from emsys_rpa.ledger import LEDGER_NAME, RunLedger, RunRecord
from emsys_rpa.settings import load_settings
from emsys_rpa.summary import REPORT_NAME

_TASKS = tuple(names())
_HEADER = ("when", "status", *_TASKS, "report")


def _where(record: RunRecord) -> str:
    if not record.run_dir:
        return "-"
    report = Path(record.run_dir) / REPORT_NAME
    # A run that crashed before writing its report still has its folder (log, screenshots).
    return str(report) if report.is_file() else f"{record.run_dir} (no report)"


def _row(record: RunRecord) -> tuple[str, ...]:
    status = record.status
    if record.exit_code is not None:
        status += f" ({record.exit_code})"
    if record.dry_run:
        status += " dry run"
    when = record.started_at.strftime("%Y-%m-%d %H:%M")
    tasks = tuple(record.tasks.get(name) or "-" for name in _TASKS)
    return (when, status, *tasks, _where(record))


def format_runs(records: list[RunRecord]) -> list[str]:
    """Aligned lines: a header, then one line per run (the report path last, unpadded)."""
    rows = [_HEADER, *(_row(r) for r in records)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADER) - 1)]
    return [
        "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    ]


def command(
    last: Annotated[int, typer.Option("--last", "-n", min=1, help="How many runs to show.")] = 10,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="Config file; the ledger is in its state.dir folder."),
    ] = None,
) -> ExitStatus:
    """List the latest runs: when, status (exit code), alerts, invoices, report path."""
    settings = load_settings(config, use_keyring=False)
    state_dir = settings.state.resolved_dir
    # Only look: listing runs must not create a ledger (or its folder) where there was none.
    if not (state_dir / LEDGER_NAME).is_file():
        typer.echo(f"No runs recorded yet (no ledger in {state_dir}).")
        return ExitStatus.OK
    with RunLedger.open(state_dir) as ledger:
        records = ledger.latest_runs(last)
    if not records:
        typer.echo(f"No runs recorded yet in {state_dir / LEDGER_NAME}.")
        return ExitStatus.OK
    for line in format_runs(records):
        typer.echo(line.rstrip())
    return ExitStatus.OK
