"""``emsys-rpa run``: the whole job, unattended, with its evidence left in a run folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from emsys_rpa.app.run import execute
from emsys_rpa.commands.common import check_log_format, overrides, parse_day
from emsys_rpa.errors import ConfigError, ExitStatus
from emsys_rpa.secrets import register_secret
from emsys_rpa.settings import load_settings


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
    check_log_format(log_format)
    start, end = parse_day(period_from, "--period-from"), parse_day(period_to, "--period-to")
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
