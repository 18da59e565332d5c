"""``emsys-rpa run``: the whole job, unattended, with its evidence left in a run folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from emsys_rpa.commands.common import (
    ConfigOption,
    ProfileOption,
    check_log_format,
    load,
    overrides,
    parse_day,
)
from emsys_rpa.errors import ConfigError, ExitStatus
from emsys_rpa.secrets import register_secret

# Shown under `run --help` (\b keeps click from re-wrapping the lines).
EPILOG = """\b
Exit codes:
  0    scheduled and verified, or nothing left to do (or dry run completed)
  1    a task failed, every message failed, or its outcome is unknown
  2    configuration, usage or set-up error: nothing was attempted
  3    scheduled, but not seen in the history within the timeout
  4    another run is in progress
  5    sent, but some messages failed (sent with errors)
  130  interrupted (Ctrl-C, SIGTERM)

\b
Environment:
  EMSYS_PASSWORD            the portal password (else the system keyring)
  EMSYS_USERNAME            the portal user
  EMSYS_PORTAL_URL          the portal's login page
  EMSYS_PROFILE             like --profile
  EMSYS_LANG                like --lang (ro, en)
  EMSYS_STATE_DIR           where the ledger and the lock are
  EMSYS_RUN_RUNS_ROOT       the parent of the run folders
  EMSYS_BROWSER_EXECUTABLE  the browser to launch
  EMSYS_SMTP_PASSWORD       the SMTP password for e-mail notifications
"""


def command(
    config: ConfigOption = None,
    profile: ProfileOption = None,
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
        Path | None,
        typer.Option(
            "--report-dir",
            help="Run folder (default runs/<timestamp>); if it holds files, a new folder is "
            "made inside it.",
        ),
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
        str | None,
        typer.Option("--period-from", help="Perioada start (YYYY-MM-DD or DD/MM/YYYY)."),
    ] = None,
    period_to: Annotated[
        str | None,
        typer.Option("--period-to", help="Perioada end (YYYY-MM-DD or DD/MM/YYYY)."),
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
    if only is not None and not only.replace(",", "").strip():
        raise ConfigError("--only: name at least one task: alerts, invoices (comma-separated)")
    start, end = parse_day(period_from, "--period-from"), parse_day(period_to, "--period-to")
    if start and end and start > end:
        raise ConfigError(f"--period-from {start} is after --period-to {end}")
    settings = load(
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
        profile=profile,
    )
    settings.require_portal()
    register_secret(settings.password)
    from emsys_rpa.app.run import execute  # Playwright: not for --help or bad input

    status, _ = execute(settings, quiet=quiet)
    return status
