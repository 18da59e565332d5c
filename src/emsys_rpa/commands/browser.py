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
    headed: bool = typer.Option(
        False, "--headed", help="The browser a --headed run uses (a full browser)."
    ),
) -> ExitStatus:
    """Say which browser a run will launch, and why (install what is missing with --install)."""
    headless = not headed
    choice = (
        ensure_browser(executable, channel, install=True, headless=headless)
        if install
        else find_browser(executable, channel, headless=headless)
    )
    typer.echo(choice.describe())
    if headless:
        typer.echo("for headless runs (the default); `emsys-rpa browser --headed`: for --headed")
    else:
        typer.echo("for --headed runs; `emsys-rpa browser`: for headless runs (the default)")
    return ExitStatus.OK
