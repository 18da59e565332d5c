"""``emsys-rpa demo``: the whole job against the bundled mock portal. No configuration needed.

The mock portal starts on a free loopback port with its own throw-away run ledger, so a demo
never touches the real ledger and can be repeated at will. The run folder is a normal one
(``runs/<timestamp>/`` unless ``--report-dir``), so its report can be opened afterwards.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer
from pydantic import SecretStr

from emsys_rpa.commands.common import check_log_format
from emsys_rpa.errors import ConfigError, ExitStatus
from emsys_rpa.settings import (
    BrowserSettings,
    LogSettings,
    PortalSettings,
    RunSettings,
    Settings,
    StateSettings,
)
from emsys_rpa.wording import _


def command(
    variant: Annotated[
        str,
        typer.Option(
            "--variant",
            help="Mock portal markup: a name (default, iframe-alert-cedilla, …) or key=value,…",
        ),
    ] = "default",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Cancel instead of sending.")] = False,
    headed: Annotated[bool, typer.Option("--headed", help="Show the browser window.")] = False,
    slow_mo: Annotated[
        int, typer.Option("--slow-mo", min=0, help="Slow every browser action (ms).")
    ] = 0,
    report_dir: Annotated[
        Path | None, typer.Option("--report-dir", help="Run folder (default runs/<timestamp>).")
    ] = None,
    verify_timeout: Annotated[
        float, typer.Option("--verify-timeout", min=1, help="Seconds to wait for the history.")
    ] = 120.0,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only the final one-line summary.")
    ] = False,
    log_format: Annotated[
        str, typer.Option("--log-format", help="auto | console | json (stderr log lines).")
    ] = "auto",
) -> ExitStatus:
    """Run the whole job against the bundled mock portal and show where the report is."""
    # Imported here only: the robot itself never depends on the mock portal, and neither
    # loads before a command needs it.
    from emsys_rpa.app.run import execute
    from emsys_rpa.mockportal import MockPortalOptions, parse_variant, running_mock_portal

    try:
        chosen = parse_variant(variant)
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"--variant: {exc}") from None
    check_log_format(log_format)
    with (
        tempfile.TemporaryDirectory(prefix="emsys-rpa-demo-") as state,
        running_mock_portal(MockPortalOptions(variant=chosen, send_start_delay_s=1.0)) as portal,
    ):
        if not quiet:
            typer.echo(
                _("Mock portal running at {url} (variant {variant})").format(
                    url=portal.url, variant=variant
                )
            )
        settings = Settings(
            username=portal.username,
            password=SecretStr(portal.password),
            portal=PortalSettings(url=portal.url),
            browser=BrowserSettings(headless=not headed, slow_mo_ms=slow_mo),
            run=RunSettings(
                dry_run=dry_run,
                report_dir=report_dir,
                verify_timeout_s=verify_timeout,
            ),
            state=StateSettings(dir=Path(state)),
            log=LogSettings(format=log_format),
        )
        status, _summary = execute(settings, quiet=quiet)
        if not quiet:
            ledger = portal.ledger()
            jobs = ", ".join(
                f"{job['type']} (Fundal={_('yes') if job['background'] else _('no')})"
                for job in ledger.get("jobs", [])
            )
            typer.echo(_("The mock portal recorded: {jobs}").format(jobs=jobs or _("no job")))
    return status
