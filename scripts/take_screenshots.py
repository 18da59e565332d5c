"""Screenshots of every screen of the mock portal (default variant) for the README.

Run with ``make screenshots``; writes ``docs/screenshots/*.png``. The data is seeded with a
fixed date and seed so the pictures only change when the portal's look does. The password
field is filled only after its screenshot (a password never appears in a picture).
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from emsys_rpa.browser import find_browser
from emsys_rpa.mockportal import MockPortalOptions, running_mock_portal

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
TODAY = date(2025, 3, 14)
VIEWPORT = {"width": 1100, "height": 620}


def shoot(page: Page, name: str) -> None:
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path))
    print(f"wrote {path.relative_to(OUT.parent.parent)} ({path.stat().st_size // 1024} KiB)")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    options = MockPortalOptions(today=TODAY, seed=1, send_start_delay_s=1.0, send_rate_per_s=10)
    with running_mock_portal(options) as portal, sync_playwright() as pw:
        browser = pw.chromium.launch(**find_browser(None, None).launch_kwargs())
        page = browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
        page.goto(portal.url)
        page.fill("#ctl00_MainContent_txtUtilizator", portal.username)
        shoot(page, "01-login")
        page.fill("#ctl00_MainContent_txtParola", portal.password)
        page.click("#ctl00_MainContent_btnAutentificare")

        page.get_by_role("link", name="Funcționalități", exact=True).click()
        page.get_by_role("link", name="Transmitere facturi", exact=True).click()
        shoot(page, "02-menu")

        page.get_by_role("link", name="Alerte", exact=True).click()
        page.wait_for_load_state()
        shoot(page, "03-alerte")
        page.click("#ctl00_MainContent_btnConfigurare")
        shoot(page, "04-configurare-trimitere-alerta")
        page.click("#ctl00_MainContent_btnAlegereModalitate")
        page.check("#ctl00_MainContent_chkFundal")
        shoot(page, "05-alegere-modalitate-fundal")
        page.click("#ctl00_MainContent_btnTrimite")
        page.get_by_text("Operația a fost programată cu succes.").wait_for()
        shoot(page, "06-mesaj-informare")
        page.click("#ctl00_MainContent_btnMesajOK")
        page.click("#ctl00_MainContent_wndModalitate .rwClose")
        page.click("#ctl00_MainContent_btnRenuntConfigurare")
        portal.wait_for_jobs(120)
        page.get_by_role("tab", name="Istoric alerte").click()
        page.get_by_text("Pagina 1 din").wait_for()
        shoot(page, "07-istoric-alerte")

        page.goto(portal.base_url + "/Facturi/TransmitereFacturi.aspx")
        start = TODAY.replace(day=1) - timedelta(days=1)
        page.fill(
            "#ctl00_MainContent_txtPerioadaDeLa", start.replace(day=TODAY.day).strftime("%d/%m/%Y")
        )
        page.fill("#ctl00_MainContent_txtPerioadaPanaLa", TODAY.strftime("%d/%m/%Y"))
        shoot(page, "08-transmitere-facturi")
        page.click("#ctl00_MainContent_btnConfigurare")
        page.check("#ctl00_MainContent_chkFundal")
        shoot(page, "09-configurare-transmitere-factura")
        page.click("#ctl00_MainContent_btnTrimite")
        page.get_by_text("Operația a fost programată cu succes.").wait_for()
        page.click("#ctl00_MainContent_btnMesajOK")
        page.click("#ctl00_MainContent_wndFactura .rwClose")
        portal.wait_for_jobs(120)
        page.get_by_role("tab", name="Istoric facturi E-mail/SMS").click()
        page.get_by_text("Pagina 1 din").wait_for()
        shoot(page, "10-istoric-facturi")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
