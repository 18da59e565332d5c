"""Safety proofs: the real CLI against the mock portal, under faults, crashes and signals.

The end-to-end helpers (``run_cli``, ``cli_env``, ``explain``, the ``portal_factory`` fixture)
and the HTTPS server with a private CA (``private_ca_portal``) are the e2e and robot suites'
own, imported here rather than copied.

Every test of the fault matrix and of the crash reruns records what the portal's ledger said
(``proof``); at the end of the session one line sums it up, e.g.
``safety: 18 fault scenarios × 2 tasks + 7 crash reruns: 0 duplicate sends, 25 passed``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from e2e.conftest import portal_factory  # noqa: F401  (fixture, re-exported)
from robot.test_tls import private_ca_portal  # noqa: F401  (fixture, re-exported)

MATRIX_MODULE = "test_fault_matrix.py"
CRASH_MODULE = "test_crash_reruns.py"


@dataclass
class Proof:
    """What the proofs saw, summed over the session."""

    cli_runs: int = 0
    duplicate_sends: int = 0

    def record(self, ledger: dict[str, object], runs: int = 1) -> None:
        """One portal's ledger after ``runs`` CLI runs against it."""
        self.cli_runs += runs
        duplicates = ledger["duplicate_sends"]
        assert isinstance(duplicates, int)
        self.duplicate_sends += duplicates


_PROOF = pytest.StashKey[Proof]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_PROOF] = Proof()


@pytest.fixture
def proof(request: pytest.FixtureRequest) -> Proof:
    return request.config.stash[_PROOF]


def _module_items(items: list[pytest.Item], module: str) -> list[pytest.Item]:
    return [item for item in items if item.nodeid.split("::")[0].endswith(module)]


_ITEMS = pytest.StashKey[list[pytest.Item]]()


def pytest_collection_finish(session: pytest.Session) -> None:
    # After deselection (-k, -m): the line counts what ran.
    items = session.items
    session.config.stash[_ITEMS] = _module_items(items, MATRIX_MODULE) + _module_items(
        items, CRASH_MODULE
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The matrix's size and result, in one line anyone can quote (README "Safety")."""
    config = terminalreporter.config
    items = config.stash.get(_ITEMS, [])
    if not items:
        return
    ids = {item.nodeid for item in items}
    outcomes: dict[str, set[str]] = {"passed": set(), "failed": set(), "error": set()}
    outcomes["skipped"] = set()
    seconds_spent = 0.0
    for category, reports in terminalreporter.stats.items():
        for report in reports:
            if getattr(report, "nodeid", None) not in ids:
                continue
            seconds_spent += getattr(report, "duration", 0.0)
            if category in outcomes:
                outcomes[category].add(report.nodeid)
    scenarios = len(_module_items(items, MATRIX_MODULE))
    crashes = len(_module_items(items, CRASH_MODULE))
    proof = config.stash[_PROOF]
    # The matrix's and the reruns' own time, whatever else ran in the session.
    minutes, seconds = divmod(round(seconds_spent), 60)
    passed = len(outcomes.pop("passed") - outcomes["failed"] - outcomes["error"])
    others = "".join(f", {len(nodes)} {name}" for name, nodes in outcomes.items() if nodes)
    terminalreporter.write_line(
        f"safety: {scenarios} fault scenarios × 2 tasks + {crashes} crash reruns: "
        f"{proof.duplicate_sends} duplicate sends, {passed} passed{others} "
        f"({proof.cli_runs} CLI runs, {minutes} min {seconds:02d} s)",
        bold=True,
    )
