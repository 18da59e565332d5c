"""Ctrl-C, SIGTERM and Ctrl-Break in the middle of a run: what was done is recorded, exit 130.

A terminal's Ctrl-C, systemd's stop and a Windows console's Ctrl-Break signal the whole
process group (the browser and its driver too), so the signal goes to the group here: the
orderly stop must not depend on the browser surviving it. (tests/e2e signals the robot's
process alone.)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from e2e.conftest import cli_env, explain, run_cli
from emsys_rpa.browser import BrowserChoice
from emsys_rpa.errors import ExitStatus
from emsys_rpa.ledger import RunLedger
from emsys_rpa.summary import RunSummary

from .test_signals import ctrl_break

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VERIFYING_ALERTS = '"step": "verify in the tab \\u201cIstoric alerte\\u201d"'
# POSIX: a terminal's Ctrl-C (SIGINT) and a service manager's SIGTERM, to the process group.
# Windows has neither to send to another process (os.kill with SIGTERM is TerminateProcess);
# its console's Ctrl-Break (CTRL_BREAK_EVENT) goes to a process group, as Ctrl-C does there.
POSIX_ONLY = "SIGINT/SIGTERM to a process group (os.killpg): POSIX only (Windows: Ctrl-Break)"
STOPS = [
    pytest.param(
        "SIGINT",
        id="Ctrl-C",
        marks=pytest.mark.skipif(os.name != "posix", reason=POSIX_ONLY),
    ),
    pytest.param(
        "SIGTERM",
        id="SIGTERM",
        marks=pytest.mark.skipif(os.name != "posix", reason=POSIX_ONLY),
    ),
    pytest.param(
        "CTRL_BREAK_EVENT",
        id="Ctrl-Break",
        marks=pytest.mark.skipif(os.name != "nt", reason="Ctrl-Break: Windows only"),
    ),
]


def _in_own_group() -> dict[str, Any]:
    """Popen arguments: the robot, its driver and browser in a process group of their own."""
    if os.name == "nt":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def _stop(proc: subprocess.Popen[bytes], how: str) -> None:
    if how == "CTRL_BREAK_EVENT":
        ctrl_break(proc.pid)
    else:
        os.killpg(proc.pid, getattr(signal, how))


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if os.name == "nt":
        proc.kill()
    else:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


@pytest.mark.parametrize("how", STOPS)
def test_a_stopped_run_records_what_it_did_and_exits_130(
    how: str, portal_factory: Any, tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    # Sending starts only after a minute: the alerts are scheduled, still being verified.
    portal = portal_factory(send_start_delay_s=60)
    run_dir = tmp_path / "run"
    command = [sys.executable, "-m", "emsys_rpa", "run", "--report-dir", str(run_dir)]
    with (tmp_path / "out.txt").open("w") as out:
        proc = subprocess.Popen(
            command,
            cwd=tmp_path,
            env=cli_env(portal, tmp_path, browser_choice),
            stdout=out,
            stderr=out,
            **_in_own_group(),
        )
    log = run_dir / "run.log.jsonl"
    try:
        deadline = time.monotonic() + 90
        while VERIFYING_ALERTS not in (log.read_text("utf-8") if log.is_file() else ""):
            assert proc.poll() is None and time.monotonic() < deadline, "never got to verify"
            time.sleep(0.1)
        _stop(proc, how)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            _kill(proc)
    output = (tmp_path / "out.txt").read_text("utf-8")

    assert code == ExitStatus.INTERRUPTED, output[-3000:]
    summary = RunSummary.model_validate_json((run_dir / "summary.json").read_text("utf-8"))
    assert (summary.status, summary.exit_code) == ("interrupted", 130)
    statuses = {t.name: t.status.value for t in summary.tasks}
    assert statuses == {"alerts": "not_verified", "invoices": "not_run"}, output[-3000:]
    assert "emsys-rpa INTERRUPTED (exit 130)" in output
    with RunLedger.open(tmp_path / "state") as ledger:
        (record,) = ledger.latest_runs()
    assert (record.status, record.exit_code) == ("interrupted", 130)
    assert record.tasks == statuses
    assert [job["type"] for job in portal.ledger()["jobs"]] == ["alerts"]

    # What the ledger kept is what stops the next run from sending the alerts again.
    rerun = run_cli(
        ["run", "--only", "alerts"],
        portal=portal,
        tmp_path=tmp_path,
        browser_choice=browser_choice,
        run_name="rerun",
    )
    assert rerun.code == ExitStatus.FAILED, explain(rerun)
    assert rerun.task("alerts")["status"] == "skipped"
    assert "check Istoric alerte" in rerun.task("alerts")["skip_reason"]
    assert [job["type"] for job in portal.ledger()["jobs"]] == ["alerts"]
