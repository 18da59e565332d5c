"""Ctrl-C and SIGTERM in the middle of a run: what was done is recorded, the exit is 130.

A terminal's Ctrl-C and systemd's stop signal the whole process group (the browser and its
driver too), so the signal goes to the group here: the orderly stop must not depend on the
browser surviving it. (tests/e2e signals the robot's process alone.)
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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="POSIX signals and process groups"),
]

VERIFYING_ALERTS = '"step": "verify in the tab \\u201cIstoric alerte\\u201d"'


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "SIGTERM"])
def test_a_stopped_run_records_what_it_did_and_exits_130(
    signum: signal.Signals, portal_factory: Any, tmp_path: Path, browser_choice: BrowserChoice
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
            start_new_session=True,
        )
    log = run_dir / "run.log.jsonl"
    try:
        deadline = time.monotonic() + 90
        while VERIFYING_ALERTS not in (log.read_text("utf-8") if log.is_file() else ""):
            assert proc.poll() is None and time.monotonic() < deadline, "never got to verify"
            time.sleep(0.1)
        os.killpg(proc.pid, signum)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
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
