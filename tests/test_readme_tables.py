"""The README's tables say what the code does: commands, exit codes, `run`'s options."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

from emsys_rpa.cli import app
from emsys_rpa.commands.run import EPILOG
from emsys_rpa.errors import ExitStatus

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _table_after(heading: str) -> list[list[str]]:
    """The rows (cells stripped) of the first table after the line ``heading``."""
    lines = README.split(heading, 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    skip = 1 if lines[start].startswith("|---") else 2  # past the header and its rule
    for line in lines[start + skip :]:
        if not line.startswith("|"):
            break
        cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
        rows.append([cell.strip() for cell in cells])
    return rows


def _root() -> Any:
    # Typer's own group class (not necessarily click's): only .commands and .params are used.
    return typer.main.get_command(app)


def test_the_commands_table_lists_every_command() -> None:
    rows = _table_after("| command | what it does |\n")
    documented = {re.match(r"`emsys-rpa ([a-z-]+)", row[0])[1] for row in rows}  # type: ignore[index]
    assert documented == set(_root().commands)


def test_the_exit_codes_table_is_errors_exit_status() -> None:
    rows = _table_after("## Exit codes")
    documented = {int(row[0]) for row in rows}
    assert documented == {int(code) for code in ExitStatus}
    # `run --help` lists the same codes.
    in_help = {int(m) for m in re.findall(r"^  (\d+) ", EPILOG, re.MULTILINE)}
    assert in_help == documented


def test_the_run_options_table_matches_run_help() -> None:
    rows = _table_after("`emsys-rpa run` options")
    documented = {opt for row in rows for opt in re.findall(r"`(-{1,2}[a-z-]+)", row[0])}
    documented |= {opt for row in rows for opt in re.findall(r", `(-[a-z])`", row[0])}
    run = _root().commands["run"]
    actual = {
        opt
        for param in run.params
        if not getattr(param, "is_argument", False) and param.param_type_name == "option"
        for opt in param.opts
        if opt not in ("--help", "-h")
    }
    assert documented == actual
