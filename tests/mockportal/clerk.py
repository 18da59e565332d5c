"""A clerk doing the manual's procedure by hand, in Playwright: hand-written steps, not the robot.

Controls are found the way a person finds them (visible text, the row a label sits in, the
title bar of a window), never by the portal's element ids, so every markup variant is
exercised as production would be. Texts are written with comma-below diacritics and
localised to the variant (cedilla / none) before being looked for, which also checks that the
variant really renders them that way.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from playwright.sync_api import Dialog, FrameLocator, Locator, Page
from playwright.sync_api import Error as PlaywrightError

from emsys_rpa.mockportal import MockPortal, Variant

SCHEDULED = "Operația a fost programată cu succes."
EXECUTED = "Operația a fost executată cu succes."
WITH_ERRORS = "Operația s-a încheiat cu erori. Verificați istoricul."

Scope = Page | Locator | FrameLocator


@dataclass
class Window:
    title: str
    scope: Scope  # where the window's controls are
    document: Scope  # the document the window's controls live in (where messages appear)
    frame: Locator | None  # the in-page window (dialog or iframe host); None for a popup
    popup: Page | None


class Clerk:
    def __init__(self, page: Page, portal: MockPortal, variant: Variant) -> None:
        self.page = page
        self.portal = portal
        self.v = variant
        self.dialogs: list[tuple[str, str]] = []
        self.accept_confirm = True
        page.on("dialog", self._on_dialog)
        # Popups get the same handler as soon as they exist (their alerts fire on load).
        page.context.on("page", lambda popup: popup.on("dialog", self._on_dialog))

    # -- small helpers ----------------------------------------------------------------------

    def t(self, text: str) -> str:
        return self.v.localise(text)

    def _on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append((dialog.type, dialog.message))
        if dialog.type == "confirm" and not self.accept_confirm:
            dialog.dismiss()
        else:
            dialog.accept()

    def button(self, scope: Scope, text: str) -> Locator:
        """A push button or a link styled as one (loose-label portals use LinkButtons)."""
        name = self.t(text)
        return scope.get_by_role("button", name=name, exact=True).or_(
            scope.get_by_role("link", name=name, exact=True)
        )

    def field(self, scope: Scope, label: str) -> Locator:
        """The inputs in the form row whose label cell reads ``label``."""
        row = scope.locator("tr").filter(has=scope.get_by_text(self.t(label), exact=True))
        return row.locator("input[type=text], input[type=password], select")

    def wait_until(self, condition: Callable[[], bool], timeout_s: float, what: str) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            self.page.wait_for_timeout(50)

    # -- login and menu ------------------------------------------------------------------------

    def login(self, password: str | None = None, username: str | None = None) -> None:
        self.page.goto(self.portal.url)
        assert self.page.title() == "EMSYS Portal Administrator"
        self.field(self.page, "Utilizator").fill(username or self.portal.username)
        self.field(self.page, "Parolă").fill(password or self.portal.password)
        self.button(self.page, "Autentificare").click()
        self.page.wait_for_load_state()

    def menu(self, *path: str) -> None:
        """Open a menu entry; each step is looked for inside the menu item opened before."""
        scope: Page | Locator = self.page
        for index, entry in enumerate(path):
            link = scope.get_by_role("link", name=self.t(entry), exact=True)
            if index == len(path) - 1:
                with self.page.expect_navigation():
                    link.click()
            else:
                link.click()
                named = self.page.get_by_role("link", name=self.t(entry), exact=True)
                scope = scope.locator("li").filter(has=named)

    def open_alerts(self) -> None:
        self.menu("Funcționalități", "Alerte")
        self.page.get_by_text(self.t("Configurare alerte"), exact=True).wait_for()

    def open_invoices(self) -> None:
        self.menu("Funcționalități", "Transmitere facturi", "Transmitere Facturi prin E-mail/SMS")
        self.field(self.page, "Perioada").first.wait_for()

    def act(self, action: Callable[[], None]) -> None:
        """Do something that posts back, and wait until the page shows its result."""
        if self.v.postback:
            with self.page.expect_navigation():
                action()
        else:
            # javascript: links run after the click returns: wait for the partial post itself.
            with self.page.expect_response(lambda r: r.request.method == "POST"):
                action()
            self.page.get_by_text(self.t("Se procesează...")).wait_for(state="hidden")

    def tab(self, label: str) -> None:
        self.act(lambda: self.page.locator(".tabs a", has_text=self.t(label)).click())
        self.page.locator(".tabs a.sel", has_text=self.t(label)).wait_for()

    # -- windows ---------------------------------------------------------------------------------

    def open_window(self, press: Callable[[], None], title: str) -> Window:
        title = self.t(title)
        if self.v.windows in ("popup", "popupnav"):
            with self.page.context.expect_page() as info:
                press()
            popup = info.value
            popup.wait_for_load_state()
            assert popup.title() == title
            return Window(title, popup, popup, None, popup)
        press()
        host = self.page.locator(".rwWindow").filter(
            has=self.page.locator(".rwTitle", has_text=title)
        )
        host.wait_for()
        if self.v.windows == "iframe":
            frame = host.frame_locator("iframe")
            return Window(title, frame, frame, host, None)
        return Window(title, host, self.page, host, None)

    def close_with_x(self, window: Window) -> None:
        if window.popup is not None:
            window.popup.close()  # the window manager's X
            return
        assert window.frame is not None
        window.frame.locator(f"[title='{self.close_title}']").click()
        window.frame.wait_for(state="hidden")

    @property
    def close_title(self) -> str:
        return self.t("Închide")

    def cancel(self, window: Window, text: str = "Renunț") -> None:
        """Renunț (or the window's other cancel button: the last one of that name)."""
        button = self.button(window.scope, text).last
        if window.popup is not None:
            with window.popup.expect_event("close"), contextlib.suppress(PlaywrightError):
                # The button closes its own window; Playwright may lose the click's answer.
                button.click()
            return
        assert window.frame is not None
        button.click()
        window.frame.wait_for(state="hidden")

    def tick_fundal(self, window: Window, tick: bool = True) -> None:
        box = window.scope.locator("td", has_text=self.t("Fundal")).locator("input[type=checkbox]")
        box.set_checked(tick)

    def press_send(
        self, window: Window, label: str, *, expect: str = SCHEDULED, timeout_s: float = 30
    ) -> float:
        """Press Trimite …, answer the confirm if any, wait for the message, press OK.

        Returns how long the message took to appear (seconds).
        """
        seen = len(self.dialogs)
        started = time.monotonic()
        self.button(window.scope, label).click()
        text = self.t(expect)
        if self.v.message == "alert":
            self.wait_until(
                lambda: any(kind == "alert" for kind, _ in self.dialogs[seen:]),
                timeout_s,
                "the information alert()",
            )
            elapsed = time.monotonic() - started
            assert ("alert", text) in self.dialogs[seen:]
        else:
            window.document.get_by_text(text).wait_for(timeout=timeout_s * 1000)
            elapsed = time.monotonic() - started
            self.button(window.document, "OK").click()
            window.document.get_by_text(text).wait_for(state="hidden")
        if self.v.confirm == "yes":
            assert self.dialogs[seen][0] == "confirm"
            assert self.t("Sigur doriți să trimiteți") in self.dialogs[seen][1]
        return elapsed

    # -- the manual's two procedures -----------------------------------------------------------

    def open_alert_windows(self) -> tuple[Window, Window]:
        """Alerte → Configurează trimitere alertă → Alegere modalitate transmitere alerte."""
        self.open_alerts()
        first = self.open_window(
            lambda: self.button(self.page, "Configurează trimitere alertă").click(),
            "Configurare trimitere alertă",
        )
        second = self.next_window(
            first, "Alegere modalitate transmitere alerte", "Alegere modalitate transmitere alerte"
        )
        return first, second

    def send_alerts(self, *, background: bool = True, expect: str = SCHEDULED) -> float:
        first, second = self.open_alert_windows()
        self.tick_fundal(second, background)
        elapsed = self.press_send(second, "Trimite alerta", expect=expect)
        self.close_with_x(second)
        self.cancel(first)
        return elapsed

    def send_invoices(
        self, start: date, end: date, *, background: bool = True, expect: str = SCHEDULED
    ) -> float:
        self.open_invoices()
        self.fill_period(start, end)
        window = self.open_window(
            lambda: self.button(self.page, "Configurează transmiterea facturii").click(),
            "Configurare transmitere factură",
        )
        self.tick_fundal(window, background)
        elapsed = self.press_send(window, "Trimite factura", expect=expect)
        self.close_with_x(window)
        return elapsed

    def next_window(self, first: Window, button: str, title: str) -> Window:
        """The window that ``button`` in the window ``first`` opens."""
        return self.open_window(lambda: self.button(first.scope, button).click(), title)

    def fill_period(self, start: date, end: date) -> None:
        period = self.field(self.page, "Perioada")
        period.nth(0).fill(start.strftime("%d/%m/%Y"))
        period.nth(1).fill(end.strftime("%d/%m/%Y"))

    # -- reading the history ----------------------------------------------------------------

    def grid(self) -> list[dict[str, str]]:
        """The history grid's data rows as {header: text} (pager row excluded)."""
        rows: list[dict[str, str]] = self.page.evaluate(
            """() => {
                const table = document.querySelector('table.grid');
                const heads = [...table.rows[0].cells]
                    .map(c => c.innerText.replace(/[▲▼]/g, '').trim());
                return [...table.rows].slice(1)
                    .filter(r => !r.classList.contains('pgr') && r.cells.length === heads.length)
                    .map(r => Object.fromEntries(
                        heads.map((h, i) => [h, r.cells[i].innerText.trim()])));
            }"""
        )
        return rows

    def pager_text(self) -> str:
        return self.page.locator("tr.pgr").inner_text()

    def pager(self, label: str) -> None:
        link = self.page.locator("tr.pgr").get_by_role("link", name=self.t(label))
        self.act(link.click)

    def sort_by(self, header: str) -> None:
        link = self.page.locator("table.grid th").get_by_role("link", name=self.t(header))
        self.act(link.click)

    def refresh_history(self) -> None:
        self.act(self.button(self.page, "Reîmprospătează").click)
