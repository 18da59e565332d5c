"""Reruns after a crash at each meaningful step: never twice, and the rest gets done.

The real CLI runs as a subprocess and is killed with SIGKILL (no cleanup at all: a power cut,
the OOM killer) as soon as ``run.log.jsonl`` shows the step; then the same command runs again
against the same portal and state folder. The portal's ledger must show no customer sent
anything twice and, in the end, exactly one job per task wherever the rerun may send; the
rerun's exit code and messages must say what it did and what a person must check.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from e2e.conftest import CliRun, cli_env, explain, run_cli
from emsys_rpa.browser import BrowserChoice
from emsys_rpa.errors import ExitStatus
from emsys_rpa.ledger import INTENT_ONLY, RunLedger
from emsys_rpa.mockportal import MockPortal
from emsys_rpa.summary import TaskStatus

from .conftest import Proof

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="POSIX signals and process groups"),
]

VERIFY = ["--verify-timeout", "6"]
CRASH_TIMEOUT_S = 120
HISTORY = {"alerts": "Istoric alerte", "invoices": "Istoric facturi E-mail/SMS"}

Event = dict[str, Any]


def step_started(task: str, step: str) -> Callable[[Event], bool]:
    def match(event: Event) -> bool:
        return (event.get("event"), event.get("task"), event.get("step")) == (
            "step started",
            task,
            step,
        )

    return match


def step_finished(task: str, step: str) -> Callable[[Event], bool]:
    def match(event: Event) -> bool:
        return (event.get("event"), event.get("task"), event.get("step"), event.get("status")) == (
            "step finished",
            task,
            step,
            "ok",
        )

    return match


def pressing(button: str) -> Callable[[Event], bool]:
    """The log line written right after the intent, just before the click."""

    def match(event: Event) -> bool:
        return event.get("event") == "pressing" and button in str(event.get("control"))

    return match


VERIFIED, SKIPPED = TaskStatus.VERIFIED, TaskStatus.SKIPPED


@dataclass(frozen=True)
class Crash:
    name: str
    when: Callable[[Event], bool]  # kill as soon as run.log.jsonl has this event…
    job_first: str | None = None  # …and, if set, the portal has this task's job
    # The rerun: its exit code, the tasks' statuses, the task it refuses to send again.
    rerun_exit: ExitStatus = ExitStatus.OK
    rerun: dict[str, TaskStatus] = field(default_factory=lambda: dict.fromkeys(HISTORY, VERIFIED))
    refused: str | None = None
    # The click never reached the portal (it was down from a moment before): the refusal
    # stands until a person checked and reran with --force, which then sends exactly once.
    click_lost: bool = False


CRASHES: tuple[Crash, ...] = (
    Crash("while logging in", step_started("session", "log in")),
    Crash("alerts: Fundal ticked, Trimite not pressed", step_finished("alerts", "tick Fundal")),
    Crash(
        "alerts: just after pressing Trimite (the portal has the job)",
        pressing("Trimite alerta"),
        job_first="alerts",
        rerun_exit=ExitStatus.FAILED,
        rerun={"alerts": SKIPPED, "invoices": VERIFIED},
        refused="alerts",
    ),
    Crash(
        "alerts: confirmation seen, not yet verified",
        step_finished("alerts", "press Trimite (once)"),
        rerun_exit=ExitStatus.FAILED,
        rerun={"alerts": SKIPPED, "invoices": VERIFIED},
        refused="alerts",
    ),
    Crash(
        "alerts: intent written, the click lost (portal down)",
        pressing("Trimite alerta"),
        rerun_exit=ExitStatus.FAILED,
        rerun={"alerts": SKIPPED, "invoices": VERIFIED},
        refused="alerts",
        click_lost=True,
    ),
    Crash(
        "invoices: starting, alerts verified",
        step_started("invoices", "open Transmitere Facturi"),
        rerun={"alerts": SKIPPED, "invoices": VERIFIED},
    ),
    Crash(
        "invoices: verifying",
        step_started("invoices", "verify in the tab “Istoric facturi E-mail/SMS”"),
        rerun_exit=ExitStatus.FAILED,
        rerun={"alerts": SKIPPED, "invoices": SKIPPED},
        refused="invoices",
    ),
)


def _events(log: Path) -> list[Event]:
    if not log.is_file():
        return []
    events = []
    for line in log.read_text("utf-8", errors="replace").splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            continue  # the line being written
    return events


def _jobs(portal: MockPortal, task: str) -> int:
    return sum(job["type"] == task for job in portal.ledger()["jobs"])


def run_until_killed(
    crash: Crash, portal: MockPortal, folder: Path, browser_choice: BrowserChoice
) -> Path:
    """Start ``emsys-rpa run``; SIGKILL its whole process group at the crash point."""
    run_dir = folder / "killed"
    env = cli_env(portal, folder, browser_choice)
    command = [sys.executable, "-m", "emsys_rpa", "run", *VERIFY, "--report-dir", str(run_dir)]
    # The click is lost: the portal goes down as the alerts' Trimite arrives (armed before the
    # run starts, so nothing races the robot) and answers it 503 without executing it.
    lost_click = portal.arm("at=alerts.send:down")[0] if crash.click_lost else None
    with (folder / "killed.out").open("w") as out:
        proc = subprocess.Popen(
            command, cwd=folder, env=env, stdout=out, stderr=out, start_new_session=True
        )
    try:
        deadline = time.monotonic() + CRASH_TIMEOUT_S
        log = run_dir / "run.log.jsonl"
        while True:
            assert proc.poll() is None, f"the run ended before the crash point: {crash.name}"
            assert time.monotonic() < deadline, f"crash point never reached: {crash.name}"
            if any(crash.when(e) for e in _events(log)) and (
                (crash.job_first is None or _jobs(portal, crash.job_first) > 0)
                and (lost_click is None or portal.fired(lost_click))
            ):
                break
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    if lost_click is not None:
        portal.set_down(False)  # back up for the reruns
    return run_dir


def _check_refusal(run: CliRun, task: str) -> None:
    reason = run.task(task)["skip_reason"] or ""
    why = explain(run)
    assert f"check {HISTORY[task]}" in reason and "--force" in reason, why
    (error,) = run.summary["errors"]
    assert error.startswith(f"{task} not sent:") and f"check {HISTORY[task]}" in error, why
    assert error in run.stdout, "the console says it too"


@pytest.mark.parametrize("crash", CRASHES, ids=[c.name for c in CRASHES])
def test_rerun_after_a_crash(
    crash: Crash,
    portal_factory: Any,
    tmp_path: Path,
    browser_choice: BrowserChoice,
    proof: Proof,
) -> None:
    portal = portal_factory()
    killed_dir = run_until_killed(crash, portal, tmp_path, browser_choice)
    rerun = run_cli(
        ["run", *VERIFY], portal=portal, tmp_path=tmp_path, browser_choice=browser_choice
    )
    runs = 2
    why = explain(rerun)

    assert portal.ledger()["duplicate_sends"] == 0, why
    assert rerun.code == crash.rerun_exit, why
    assert {t["name"]: t["status"] for t in rerun.summary["tasks"]} == crash.rerun, why
    if crash.refused is not None:
        _check_refusal(rerun, crash.refused)
    with RunLedger.open(tmp_path / "state") as ledger:
        latest, killed = ledger.latest_runs(2)
    assert latest.exit_code == rerun.code
    assert killed.run_dir == str(killed_dir) and killed.status == "crashed"
    if crash.refused is not None:
        # What the killed run left: an intent with no outcome, shown as such.
        assert killed.tasks[crash.refused] == INTENT_ONLY, killed.tasks

    if crash.click_lost:
        assert _jobs(portal, "alerts") == 0, "the click was lost: nothing was scheduled"
        forced = run_cli(
            ["run", "--only", "alerts", "--force", *VERIFY],
            portal=portal,
            tmp_path=tmp_path,
            browser_choice=browser_choice,
            run_name="forced",
        )
        runs += 1
        assert forced.code == ExitStatus.OK, explain(forced)
        assert forced.task("alerts")["status"] == VERIFIED.value

    ledger_after = portal.ledger()
    proof.record(ledger_after, runs=runs)
    assert ledger_after["duplicate_sends"] == 0
    assert (_jobs(portal, "alerts"), _jobs(portal, "invoices")) == (1, 1), ledger_after["jobs"]
    assert all(job["background"] for job in ledger_after["jobs"])
