"""``emsys-rpa check``: is everything in place for a run? Sends nothing.

Validates the configuration, finds the browser, reaches the portal, logs in and logs out —
the first things a new installation (or a changed password) gets wrong, found before the
nightly run does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from emsys_rpa.browser import find_browser
from emsys_rpa.commands.run import overrides
from emsys_rpa.errors import ExitStatus
from emsys_rpa.logging_setup import configure_logging
from emsys_rpa.runner import Runner
from emsys_rpa.secrets import register_secret
from emsys_rpa.settings import load_settings
from emsys_rpa.summary import RunSummary


def command(
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Config file (TOML).")
    ] = None,
    headed: Annotated[bool, typer.Option("--headed", help="Show the browser window.")] = False,
    log_format: Annotated[
        str | None, typer.Option("--log-format", help="auto | console | json.")
    ] = None,
) -> ExitStatus:
    """Validate the config, find the browser, log in to the portal and out again."""
    settings = load_settings(config, overrides(headed=headed, log_format=log_format))
    settings.require_portal()
    register_secret(settings.password)
    configure_logging(settings.log.format, "warning")
    typer.echo(f"config: OK (portal {settings.portal.url}, user {settings.username})")
    choice = find_browser(
        settings.browser.executable, settings.browser.channel, settings.browser.extra_args
    )
    typer.echo(f"browser: {choice.describe()}")
    summary = RunSummary(
        run_id=f"check-{datetime.now(UTC):%Y%m%d-%H%M%S}",
        started_at=datetime.now(UTC),
        portal_url=settings.portal.url or "",
        username=settings.username or "",
    )
    runner = Runner(settings, summary, run_dir=None)
    runner.check_login()
    if runner.run_error is not None:
        raise runner.run_error
    typer.echo("portal: reached, logged in and out again (nothing was sent)")
    return ExitStatus.OK
