"""``emsys-rpa report``: where the last (or a given) run's report is, opened on request."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from emsys_rpa.commands.common import ConfigOption, ProfileOption, load
from emsys_rpa.commands.runs import report_of
from emsys_rpa.errors import ConfigError, ExitStatus
from emsys_rpa.ledger import LEDGER_NAME, RunLedger
from emsys_rpa.summary import REPORT_NAME
from emsys_rpa.wording import _

# How far back a run id is looked for.
_SEARCHED_RUNS = 1000


def find_report(state_dir: Path, run: str | None) -> Path:
    """The report of run ``run`` (a run id, a run folder or a report file), else the latest
    run's that has one."""
    if run is not None:
        given = Path(run)
        if given.is_file():
            return given.absolute()
        if (given / REPORT_NAME).is_file():
            return (given / REPORT_NAME).absolute()
    if not (state_dir / LEDGER_NAME).is_file():
        raise ConfigError(
            _("no runs recorded yet (no ledger in {folder})").format(folder=state_dir),
            hint=_("run `emsys-rpa run` first, or give the run folder"),
        )
    with RunLedger.open(state_dir) as ledger:
        records = ledger.latest_runs(_SEARCHED_RUNS)
    if run is not None:
        records = [r for r in records if r.run_id == run or r.run_id.startswith(run)]
        if not records:
            raise ConfigError(
                _("no run {run} in the ledger, and no such folder").format(run=run),
                hint=_("`emsys-rpa runs` lists the runs"),
            )
    for record in records:
        report = report_of(record)
        if report is not None:
            return report.absolute()
        if run is not None:
            raise ConfigError(
                _("run {run} has no report (its folder: {folder})").format(
                    run=record.run_id, folder=record.run_dir or "-"
                )
            )
    raise ConfigError(_("no recorded run has a report yet"))


def command(
    run: Annotated[
        str | None,
        typer.Argument(help="A run id (or its start), a run folder; default: the latest run."),
    ] = None,
    open_it: Annotated[
        bool, typer.Option("--open", help="Open the report in the default browser.")
    ] = False,
    config: ConfigOption = None,
    profile: ProfileOption = None,
) -> ExitStatus:
    """Print the path of the latest (or a given) run's report.html; --open shows it."""
    settings = load(config, use_keyring=False, profile=profile)
    report = find_report(settings.state.resolved_dir, run)
    typer.echo(str(report))
    if open_it and typer.launch(report.as_uri()) != 0:
        raise ConfigError(
            _("could not open a browser for {path}").format(path=report),
            hint=_("open the file yourself"),
        )
    return ExitStatus.OK
