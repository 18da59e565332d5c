"""``emsys-rpa verify``: prove, from the history alone, a send an earlier run left unproven.

For each task an earlier run today left ``not_verified`` or ``outcome_unknown`` (or pressed
Trimite and never recorded what happened), it logs in, opens the task's history tab and reads
the rows since that run's Trimite. Nothing is pressed. When the rows are there, the ledger
records the task as verified for that run, so the next run skips it without ``--force``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from emsys_rpa.commands.common import ConfigOption, ProfileOption, load, overrides
from emsys_rpa.errors import ConfigError, ExitStatus
from emsys_rpa.logging_setup import configure_logging
from emsys_rpa.secrets import register_secret
from emsys_rpa.summary import TaskStatus
from emsys_rpa.wording import _, fmt_clock, task_outcome, task_title


def command(
    only: Annotated[
        str | None,
        typer.Option("--only", help="Verify only these tasks: alerts, invoices (comma-separated)."),
    ] = None,
    config: ConfigOption = None,
    profile: ProfileOption = None,
    headed: Annotated[bool, typer.Option("--headed", help="Show the browser window.")] = False,
) -> ExitStatus:
    """Re-read the history for sends left unverified today; record them verified if seen."""
    if only is not None and not only.replace(",", "").strip():
        raise ConfigError("--only: name at least one task: alerts, invoices (comma-separated)")
    settings = load(config, overrides(only=only, headed=headed), profile=profile)
    settings.require_portal()
    register_secret(settings.password)
    configure_logging(settings.log.format, "warning")
    from emsys_rpa.app.run import verify_again  # Playwright: only when a portal is read

    status, tasks = verify_again(settings)
    if not tasks:
        typer.echo(_("Nothing to verify: no send today is left unproven."))
        return ExitStatus.OK
    for task in tasks:
        pressed = task.scheduled_at.astimezone(settings.portal.tz) if task.scheduled_at else None
        at = fmt_clock(pressed, seconds=False)
        if task.status in (TaskStatus.NOT_VERIFIED, TaskStatus.OUTCOME_UNKNOWN):
            line = _("{task}: still nothing in the history since {at}; look again later").format(
                task=task_title(task), at=at
            )
        else:
            line = _("{task}: {outcome}; recorded for run {run} (Trimite at {at})").format(
                task=task_title(task), outcome=task_outcome(task), run=task.done_by, at=at
            )
        typer.echo(line)
    return status
