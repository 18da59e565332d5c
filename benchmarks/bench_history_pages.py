"""Page loads per history check on a huge oldest-first history, counted by the mock portal.

    .venv/bin/python benchmarks/bench_history_pages.py                  # a million rows
    .venv/bin/python benchmarks/bench_history_pages.py --rows 100000 --pagers numeric,dots

For each pager style of the mock (``--variant pager=…``, oldest rows first, sortable headers,
full-page postbacks) the robot's own page objects log in, schedule today's alerts once (Fundal,
Trimite), and then check Istoric alerte the way ``verify`` does until the new rows show. Every
request the portal served during the check that found them — the tab's own load included — is
read from ``GET /__mock__/requests``: that is the number of page loads the check cost. The
target (issue 13): at most 4, and no page read twice.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import sync_playwright
from pydantic import SecretStr

from emsys_rpa.browser import find_browser
from emsys_rpa.mockportal import MockPortalOptions, parse_variant, running_mock_portal
from emsys_rpa.pages import alerts
from emsys_rpa.pages.dialogs import DialogKeeper
from emsys_rpa.pages.history_grid import HistoryGrid
from emsys_rpa.pages.locate import Finder
from emsys_rpa.pages.login import LoginPage
from emsys_rpa.pages.menu import FUNCTIONALITIES
from emsys_rpa.pages.sending import SendingScreen
from emsys_rpa.pages.windows import Windows

TZ = ZoneInfo("Europe/Bucharest")
PAGERS = ("gridview", "numeric", "dots", "firstlast", "symbols", "nextro", "icons", "goto")
TARGET_LOADS = 4


@dataclass
class Check:
    pager: str
    loads: int
    moves: int
    pages_read: int
    how: str
    rows_new: int
    seconds: float


def one_pager(pager: str, rows: int, updates: str) -> Check:
    variant = parse_variant(f"order=oldest,updates={updates},pager={pager}")
    options = MockPortalOptions(variant=variant, history_rows=rows, send_start_delay_s=0.5)
    choice = find_browser()
    with running_mock_portal(options) as portal, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=choice.executable_path)
        page = browser.new_context().new_page()
        dialogs = DialogKeeper()
        dialogs.attach(page.context)
        finder = Finder(page.context, {}, timeout_s=15)
        page.goto(portal.url)
        LoginPage(finder, page, timeout_s=15).login(
            portal.username, SecretStr(portal.password), signed_in=FUNCTIONALITIES, timeout_s=30
        )
        screen = SendingScreen(finder, dialogs, Windows(finder, dialogs, page), alerts.ALERTS)
        grid = HistoryGrid(finder, TZ, key="alerts_history")
        screen.open()
        screen.open_configuration()
        finder.find(alerts.CHOOSE_METHOD).locator.click()
        screen.tick_background()
        since = datetime.now(TZ).replace(second=0, microsecond=0) - timedelta(minutes=1)
        screen.send(message_timeout_s=30)
        screen.close_windows()
        deadline = time.monotonic() + 60
        while True:
            before = len(portal.requests())
            started = time.monotonic()
            screen.open_history()
            reading = grid.read_since(since)
            loads = len(portal.requests()) - before
            if reading.tally.rows_seen or time.monotonic() > deadline:
                return Check(
                    pager,
                    loads,
                    reading.moves,
                    reading.pages_read,
                    reading.how,
                    reading.tally.rows_seen,
                    round(time.monotonic() - started, 2),
                )
            screen.open()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pagers", default=",".join(PAGERS))
    parser.add_argument("--updates", default="postback", choices=("postback", "ajax"))
    args = parser.parse_args(argv)
    print(f"history: {args.rows:,} extra rows, oldest first, updates={args.updates}")
    print("| pager | page loads | pager/sort clicks | pages read | how | new rows | s |")
    print("|---|---|---|---|---|---|---|")
    worst = 0
    for pager in args.pagers.split(","):
        check = one_pager(pager.strip(), args.rows, args.updates)
        worst = max(worst, check.loads)
        print(
            f"| {check.pager} | {check.loads} | {check.moves} | {check.pages_read} | "
            f"{check.how} | {check.rows_new} | {check.seconds} |"
        )
    print(f"worst: {worst} page loads per check (target ≤ {TARGET_LOADS})")
    return 0 if worst <= TARGET_LOADS else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
