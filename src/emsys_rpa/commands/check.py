"""``emsys-rpa check``: is everything in place for a run? Sends nothing.

Validates the configuration, finds the browser, reaches the portal, logs in and logs out —
the first things a new installation (or a changed password) gets wrong, found before the
nightly run does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from emsys_rpa.app.run import check
from emsys_rpa.browser import find_browser
from emsys_rpa.commands.common import check_log_format, overrides
from emsys_rpa.errors import ExitStatus
from emsys_rpa.logging_setup import configure_logging
from emsys_rpa.secrets import register_secret
from emsys_rpa.settings import load_settings


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
    check_log_format(log_format)
    settings = load_settings(config, overrides(headed=headed, log_format=log_format))
    settings.require_portal()
    register_secret(settings.password)
    configure_logging(settings.log.format, "warning")
    typer.echo(f"config: OK (portal {settings.portal.url}, user {settings.username})")
    choice = find_browser(
        settings.browser.executable, settings.browser.channel, settings.browser.extra_args
    )
    typer.echo(f"browser: {choice.describe()}")
    check(settings)
    typer.echo("portal: reached, logged in and out again (nothing was sent)")
    return ExitStatus.OK
