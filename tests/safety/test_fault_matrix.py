"""The fault matrix: every scenario × each task, the real CLI against the mock portal.

A scenario is data (``SCENARIOS``): what is wrong with the portal, the network or the
configuration, and what the robot must then do for each task run alone (``--only alerts``,
``--only invoices``). For every cell the proof comes from the portal's own ledger — no
customer sent anything twice, exactly the expected jobs scheduled, in the background — and
from what the robot says: its exit code, ``summary.json`` and its run ledger agree, and a
failure is one message that names the step and what was looked for, with a screenshot.

Both tasks of a scenario run at the same time (two portals, two state folders), so the
matrix costs about one run per scenario.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from e2e.conftest import CliRun, explain, run_cli
from emsys_rpa.browser import BrowserChoice
from emsys_rpa.errors import ExitStatus
from emsys_rpa.ledger import RunLedger
from emsys_rpa.mockportal import MockPortal, parse_faults
from emsys_rpa.summary import TaskStatus

from .conftest import Proof

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TASKS = ("alerts", "invoices")
# Long enough for a history that shows sending at once, short for the scenarios that wait
# it out (sending never starts, every row fails, the outcome cannot be told).
VERIFY_S = 6
# Faster retries than the defaults: the policy is under test, not its patience.
QUICK_RETRIES = "[retry]\ninitial_backoff_s = 0.2\nmax_backoff_s = 1\n"
# A label that cannot be found: looked for 2 s on each of 2 attempts (defaults: 15 s, 3).
# Scenario configs follow QUICK_RETRIES, so this starts inside its [retry] table.
SHORT_ACTION = "attempts = 2\n[portal]\naction_timeout_s = 2\n"

HISTORY = {"alerts": "“Istoric alerte”", "invoices": "“Istoric facturi E-mail/SMS”"}
VERIFY_STEP = {task: f"verify in the tab {tab}" for task, tab in HISTORY.items()}


@dataclass(frozen=True)
class Expect:
    """What one task's run must end with."""

    exit: ExitStatus
    status: TaskStatus
    jobs: int  # jobs of this task the portal scheduled (0 or 1)
    step: str | None = None  # the failed step the one error message names
    message: str | None = None  # what that message must say (what was looked for / seen)


OK = Expect(ExitStatus.OK, TaskStatus.VERIFIED, 1)


def _same(expect: Expect) -> dict[str, Expect]:
    return dict.fromkeys(TASKS, expect)


def _run_level(step: str, message: str) -> dict[str, Expect]:
    """A failure before any task: nothing scheduled, the task not run."""
    return _same(Expect(ExitStatus.FAILED, TaskStatus.NOT_RUN, 0, step, message))


def _lock_account(portal: MockPortal) -> None:
    # What five wrong passwords earlier in the day would have done.
    portal.lock_user()


def _no_traffic(portal: MockPortal) -> None:
    assert portal.ledger()["requests"] == 0, "the portal must not have been reached"


def _one_refused_login(portal: MockPortal) -> None:
    ledger = portal.ledger()
    assert (ledger["failed_logins"], ledger["logins"]) == (1, 0), "never retried"


def _answered_503(portal: MockPortal) -> None:
    assert sum(r["status"] == 503 for r in portal.requests()) >= 3


def _logged_in_again(portal: MockPortal) -> None:
    ledger = portal.ledger()
    assert ledger["sessions_expired"] >= 1 and ledger["logins"] >= 2, ledger


@dataclass(frozen=True)
class Scenario:
    name: str
    expect: Mapping[str, Expect]
    # Mock faults per task (the same for both unless the flow needs another count).
    faults: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    variant: str = "default"
    send_start_delay_s: float = 0.5
    send_rate_per_s: float = 20.0
    verify_s: float = VERIFY_S
    config: str = ""  # extra TOML for the robot
    password: str | None = None  # None: the portal's own
    url: str = "portal"  # portal | refused | dns | tls
    prepare: Callable[[MockPortal], None] | None = None
    check: Callable[[MockPortal], None] | None = None


def _faults(*specs: str) -> dict[str, tuple[str, ...]]:
    return dict.fromkeys(TASKS, specs)


