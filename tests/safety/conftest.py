"""Safety proofs: the real CLI against the mock portal, under faults, crashes and signals.

The end-to-end helpers (``run_cli``, ``cli_env``, ``explain``, the ``portal_factory`` fixture)
are the e2e suite's own, imported here rather than copied.

Every cell of the fault matrix and every crash rerun records what the portal's ledger said in
its test report (``user_properties``), so the result line below adds up what ran — also when
the tests ran in several processes (``make safety`` uses pytest-xdist), e.g.::

    safety: 36 scenarios × 6 renderings × 2 tasks = 432 cells, 354 applicable …
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from e2e.conftest import portal_factory  # noqa: F401  (fixture, re-exported)

from .matrix import cells, size

CELL = "safety_cell"
CRASH = "safety_crash"


def _records(terminalreporter: pytest.TerminalReporter) -> tuple[list[Any], list[Any]]:
    """(outcome, record, duration) of each matrix cell and crash rerun that ran."""
    found: dict[str, list[Any]] = {CELL: [], CRASH: []}
    for category, reports in terminalreporter.stats.items():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for name, record in getattr(report, "user_properties", ()):
                if name in found:
                    found[name].append((category, record, report.duration))
    return found[CELL], found[CRASH]


def _outcomes(rows: list[Any]) -> str:
    counts = Counter(category for category, _, _ in rows)
    order = ("passed", "failed", "xfailed", "xpassed")
    return ", ".join(f"{counts[name]} {name}" for name in order if counts[name] or name == "passed")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The matrix's size and result, in one line anyone can quote (README "Safety")."""
    matrix, crashes = _records(terminalreporter)
    if not matrix and not crashes:
        return
    scenarios, renderings, tasks, not_applicable = size()
    product = scenarios * renderings * tasks
    applicable = product - not_applicable
    in_slice = sum(cell.in_slice for cell in cells())
    runs = [record for _, record, _ in matrix + crashes]
    duplicates = sum(record["duplicate_sends"] for record in runs)
    untouched = sum(
        1
        for category, record, _ in matrix
        if category == "passed" and record["reaches_portal"] and not record["portal_requests"]
    )
    no_portal = [record for _, record, _ in matrix if not record["reaches_portal"]]
    reached = sum(record["portal_requests"] > 0 for record in no_portal)
    seconds = round(sum(duration for _, _, duration in matrix + crashes))
    minutes, seconds = divmod(seconds, 60)
    ran = "all" if len(matrix) == applicable else f"the slice, {len(matrix)}"
    if len(matrix) not in (applicable, in_slice):
        ran = f"{len(matrix)} selected"
    terminalreporter.write_line(
        f"safety: {scenarios} scenarios × {renderings} renderings × {tasks} tasks = {product} "
        f"cells, {applicable} applicable ({not_applicable} where the step never reaches the "
        f"portal in that rendering); ran {ran}: {_outcomes(matrix)}; "
        f"+ {len(crashes)} crash reruns: {_outcomes(crashes)}; "
        f"{duplicates} duplicate sends, {untouched} cells passed without the robot touching "
        f"the portal, {reached} of {len(no_portal)} no-portal cells reached one "
        f"({sum(r.get('cli_runs', 1) for r in runs)} CLI runs, {minutes} min {seconds:02d} s)",
        bold=True,
    )
