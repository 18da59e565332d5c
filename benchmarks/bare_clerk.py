"""The manual's procedure as a bare, hand-written Playwright script: the robot's yardstick.

    .venv/bin/python benchmarks/bare_clerk.py URL USER PASSWORD --executable /usr/bin/chromium

What a competent person would write for the mock portal's *default* variant: role, label and
text locators (no element ids, no class names), straight-line, no safety, no evidence, no
retries. It sends the alerts, then the invoices, and checks each in its history tab: exit 0
only when both showed up there, 1 otherwise. ``peer.py`` times it against ``emsys-rpa run``.

For a like-for-like comparison it launches the browser as the robot does: the robot's launch
flags (``launch_args(headless=True)``), headless, and the same context (locale, time zone,
viewport), so what differs between the two is the work each does, not the browser's set-up.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from playwright.sync_api import Locator, Page, ViewportSize, sync_playwright

from emsys_rpa.browser import launch_args

PORTAL_TZ = ZoneInfo("Europe/Bucharest")
VIEWPORT: ViewportSize = {"width": 1366, "height": 900}  # the robot's
DATE_TIME = re.compile(r"(\d{2})/(\d{2})/(\d{4}) (\d{2}):(\d{2})")
SCHEDULED = "Operația a fost programată cu succes."


def portal_now() -> datetime:
    return datetime.now(PORTAL_TZ)


def send_and_confirm(page: Page, window: Locator, button: str) -> datetime:
    """Tick Fundal, press the send button, OK the message; the minute sending started."""
    window.get_by_label("Fundal").check()
    started = portal_now().replace(second=0, microsecond=0)
    window.get_by_role("button", name=button).click()
    message = page.get_by_role("alertdialog").filter(has_text=SCHEDULED)
    message.get_by_role("button", name="OK").click()
    return started


def close(window: Locator) -> None:
    window.get_by_role("link", name="Închide").click()
    window.wait_for(state="hidden")


def newest_send_date(page: Page, column: str) -> datetime | None:
    """The date in ``column`` of the history grid's first row (the grid is newest first)."""
    grid = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name=column))
    grid.wait_for()
    headers = [h.strip() for h in grid.get_by_role("columnheader").all_inner_texts()]
    index = next(i for i, h in enumerate(headers) if h.startswith(column))
    cell = grid.get_by_role("row").nth(1).get_by_role("cell").nth(index).inner_text()
    found = DATE_TIME.search(cell)
    if found is None:
        return None
    day, month, year, hour, minute = map(int, found.groups())
    return datetime(year, month, day, hour, minute, tzinfo=PORTAL_TZ)


def wait_in_history(page: Page, tab: str, column: str, since: datetime, timeout_s: float) -> None:
    """Open the history tab; refresh it until its newest row is dated at or after ``since``."""
    page.get_by_role("tab", name=tab).click()
    deadline = time.monotonic() + timeout_s
    while True:
        newest = newest_send_date(page, column)
        if newest is not None and newest >= since:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{tab}: no row in {column!r} from {since:%d/%m/%Y %H:%M} on")
        with page.expect_response(lambda r: r.request.method == "POST"):
            page.get_by_role("button", name="Reîmprospătează").click()


def open_menu(page: Page, *path: str) -> None:
    for entry in path:
        page.get_by_role("link", name=entry, exact=True).click()
    page.wait_for_load_state()


def send_alerts(page: Page, timeout_s: float) -> None:
    open_menu(page, "Funcționalități", "Alerte")
    page.get_by_role("button", name="Configurează trimitere alertă").click()
    first = page.get_by_role("dialog", name="Configurare trimitere alertă")
    first.get_by_role("button", name="Alegere modalitate transmitere alerte").click()
    second = page.get_by_role("dialog", name="Alegere modalitate transmitere alerte")
    started = send_and_confirm(page, second, "Trimite alerta")
    close(second)
    close(first)
    wait_in_history(page, "Istoric alerte", "Data trimitere", started, timeout_s)


def send_invoices(page: Page, timeout_s: float) -> None:
    open_menu(page, "Funcționalități", "Transmitere facturi", "Transmitere Facturi prin E-mail/SMS")
    today = portal_now().date()
    page.get_by_role("textbox", name="Perioada").fill(
        (today - relativedelta(months=1)).strftime("%d/%m/%Y")
    )
    page.get_by_role("textbox", name="până la").fill(today.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Configurează transmiterea facturii").click()
    window = page.get_by_role("dialog", name="Configurare transmitere factură")
    started = send_and_confirm(page, window, "Trimite factura")
    close(window)
    wait_in_history(page, "Istoric facturi E-mail/SMS", "Data trimitere E-mail", started, timeout_s)


def run(url: str, user: str, password: str, executable: str, timeout_s: float) -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable, headless=True, args=list(launch_args(headless=True))
        )
        context = browser.new_context(locale="ro-RO", timezone_id=PORTAL_TZ.key, viewport=VIEWPORT)
        page = context.new_page()
        page.goto(url)
        page.get_by_label("Utilizator").fill(user)
        page.get_by_label("Parolă").fill(password)
        page.get_by_role("button", name="Autentificare").click()
        send_alerts(page, timeout_s)
        send_invoices(page, timeout_s)
        page.get_by_role("link", name="Deconectare").click()
        page.get_by_role("button", name="Autentificare").wait_for()
        browser.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the portal's login page")
    parser.add_argument("user")
    parser.add_argument("password")
    parser.add_argument("--executable", required=True, help="the browser to launch")
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds to wait in each history tab (60)"
    )
    args = parser.parse_args(argv)
    try:
        run(args.url, args.user, args.password, args.executable, args.timeout)
    except Exception as exc:  # any failure means "not verified": say what it was
        print(f"bare clerk: not verified: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print("bare clerk: alerts and invoices verified")
    return 0


if __name__ == "__main__":
    sys.exit(main())