# Authenticated requests per flow (mock request log): alerts 1 home, 2 Alerte, 3 Istoric
# alerte, 4 Alerte again, 5 Trimite, 6 history; invoices 1 home, 2 screen, 3 Trimite,
# 4 history. session_expiry=N refuses request N+1 of a session.
SCENARIOS: tuple[Scenario, ...] = (
    Scenario("no fault", _same(OK)),
    Scenario("slow portal (300 ms a response)", _same(OK), _faults("latency=300")),
    Scenario(
        "503 for the first requests after login",
        _same(OK),
        _faults("unavailable=3"),
        check=_answered_503,
    ),
    Scenario("confirmation 2 s late", _same(OK), _faults("late_confirm=2")),
    Scenario(
        "confirmation later than the robot waits (history decides)",
        _same(OK),
        _faults("late_confirm=5"),
        config="[portal]\nnavigation_timeout_s = 2\n",
    ),
    # The job runs at once, so the first look at the history already shows the failures.
    Scenario(
        "half the rows fail after sending started",
        _same(Expect(ExitStatus.SENT_WITH_ERRORS, TaskStatus.SENT_WITH_ERRORS, 1)),
        _faults("job_fail=0.5"),
        send_rate_per_s=10_000,
    ),
    # One rule for both tasks, though failed invoice rows carry no send date: they appear at
    # the grid's newest end while the robot watches (the job starts after its first look).
    Scenario(
        "every row fails",
        {
            task: Expect(
                ExitStatus.FAILED,
                TaskStatus.ALL_FAILED,
                1,
                VERIFY_STEP[task],
                "sent, but every message failed",
            )
            for task in TASKS
        },
        _faults("job_fail=0"),
        send_start_delay_s=2.5,
        verify_s=12,
    ),
    Scenario(
        "sending starts after the verification timeout",
        {
            task: Expect(
                ExitStatus.NOT_VERIFIED,
                TaskStatus.NOT_VERIFIED,
                1,
                VERIFY_STEP[task],
                "showed nothing new",
            )
            for task in TASKS
        },
        send_start_delay_s=60,
    ),
    Scenario(
        "session expires at the Trimite click (outcome unknown)",
        {
            "alerts": Expect(
                ExitStatus.FAILED,
                TaskStatus.OUTCOME_UNKNOWN,
                0,
                VERIFY_STEP["alerts"],
                "neither an information message nor new history rows",
            ),
            # Two requests a session never reach the history: it cannot be read.
            "invoices": Expect(
                ExitStatus.FAILED,
                TaskStatus.OUTCOME_UNKNOWN,
                0,
                VERIFY_STEP["invoices"],
                "the history could not be read",
            ),
        },
        {"alerts": ("session_expiry=4",), "invoices": ("session_expiry=2",)},
        check=_logged_in_again,
    ),
    Scenario(
        "session expires while verifying",
        _same(OK),
        {"alerts": ("session_expiry=5",), "invoices": ("session_expiry=3",)},
        check=_logged_in_again,
    ),
    Scenario(
        "portal down (503 everywhere)",
        _run_level("open the portal", "answered 503"),
        _faults("down"),
    ),
    Scenario(
        "wrong password",
        _run_level("log in", "the portal refused the login"),
        password="Not-The-Password-1",
        check=_one_refused_login,
    ),
    Scenario(
        "locked account",
        _run_level("log in", "the account is locked"),
        prepare=_lock_account,
        check=_one_refused_login,
    ),
    Scenario(
        "wrong URL: nothing listening",
        _run_level("open the portal", "ERR_CONNECTION_REFUSED"),
        url="refused",
        check=_no_traffic,
    ),
    Scenario(
        "DNS failure",
        _run_level("open the portal", "ERR_NAME_NOT_RESOLVED"),
        url="dns",
        check=_no_traffic,
    ),
    Scenario(
        "TLS certificate not trusted",
        _run_level("open the portal", "certificate is not trusted"),
        url="tls",
        check=_no_traffic,
    ),
    Scenario(
        "portal changed: Fundal not found",
        {
            # Fundal is how the robot knows the second window opened.
            "alerts": Expect(
                ExitStatus.FAILED,
                TaskStatus.FAILED,
                0,
                "choose the sending method",
                "could not find the “Fundal” checkbox (alerts)",
            ),
            "invoices": Expect(
                ExitStatus.FAILED,
                TaskStatus.FAILED,
                0,
                "tick Fundal",
                "could not find the “Fundal” checkbox (invoices)",
            ),
        },
        config=SHORT_ACTION
        + '[selectors]\nalerts_background = "#renamed"\ninvoices_background = "#renamed"\n',
    ),
    Scenario(
        "portal changed: Trimite not found",
        {
            "alerts": Expect(
                ExitStatus.FAILED,
                TaskStatus.FAILED,
                0,
                "press Trimite (once)",
                "could not find the button “Trimite alerta”",
            ),
            # Its window is recognised by the button: the window "does not open".
            "invoices": Expect(
                ExitStatus.FAILED,
                TaskStatus.FAILED,
                0,
                "open the configuration window",
                "could not find the button “Trimite factura”",
            ),
        },
        config=SHORT_ACTION + '[selectors]\nalerts_send = "#renamed"\ninvoices_send = "#renamed"\n',
    ),
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    # Closed again: nothing listens there (a race with another program is harmless).
    return port


def _target(scenario: Scenario, portal: MockPortal, request: pytest.FixtureRequest) -> MockPortal:
    """The portal as the robot is told about it: the mock, or a wrong address with its user."""
    if scenario.url == "portal":
        return portal
    if scenario.url == "refused":
        base = f"http://127.0.0.1:{_free_port()}"
    elif scenario.url == "dns":
        base = "https://emsys-portal.invalid"  # RFC 2606: never resolves
    else:
        url, _ = request.getfixturevalue("private_ca_portal")
        base = url.rstrip("/")
    return replace(portal, base_url=base)


def _errors(run: CliRun) -> list[str]:
    summary = run.summary
    return list(summary["errors"]) + [e for t in summary["tasks"] for e in t["errors"]]


def _failed_step(run: CliRun, task: str, step: str) -> dict[str, Any]:
    steps = run.summary["steps"] + run.task(task)["steps"]
    failed = [s for s in steps if s["name"] == step and s["status"] == "failed"]
    assert failed, f"no failed step {step!r}\n{explain(run)}"
    return failed[-1]  # type: ignore[no-any-return]


def _check_cell(
    scenario: Scenario, task: str, run: CliRun, portal: MockPortal, state: Path
) -> None:
    expect = scenario.expect[task]
    ledger = portal.ledger()
    why = f"{scenario.name} / {task}\n{explain(run)}"

    # The portal: never twice, exactly the expected jobs, in the background.
    assert ledger["duplicate_sends"] == 0, why
    jobs = [j for j in ledger["jobs"] if j["type"] == task]
    assert len(jobs) == expect.jobs, f"{jobs}\n{why}"
    assert all(j["background"] for j in jobs), why
    assert all(j["type"] == task for j in ledger["jobs"]), "the other task was not selected"

    # The robot: exit code, summary.json and its run ledger agree.
    assert run.code == expect.exit, why
    summary = run.summary
    assert summary["exit_code"] == run.code, why
    assert run.task(task)["status"] == expect.status.value, why
    other = next(t for t in TASKS if t != task)
    assert run.task(other)["status"] == TaskStatus.SKIPPED.value
    with RunLedger.open(state) as run_ledger:
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
        scenario.check(portal)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_fault_scenario_for_each_task(
    scenario: Scenario,
    portal_factory: Any,
    tmp_path: Path,
    browser_choice: BrowserChoice,
    request: pytest.FixtureRequest,
    proof: Proof,
) -> None:
    portals = {
        task: portal_factory(
            scenario.variant,
            faults=parse_faults(list(scenario.faults.get(task, ()))),
            send_start_delay_s=scenario.send_start_delay_s,
            send_rate_per_s=scenario.send_rate_per_s,
        )
        for task in TASKS
    }
    for portal in portals.values():
        if scenario.prepare is not None:
            scenario.prepare(portal)
    targets = {task: _target(scenario, portal, request) for task, portal in portals.items()}

    def run(task: str) -> CliRun:
        folder = tmp_path / task
        folder.mkdir()
        config = folder / "emsys-rpa.toml"
        config.write_text(QUICK_RETRIES + scenario.config, encoding="utf-8")
        args = [
            "run",
            "--only",
            task,
            "--verify-timeout",
            str(scenario.verify_s),
            "--config",
            str(config),
        ]
        return run_cli(
            args,
            portal=targets[task],
            tmp_path=folder,
            browser_choice=browser_choice,
            password=scenario.password,
        )

    with ThreadPoolExecutor(max_workers=len(TASKS)) as pool:
        runs = dict(zip(TASKS, pool.map(run, TASKS), strict=True))

    for task in TASKS:
        proof.record(portals[task].ledger())
    for task in TASKS:
        _check_cell(scenario, task, runs[task], portals[task], tmp_path / task / "state")
