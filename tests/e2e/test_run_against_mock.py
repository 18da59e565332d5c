"""The real CLI against the mock portal: every markup variant, dry run, ledger, check, demo.

What counts is what the portal recorded (its ledger: one job per task, Fundal ticked, the
right Perioada) and what the robot says it did (exit code, summary.json).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest
from dateutil.relativedelta import relativedelta

from emsys_rpa.browser import BrowserChoice
from emsys_rpa.mockportal import ALL_VARIANTS, parse_faults

from .conftest import cli_env, explain, run_cli

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VERIFY = ["--verify-timeout", "60"]


def _jobs(ledger: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [job for job in ledger["jobs"] if job["type"] == kind]


@pytest.mark.parametrize("variant", sorted(ALL_VARIANTS))
def test_every_variant_schedules_both_tasks_once_in_the_background(
    variant: str, portal_factory: Any, tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    portal = portal_factory(variant)
    run = run_cli(["run", *VERIFY], portal=portal, tmp_path=tmp_path, browser_choice=browser_choice)
    ledger = portal.ledger()

    assert run.code == 0, explain(run)
    alerts, invoices = _jobs(ledger, "alerts"), _jobs(ledger, "invoices")
    assert len(alerts) == 1 and len(invoices) == 1, ledger["jobs"]
    assert alerts[0]["background"] is True and invoices[0]["background"] is True
    today = date.fromisoformat(ledger["today"])
    assert invoices[0]["period_to"] == today.isoformat()
    assert invoices[0]["period_from"] == (today - relativedelta(months=1)).isoformat()
    assert ledger["duplicate_sends"] == 0

    summary = run.summary
    assert summary["exit_code"] == 0 and summary["status"] == "ok"
    for name in ("alerts", "invoices"):
        task = run.task(name)
        assert task["status"] == "verified", explain(run)
        assert task["verification"]["rows_seen"] >= 1
        assert task["verification"]["first_sent_at"] is not None
        assert task["scheduled_at"] is not None
        shots = [s["screenshot"] for s in task["steps"] if s["screenshot"]]
        assert shots and all((run.run_dir / shot).is_file() for shot in shots)
    assert run.task("invoices")["period_from"] == (today - relativedelta(months=1)).strftime(
        "%d/%m/%Y"
    )
    assert portal.password not in run.all_output()


def test_dry_run_fills_everything_and_sends_nothing(
    portal_factory: Any, tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    portal = portal_factory("popup-postback-oldest")
    run = run_cli(
        ["run", "--dry-run"], portal=portal, tmp_path=tmp_path, browser_choice=browser_choice
    )
    ledger = portal.ledger()

    assert run.code == 0, explain(run)
    assert ledger["jobs"] == []
    assert [t["status"] for t in run.summary["tasks"]] == ["dry_run", "dry_run"]
    steps = [s["name"] for s in run.task("invoices")["steps"]]
    assert "fill Perioada" in steps and "tick Fundal" in steps and "cancel (dry run)" in steps


def test_a_second_run_the_same_day_sends_nothing_again(
    portal_factory: Any, tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    portal = portal_factory("dialog-postback-plain")
    first = run_cli(
        ["run", *VERIFY], portal=portal, tmp_path=tmp_path, browser_choice=browser_choice
    )
    second = run_cli(
        ["run", *VERIFY],
        portal=portal,
        tmp_path=tmp_path,
        browser_choice=browser_choice,
        run_name="run2",
    )
    ledger = portal.ledger()

    assert first.code == 0, explain(first)
    assert second.code == 0, explain(second)
    assert [t["status"] for t in second.summary["tasks"]] == ["skipped", "skipped"]
    assert len(_jobs(ledger, "alerts")) == 1 and len(_jobs(ledger, "invoices")) == 1


def test_only_invoices_with_an_explicit_period(
    portal_factory: Any, tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    portal = portal_factory("iframe-postback-cedilla")
    today = date.fromisoformat(portal.ledger()["today"])
    start = today - relativedelta(days=45)
    run = run_cli(
        [
            "run",
            "--only",
            "invoices",
            "--period-from",
            start.isoformat(),
            "--period-to",
            today.isoformat(),
            *VERIFY,
        ],
        portal=portal,
        tmp_path=tmp_path,
        browser_choice=browser_choice,
    )
    ledger = portal.ledger()

    assert run.code == 0, explain(run)
    assert _jobs(ledger, "alerts") == []
    (job,) = _jobs(ledger, "invoices")
    assert (job["period_from"], job["period_to"]) == (start.isoformat(), today.isoformat())
    assert run.task("alerts")["status"] == "skipped"
    assert run.task("invoices")["period_from"] == start.strftime("%d/%m/%Y")


def test_a_wrong_password_fails_clearly_and_never_leaks(
    portal_factory: Any, tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    portal = portal_factory()
    wrong = "Wr0ng-Secret-9431"
    run = run_cli(
        ["run", *VERIFY],
        portal=portal,
        tmp_path=tmp_path,
        browser_choice=browser_choice,
        password=wrong,
    )
    ledger = portal.ledger()

    assert run.code == 1, explain(run)
    assert ledger["jobs"] == [] and ledger["failed_logins"] == 1
    assert any("refused the login" in e for e in run.summary["errors"]), run.summary["errors"]
    assert wrong not in run.all_output()


def test_check_logs_in_and_out_and_sends_nothing(
    portal_factory: Any, tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    portal = portal_factory("popup-alert-confirm")
    run = run_cli(["check"], portal=portal, tmp_path=tmp_path, browser_choice=browser_choice)
    ledger = portal.ledger()

    assert run.code == 0, run.stdout + run.stderr
    assert "logged in and out" in run.stdout
    assert ledger["logins"] == 1 and ledger["jobs"] == []


def test_demo_needs_no_configuration(tmp_path: Path, browser_choice: BrowserChoice) -> None:
    run = run_cli(
        ["demo", "--quiet", "--verify-timeout", "60"],
        portal=None,
        tmp_path=tmp_path,
        browser_choice=browser_choice,
    )

    assert run.code == 0, run.stdout + run.stderr
    assert "alerts verified" in run.stdout and "invoices verified" in run.stdout
    assert (run.run_dir / "report.html").is_file()


# Partial updates in an in-page window, and full postbacks (the login form replaces the page).
@pytest.mark.parametrize("variant", ["default", "dialog-postback-plain"])
def test_expired_sessions_are_logged_into_again_and_the_trace_never_holds_the_password(
    variant: str,
    portal_factory: Any,
    tmp_path: Path,
    browser_choice: BrowserChoice,
    monkeypatch: Any,
) -> None:
    # Each task's session expires while it is being verified (its history read after Trimite).
    expiries = ["at=alerts.history#2:expire", "at=invoices.history:expire"]
    portal = portal_factory(variant, faults=parse_faults(expiries))
    monkeypatch.setenv("EMSYS_RUN_TRACE", "always")
    run = run_cli(["run", *VERIFY], portal=portal, tmp_path=tmp_path, browser_choice=browser_choice)
    ledger = portal.ledger()

    assert run.code == 0, explain(run)
    assert [f["step"] for f in ledger["fired_faults"]] == ["alerts.history", "invoices.history"]
    assert ledger["sessions_expired"] == 2 and ledger["logins"] == 3
    assert len(_jobs(ledger, "alerts")) == 1 and len(_jobs(ledger, "invoices")) == 1
    trace = run.run_dir / "trace.zip"
    assert trace.is_file()
    with zipfile.ZipFile(trace) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            assert portal.password.encode() not in data, name
            assert quote_plus(portal.password).encode() not in data, name
    assert portal.password not in run.all_output()


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--only", "everything"],
        ["run", "--period-from", "2026-02-30"],
        ["run", "--period-from", "2026-03-02", "--period-to", "2026-03-01"],
        ["run"],  # no portal, user or password anywhere
    ],
)
def test_usage_and_configuration_errors_exit_2_before_anything_starts(
    args: list[str], tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    run = run_cli(args, portal=None, tmp_path=tmp_path, browser_choice=browser_choice)
    assert run.code == 2, run.stderr
    assert run.stderr.startswith("emsys-rpa: error:")
    assert not run.run_dir.exists()


@pytest.mark.skipif(
    os.name != "posix",
    reason="SIGTERM from another process: POSIX only (Windows: Ctrl-Break, tests/safety)",
)
def test_sigterm_stops_the_run_in_order_and_records_what_was_sent(
    portal_factory: Any, tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    # Sending starts only after 60 s: the robot is still verifying the alerts when stopped.
    portal = portal_factory(send_start_delay_s=60)
    env = cli_env(portal, tmp_path, browser_choice)
    run_dir = tmp_path / "run"
    command = [sys.executable, "-m", "emsys_rpa", "run", "--report-dir", str(run_dir)]
    proc = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    log = run_dir / "run.log.jsonl"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and "verify in the tab" not in (
        log.read_text("utf-8") if log.is_file() else ""
    ):
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    summary = json.loads((run_dir / "summary.json").read_text("utf-8"))

    assert proc.returncode == 130
    assert summary["status"] == "interrupted" and summary["exit_code"] == 130
    statuses = {t["name"]: t["status"] for t in summary["tasks"]}
    assert statuses == {"alerts": "not_verified", "invoices": "not_run"}
    assert [job["type"] for job in portal.ledger()["jobs"]] == ["alerts"]
