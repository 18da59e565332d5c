"""``emsys-rpa check``: is everything in place for a run? Sends nothing.

Validates the configuration, finds the browser, reaches the portal, logs in and logs out —
the first things a new installation (or a changed password) gets wrong, found before the
nightly run does. It takes the run lock, as a run does, and needs the same state folder.
"""

from __future__ import annotations

from typing import Annotated

import typer

from emsys_rpa.browser import find_browser
from emsys_rpa.commands.common import (
    ConfigOption,
    ProfileOption,
    check_log_format,
    load,
    overrides,
)
from emsys_rpa.errors import ExitStatus
from emsys_rpa.logging_setup import configure_logging
from emsys_rpa.secrets import register_secret
from emsys_rpa.settings import Settings
from emsys_rpa.wording import _, safe_url


def run_check(settings: Settings) -> None:
    """The checks, each on its line (``init`` ends with them too)."""
    settings.require_portal()
    register_secret(settings.password)
    configure_logging(settings.log.format, "warning")
    typer.echo(
        _("config: OK (portal {url}, user {user})").format(
            url=safe_url(settings.portal.url or ""), user=settings.username
        )
    )
    choice = find_browser(
        settings.browser.executable, settings.browser.channel, settings.browser.extra_args
    )
    typer.echo(_("browser: {browser}").format(browser=choice.describe()))
    from emsys_rpa.app.run import check  # Playwright: only once a portal is to be checked

    check(settings)
    typer.echo(_("portal: reached, logged in and out again (nothing was sent)"))


def command(
    config: ConfigOption = None,
    profile: ProfileOption = None,
    headed: Annotated[bool, typer.Option("--headed", help="Show the browser window.")] = False,
    log_format: Annotated[
        str | None, typer.Option("--log-format", help="auto | console | json.")
    ] = None,
) -> ExitStatus:
    """Validate the config, find the browser, log in to the portal and out again."""
    check_log_format(log_format)
    settings = load(config, overrides(headed=headed, log_format=log_format), profile=profile)
    run_check(settings)
    return ExitStatus.OK
