"""``emsys-rpa browser``: say which browser the robot will use, installing one if asked."""

from __future__ import annotations

import typer

from emsys_rpa.browser import ensure_browser, find_browser
from emsys_rpa.errors import ExitStatus


def command(
    install: bool = typer.Option(
        False, "--install", help="Install a browser (apt-get as root, else Playwright) if none."
    ),
    executable: str | None = typer.Option(
        None, envvar="EMSYS_BROWSER_EXECUTABLE", help="Use this browser executable."
    ),
    channel: str | None = typer.Option(
        None, envvar="EMSYS_BROWSER_CHANNEL", help="Use this browser channel (msedge, chrome)."
    ),
) -> ExitStatus:
    """Find the browser the robot will launch (and install one with --install)."""
    choice = (
        ensure_browser(executable, channel, install=True)
        if install
        else find_browser(executable, channel)
    )
    typer.echo(choice.describe())
    return ExitStatus.OK
