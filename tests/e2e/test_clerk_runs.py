"""Issue 14, against the mock portal: a retried-then-passed login is a warning; `runs` and
`report` find the run from any folder; the clerk reads Romanian."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from emsys_rpa.browser import BrowserChoice
from emsys_rpa.mockportal import parse_faults

from .conftest import cli_env

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "emsys_rpa", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_a_503_after_login_that_passes_is_a_warning_and_runs_are_found_from_anywhere(
    portal_factory: Any, tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    portal = portal_factory(faults=parse_faults(["unavailable=1"]))
    env = cli_env(portal, tmp_path, browser_choice)
    env["EMSYS_LANG"] = "ro"

    # No --report-dir: the run folder is runs/<stamp> under the folder it starts in.
    run = _cli(["run", "--dry-run", "--only", "alerts"], env, tmp_path / "here")

    assert run.returncode == 0, run.stdout + run.stderr
    (folder,) = (tmp_path / "here" / "runs").iterdir()
    summary = json.loads((folder / "summary.json").read_text("utf-8"))
    assert summary["errors"] == [] and summary["tasks"][0]["errors"] == []
    assert [s["status"] for s in summary["steps"]].count("failed") == 0
    assert any("server error right after logging in" in w for w in summary["warnings"])
    assert "avertisment: portalul a răspuns cu o eroare de server" in run.stdout
    report = (folder / "report.html").read_text("utf-8")
    assert 'id="errors"' not in report and 'id="warnings"' in report
    assert '<html lang="ro">' in report and "PROBĂ ÎNCHEIATĂ" in report

    # From another folder: the ledger holds the absolute path, with the portal.
    elsewhere = tmp_path / "elsewhere"
    listing = _cli(["runs"], env, elsewhere)
    assert listing.returncode == 0, listing.stderr
    assert str(folder / "report.html") in listing.stdout
    assert "127.0.0.1" in listing.stdout and "(fără raport)" not in listing.stdout
    found = _cli(["report"], env, elsewhere)
    assert found.stdout.strip() == str(folder / "report.html")


def test_verify_proves_a_send_left_not_verified_and_the_next_run_skips_it(
    portal_factory: Any, tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    # Sending starts after the run stopped looking: not verified (3); `verify` then sees it.
    portal = portal_factory(send_start_delay_s=6)
    env = cli_env(portal, tmp_path, browser_choice)
    args = ["run", "--only", "invoices", "--verify-timeout", "1"]

    first = _cli(args, env, tmp_path / "a")
    assert first.returncode == 3, first.stdout + first.stderr
    _wait_until_sending(portal, "invoices")

    verified = _cli(["verify"], env, tmp_path / "a")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "Invoices (Transmitere facturi): verified" in verified.stdout
    assert "recorded for run" in verified.stdout

    again = _cli(["run", "--only", "invoices"], env, tmp_path / "a")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "NOTHING TO DO" in again.stdout and "already done by run" in again.stdout
    jobs = [j for j in portal.ledger()["jobs"] if j["type"] == "invoices"]
    assert len(jobs) == 1, "verify pressed nothing, the rerun sent nothing"


def _wait_until_sending(portal: Any, kind: str, timeout_s: float = 60) -> None:
    """Until the portal's job of ``kind`` has left its queue (its first rows are written)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        jobs = [j for j in portal.ledger()["jobs"] if j["type"] == kind]
        if jobs and jobs[0]["status"] != "queued" and jobs[0]["sent"] + jobs[0]["failed"] > 0:
            return
        time.sleep(0.2)
    raise AssertionError(f"the {kind} job never started sending")
