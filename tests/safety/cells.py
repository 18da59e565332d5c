"""Running one cell of the fault matrix, and checking it against the portal's own ledger.

``run_cell`` starts a fresh mock portal in the cell's rendering with the scenario's faults,
points the real CLI at it (or at an address where no portal answers) and collects what the
portal recorded. ``check_cell`` then asserts, for every cell:

* the portal's ledger: no duplicate sends, exactly the expected jobs of this task and no
  other, every job in the background, an invoice job's Perioada one calendar month back to
  the portal's today; every armed fault fired, at its step;
* the robot: the exit code, ``summary.json`` and its run ledger agree; a failure is one
  message naming the step and what was looked for, shown on the console, with a screenshot;
* where the robot must reach no portal: nothing reached any portal (the mock, or the TLS
  server's HTTP side), the robot tried the address it was given, and said why it failed.

``check_cell`` raises AssertionError, so a deliberately misbehaving robot can be shown to fail
a cell (tests/safety/test_matrix_catches_misbehaviour.py).
"""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

from e2e.conftest import CliRun, explain, run_cli
from emsys_rpa.browser import BrowserChoice
from emsys_rpa.ledger import RunLedger
from emsys_rpa.mockportal import MockPortal, MockPortalClient, parse_faults
from emsys_rpa.summary import TaskStatus

from .matrix import QUICK_RETRIES, TASKS, Cell
from .tls_listener import TlsListener

# The portal as the robot must see it in cells that reach no portal.
UNRESOLVABLE = "https://emsys-portal.invalid"  # RFC 2606: never resolves


@dataclass
class CellRun:
    """One cell's CLI run and what the portal (and the TLS listener) recorded meanwhile."""

    cell: Cell
    run: CliRun
    state: Path
    target: str  # the portal URL the robot was given
    ledger: dict[str, Any]
    requests: list[dict[str, Any]]
    tls: TlsListener | None = None

    def record(self) -> dict[str, Any]:
        """What the session's result line adds up (as a test report's user property)."""
        return {
            "cell": self.cell.id,
            "in_slice": self.cell.in_slice,
            "reaches_portal": self.cell.scenario.reaches_portal,
            "portal_requests": len(self.requests),
            "duplicate_sends": self.ledger["duplicate_sends"],
            "jobs": len(self.ledger["jobs"]),
        }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    # Closed again: nothing listens there (a race with another program is harmless).
    return port


def start_portal(cell: Cell, portal_factory: Any) -> MockPortal:
    scenario = cell.scenario
    portal: MockPortal = portal_factory(
        cell.rendering,
        faults=parse_faults(list(scenario.faults.get(cell.task, ()))),
        send_start_delay_s=scenario.send_start_delay_s,
        send_rate_per_s=scenario.send_rate_per_s,
    )
    if scenario.lock_account:
        portal.lock_user()
    return portal


def run_cell(
    cell: Cell,
    *,
    portal_factory: Any,
    tmp_path: Path,
    browser_choice: BrowserChoice,
    tls: TlsListener | None = None,
) -> CellRun:
    scenario = cell.scenario
    portal = start_portal(cell, portal_factory)
    target: MockPortalClient = portal
    if scenario.url == "refused":
        target = MockPortalClient(f"http://127.0.0.1:{free_port()}", portal.username)
    elif scenario.url == "dns":
        target = MockPortalClient(UNRESOLVABLE, portal.username)
    elif scenario.url == "tls":
        assert tls is not None, "a TLS cell needs the listener"
        target = MockPortalClient(tls.base_url, portal.username)
    config = tmp_path / "emsys-rpa.toml"
    config.write_text(QUICK_RETRIES + scenario.config, encoding="utf-8")
    args = ["run", "--only", cell.task, "--verify-timeout", f"{scenario.verify_s:g}"]
    run = run_cli(
        [*args, "--config", str(config)],
        portal=target,
        tmp_path=tmp_path,
        browser_choice=browser_choice,
        password=scenario.password if scenario.password is not None else portal.password,
    )
    return CellRun(
        cell, run, tmp_path / "state", target.url, portal.ledger(), portal.requests(), tls
    )


def _errors(run: CliRun) -> list[str]:
    summary = run.summary
    return list(summary["errors"]) + [e for t in summary["tasks"] for e in t["errors"]]


