"""The days that break monthly robots, end to end: the mock's clock moved, both tasks verified.

The portal's clock (its ``now`` option, and so its pages, history rows and HTTP ``Date``) is
set to the awkward moment; the robot follows the portal's clock. ``make test`` runs two of
the days; ``--full-matrix`` (``make safety``) all of them. What counts is what the
portal recorded: one job per task, in the background, and the invoices' Perioada one calendar
month back to the portal's today, as literal dates.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from e2e.conftest import CliRun, explain, run_cli
from emsys_rpa.browser import BrowserChoice
from emsys_rpa.mockportal import MockPortal, parse_local_datetime

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VERIFY = ["--verify-timeout", "90"]


def _check(
    run: CliRun, portal: MockPortal, tasks: tuple[str, ...], period: tuple[str, str]
) -> None:
    ledger = portal.ledger()
    why = explain(run)
    assert run.code == 0, why
    assert ledger["duplicate_sends"] == 0
    assert sorted(job["type"] for job in ledger["jobs"]) == sorted(tasks), ledger["jobs"]
    assert all(job["background"] for job in ledger["jobs"])
    for task in tasks:
        assert run.task(task)["status"] == "verified", why
    if "invoices" in tasks:
        (job,) = [job for job in ledger["jobs"] if job["type"] == "invoices"]
        assert (job["period_from"], job["period_to"]) == period, job
        shown = tuple(date.fromisoformat(d).strftime("%d/%m/%Y") for d in period)
        assert (run.task("invoices")["period_from"], run.task("invoices")["period_to"]) == shown


@pytest.mark.parametrize(
    ("now", "rendering", "period"),
    [
        # No 31 February a month back: the last day of February. (A Monday: nobody is billed
        # on the 29th–31st, so only a Monday still has invoices to send — Friday the 28th's.)
        pytest.param(
            "2031-03-31T09:00",
            "default",
            ("2031-02-28", "2031-03-31"),
            marks=pytest.mark.full_matrix,
        ),
        ("2036-03-31T09:00", "iframe-postback-cedilla", ("2036-02-29", "2036-03-31")),
        # A leap day, and the month back has a 29th.
        pytest.param(
            "2028-02-29T09:00",
            "popup-postback-oldest",
            ("2028-01-29", "2028-02-29"),
            marks=pytest.mark.full_matrix,
        ),
        # New Year, half an hour in: the period starts in the previous year.
        ("2027-01-01T00:30", "iframe-alert-cedilla", ("2026-12-01", "2027-01-01")),
    ],
    ids=["31-march", "31-march-leap-year", "29-february", "1-january"],
)
def test_both_tasks_on_an_awkward_day(
    now: str,
    rendering: str,
    period: tuple[str, str],
    portal_factory: Any,
    tmp_path: Path,
    browser_choice: BrowserChoice,
) -> None:
    portal = portal_factory(rendering, now=parse_local_datetime(now))
    assert portal.ledger()["today"] == now[:10]
    run = run_cli(["run", *VERIFY], portal=portal, tmp_path=tmp_path, browser_choice=browser_choice)
    _check(run, portal, ("alerts", "invoices"), period)


# Five minutes before the clocks go back (04:00 summer time becomes 03:00 winter time).
# The robot presses Trimite before the change, well within two minutes of the start;
# sending starts 150 s after the click, so every history row is written in the repeated
# hour and shows an earlier wall-clock time than the click: "03:0x" after "03:58".
DST_START = "2026-10-25T03:58"
DST_SEND_DELAY_S = 150


@pytest.mark.full_matrix
def test_both_tasks_across_the_night_the_clocks_go_back(
    portal_factory: Any, tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    tasks = ("alerts", "invoices")
    portals = {
        task: portal_factory(
            "dialog-postback-plain",
            now=parse_local_datetime(DST_START),
            send_start_delay_s=DST_SEND_DELAY_S,
        )
        for task in tasks
    }

    def run(task: str) -> CliRun:
        folder = tmp_path / task
        folder.mkdir()
        return run_cli(
            ["run", "--only", task, "--verify-timeout", str(DST_SEND_DELAY_S + 90)],
            portal=portals[task],
            tmp_path=folder,
            browser_choice=browser_choice,
            timeout_s=DST_SEND_DELAY_S + 300,
        )

    with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
        runs = dict(zip(tasks, pool.map(run, tasks), strict=True))

    for task in tasks:
        ledger = portals[task].ledger()
        (job,) = ledger["jobs"]
        # The crossing happened: scheduled in summer time, sent in the repeated (winter) hour.
        if not job["scheduled_at"].endswith("+03:00"):
            pytest.skip(f"the machine was too slow: Trimite pressed after 04:00 ({job})")
        assert job["started_at"].endswith("+02:00"), job
        _check(runs[task], portals[task], (task,), ("2026-09-25", "2026-10-25"))
