"""The fault matrix: every scenario × every rendering × each task, the real CLI against the mock.

The cells are data (tests/safety/matrix.py); each one is a CLI run against a fresh mock
portal, checked against the portal's own ledger and what the robot said (tests/safety/
cells.py). By default only the slice runs (one cell per scenario, every rendering and both
tasks among them); ``--full-matrix`` (``make safety``) runs them all.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from emsys_rpa.browser import BrowserChoice

from .cells import check_cell, run_cell
from .matrix import Cell, cells
from .tls_listener import untrusted_tls_listener

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Cells that show a robot bug not fixed here: cell id → what goes wrong. Each is
# xfail(strict=True), so fixing the bug makes it fail until its line is removed.
KNOWN_BUGS: dict[str, str] = {}


def _param(cell: Cell) -> Any:
    marks: list[pytest.MarkDecorator] = []
    if not cell.in_slice:
        marks.append(pytest.mark.full_matrix)
    if cell.id in KNOWN_BUGS:
        marks.append(pytest.mark.xfail(reason=KNOWN_BUGS[cell.id], strict=True))
    return pytest.param(cell, id=cell.id, marks=marks)


CELLS = cells()
assert set(KNOWN_BUGS) <= {c.id for c in CELLS}, "a known bug names no cell"


@pytest.mark.parametrize("cell", [_param(c) for c in CELLS])
def test_cell(
    cell: Cell,
    portal_factory: Any,
    tmp_path: Path,
    browser_choice: BrowserChoice,
    request: pytest.FixtureRequest,
) -> None:
    with ExitStack() as stack:
        tls = None
        if cell.scenario.url == "tls":
            tls = stack.enter_context(untrusted_tls_listener(tmp_path))
        done = run_cell(
            cell,
            portal_factory=portal_factory,
            tmp_path=tmp_path,
            browser_choice=browser_choice,
            tls=tls,
        )
        # Recorded before the checks: a failing cell's duplicates count too.
        request.node.user_properties.append(("safety_cell", done.record()))
        check_cell(done)