def _failed_step(run: CliRun, task: str, step: str) -> dict[str, Any]:
    steps = run.summary["steps"] + run.task(task)["steps"]
    failed = [s for s in steps if s["name"] == step and s["status"] == "failed"]
    assert failed, f"no failed step {step!r}\n{explain(run)}"
    return failed[-1]  # type: ignore[no-any-return]


def check_cell(done: CellRun) -> None:
    cell, run, ledger = done.cell, done.run, done.ledger
    scenario, task = cell.scenario, cell.task
    expect = scenario.expected(task, cell.rendering)
    why = f"{cell.id}\n{explain(run)}"
    if scenario.reaches_portal:
        _check_portal(done, why)
    else:
        _check_no_portal(done, why)

    # The portal: never twice, exactly the expected jobs, in the background, the right period.
    assert ledger["duplicate_sends"] == 0, f"duplicate sends: {ledger['duplicate_sends']}\n{why}"
    jobs = ledger["jobs"]
    assert all(j["type"] == task for j in jobs), f"the other task was not selected: {jobs}"
    assert len(jobs) == expect.jobs, f"jobs: {len(jobs)}, expected {expect.jobs}: {jobs}\n{why}"
    assert all(j["background"] for j in jobs), f"Fundal not ticked: {jobs}\n{why}"
    today = date.fromisoformat(ledger["today"])
    for job in jobs:
        if job["type"] == "invoices":
            period = (job["period_from"], job["period_to"])
            month_back = (today - relativedelta(months=1)).isoformat()
            assert period == (month_back, today.isoformat()), f"Perioada {period}\n{why}"

    # The robot: exit code, summary.json and its run ledger agree.
    assert run.code == expect.exit, why
    summary = run.summary
    assert summary["exit_code"] == run.code, why
    assert run.task(task)["status"] == expect.status.value, why
    other = next(t for t in TASKS if t != task)
    assert run.task(other)["status"] == TaskStatus.SKIPPED.value, why
    with RunLedger.open(done.state) as run_ledger:
        (record,) = run_ledger.latest_runs()
    assert (record.run_id, record.exit_code) == (summary["run_id"], run.code), why
    assert record.tasks[task] == expect.status.value, (record.tasks, why)

    # A failure: one message naming the step and what was looked for, and a screenshot.
    if expect.step is not None:
        assert expect.message is not None
        errors = _errors(run)
        assert len(errors) == 1, why
        assert f"[{expect.step}]" in errors[0] and expect.message in errors[0], why
        assert errors[0] in run.stdout, "the console shows the same message"
        shot = _failed_step(run, task, expect.step)["screenshot"]
        assert shot and (run.run_dir / shot).is_file(), why
    if scenario.check is not None:
        scenario.check(ledger, done.requests)


def _check_portal(done: CellRun, why: str) -> None:
    """The robot worked against this portal, and every armed fault fired where it was aimed."""
    assert done.requests, f"the robot never reached the portal\n{why}"
    expected = done.cell.scenario.armed_at.get(done.cell.task)
    armed = done.ledger["armed_faults"]
    fired = done.ledger["fired_faults"]
    if expected is None:
        assert not armed, armed
        return
    assert len(armed) == 1 and armed[0]["state"] == "spent", f"{armed}\n{why}"
    assert [f["step"] for f in fired] == [expected], f"fired: {fired}\n{why}"


def _check_no_portal(done: CellRun, why: str) -> None:
    """Nothing reached any portal; the robot tried the address it was given, and said so."""
    assert done.requests == [], f"a portal was reached: {done.requests}"
    assert done.ledger["logins"] == 0
    if done.tls is not None:
        # The robot did connect (a handshake), and refused to talk HTTP over it.
        assert done.tls.handshakes >= 1, "the robot never tried the TLS server"
        assert done.tls.http_requests == 0, "the robot sent a request over an untrusted TLS"
    opened = [
        json.loads(line)
        for line in (done.run.run_dir / "run.log.jsonl").read_text("utf-8").splitlines()
        if '"open the portal"' in line or "goto" in line
    ]
    assert opened, why
    host = done.target.split("//", 1)[1].split("/", 1)[0]
    assert any(host in str(event) for event in opened) or host in done.run.stdout, (
        f"the robot did not say which address it tried ({host})\n{why}"
    )
