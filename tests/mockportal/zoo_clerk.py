"""A clerk for the widget zoo: the manual's procedure by hand on any generated portal.

Like ``Clerk`` it finds controls the way a person does (visible text, a placeholder, a title,
the row a label sits in, a tooltip's text in an image button's alt), never by the portal's
ids, and it copes with each widget the way a person would: a person sees which kind of pager,
checkbox or date box the screen has, so the clerk reads the variant for that, and then
clicks what a person clicks (the drawn label of a hidden checkbox, the calendar of a date
picker, the "..." of a numeric pager).
"""

from __future__ import annotations

import contextlib
import re
from datetime import date

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from .clerk import SCHEDULED, Clerk, Scope, Window

MONTHS = (
    *("ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august"),
    *("septembrie", "octombrie", "noiembrie", "decembrie"),
)
# How a person reads the format hint beside a date box.
HINT_TOKENS = {"zz": "%d", "ll": "%m", "aaaa": "%Y"}


class ZooClerk(Clerk):
    # -- finding things ----------------------------------------------------------------------

    def button(self, scope: Scope, text: str) -> Locator:
        name = self.t(text)
        kind = self.v.buttons
        if kind == "native":
            kind = "button" if self.v.linked_labels else "link"
        if kind == "link":
            return scope.get_by_role("link", name=name, exact=True)
        if kind == "span":  # no role at all: the text a person clicks
            return scope.get_by_text(name, exact=True)
        return scope.get_by_role("button", name=name, exact=True)  # button, submit, image (alt)

    @property
    def close_title(self) -> str:
        return "Close" if self.v.closex == "en" else self.t("Închide")

    @property
    def cancel_text(self) -> str | None:
        return {"renunt": "Renunț", "renunta": "Renunță", "inchide": "Închide"}.get(self.v.cancel)

    # -- login -----------------------------------------------------------------------------------

    def _login_box(self, label: str) -> Locator:
        if self.v.login == "placeholder":
            return self.page.get_by_placeholder(self.t(label), exact=True)
        return self.field(self.page, label)

    def login(self, password: str | None = None, username: str | None = None) -> None:
        self.page.goto(self.portal.url)
        assert self.page.title() == "EMSYS Portal Administrator"
        self._login_box("Utilizator").fill(username or self.portal.username)
        secret = self._login_box("Parolă")
        secret.fill(password or self.portal.password)
        with self.page.expect_navigation():
            if self.v.login == "enter":  # no button to see: Enter, as the note says
                assert self.page.get_by_text(self.t("Apăsați Enter")).is_visible()
                secret.press("Enter")
            elif self.v.login == "link":
                self.page.get_by_role("link", name="Autentificare", exact=True).click()
            else:
                self.page.get_by_role("button", name="Autentificare", exact=True).click()
        self.page.wait_for_load_state()

    def open_invoices(self) -> None:
        self.menu("Funcționalități", "Transmitere facturi", "Transmitere Facturi prin E-mail/SMS")
        self.period_boxes()[0].wait_for()

    # -- windows ---------------------------------------------------------------------------------

    def next_window(self, first: Window, button: str, title: str) -> Window:
        """Press ``button`` in ``first``: a new window, or (popupnav) the same popup's next page."""
        if self.v.windows != "popupnav":
            return super().next_window(first, button, title)
        assert first.popup is not None
        with first.popup.expect_navigation():
            self.button(first.scope, button).click()
        assert first.popup.title() == self.t(title)
        return Window(self.t(title), first.popup, first.popup, None, first.popup)

    def gone(self, window: Window) -> bool:
        if window.popup is not None:
            return window.popup.is_closed()
        assert window.frame is not None
        return not window.frame.is_visible()

    def close_with_x(self, window: Window) -> None:
        if not self.gone(window):  # gone: an OK closed it, or the popup went on to its next page
            super().close_with_x(window)

    def cancel(self, window: Window, text: str = "Renunț") -> None:
        if self.gone(window):
            return
        if self.cancel_text is None:  # no cancel button: the X (or the browser's) it is
            self.close_with_x(window)
        else:  # "Închide" may also be the X's name: the button is the last of that name
            super().cancel(window, self.cancel_text)

    # -- Fundal ------------------------------------------------------------------------------------

    def tick_fundal(self, window: Window, tick: bool = True) -> None:
        scope, text, kind = window.scope, self.t("Fundal"), self.v.checkbox
        # The form row whose only text is "Fundal" (the box is in it, next to the text).
        row = scope.locator("tr").filter(has_text=re.compile(rf"^\s*{text}\s*$")).last
        if (kind == "native" and not self.v.linked_labels) or kind == "cell":
            row.locator("input[type=checkbox]").set_checked(tick)
        elif kind in ("native", "wrapped", "opacity"):
            scope.get_by_label(text, exact=True).set_checked(tick)
        elif kind == "sronly":
            # The input is a 1x1 pixel under the drawn label: a person clicks the label.
            box = scope.get_by_label(text, exact=True)
            if box.is_checked() != tick:
                scope.locator("label", has_text=text).click()
            assert box.is_checked() == tick
        elif kind == "toggle":
            button = scope.get_by_role("button", name=text, exact=True)
            if (button.get_attribute("aria-pressed") == "true") != tick:
                button.click()
            assert button.get_attribute("aria-pressed") == ("true" if tick else "false")
        else:  # role=checkbox, named by the text or only beside it
            if kind == "role":
                box = scope.get_by_role("checkbox", name=text, exact=True)
            else:
                box = row.get_by_role("checkbox")
            if (box.get_attribute("aria-checked") == "true") != tick:
                box.click()
            assert box.get_attribute("aria-checked") == ("true" if tick else "false")

    # -- the information message ---------------------------------------------------------------

    def press_send(
        self, window: Window, label: str, *, expect: str = SCHEDULED, timeout_s: float = 30
    ) -> float:
        if self.v.message in ("html", "alert"):
            return super().press_send(window, label, expect=expect, timeout_s=timeout_s)
        seen = len(self.dialogs)
        self.button(window.scope, label).click()
        text = self.t(expect)
        if self.v.message == "toast":
            # A notification of the page around the window (a popup is its own page); no OK.
            where = self.page if self.v.windows == "iframe" else window.document
            where.get_by_text(text).wait_for(timeout=timeout_s * 1000)
        else:  # the window's content gives way to the message; its OK closes the window
            window.scope.get_by_text(text).wait_for(timeout=timeout_s * 1000)
            if window.popup is not None:
                with window.popup.expect_event("close"), contextlib.suppress(PlaywrightError):
                    self.button(window.scope, "OK").click()
            else:
                self.button(window.scope, "OK").click()
                assert window.frame is not None
                window.frame.wait_for(state="hidden")
        if self.v.confirm == "yes":
            assert self.dialogs[seen][0] == "confirm"
        return 0.0

    # -- Perioada ----------------------------------------------------------------------------------

    def period_boxes(self) -> tuple[Locator, Locator]:
        if self.v.datelabel == "placeholder":
            if self.v.dates == "picker":  # grey text while empty, a tooltip once filled
                return (
                    self.page.get_by_title(self.t("Perioada de la"), exact=True),
                    self.page.get_by_title(self.t("Perioada până la"), exact=True),
                )
            return (
                self.page.get_by_placeholder(self.t("Perioada de la"), exact=True),
                self.page.get_by_placeholder(self.t("Perioada până la"), exact=True),
            )
        row = self.page.locator("tr", has=self.page.get_by_text(self.t("Perioada"), exact=True))
        boxes = row.first.locator("input[type=text]:visible")
        return boxes.nth(0), boxes.nth(1)

    def date_format(self) -> str:
        """The format a person reads beside the boxes (zz.ll.aaaa …); the picker's is known."""
        if self.v.dates == "picker":
            return "%d.%m.%Y"
        hint = self.page.get_by_text(re.compile(r"^\((zz|aaaa)\W")).inner_text().strip("()")
        return re.sub(r"zz|ll|aaaa", lambda m: HINT_TOKENS[m.group(0)], hint)

    def fill_period(self, start: date, end: date) -> None:
        first, second = self.period_boxes()
        fmt = self.date_format()
        if self.v.dates == "mask":  # digits only; the mask puts the slashes in
            for box, day in ((first, start), (second, end)):
                box.click()
                box.press("Control+a")
                box.press_sequentially(day.strftime("%d%m%Y"))
            self.page.keyboard.press("Tab")
        elif self.v.dates == "picker":  # type one end, pick the other in the calendar
            first.fill(start.strftime(fmt))
            first.press("Tab")
            self.pick_in_calendar(second, end)
        else:
            first.fill(start.strftime(fmt))
            second.fill(end.strftime(fmt))

    def pick_in_calendar(self, box: Locator, day: date) -> None:
        cell = box.locator("xpath=ancestor::tr[1]")
        cell.get_by_role("link", name=self.t("Deschide calendarul")).click()
        calendar = self.page.locator("table", has=self.page.get_by_role("columnheader", name="Ma"))
        wanted = f"{self.t(MONTHS[day.month - 1])} {day.year}"
        for _ in range(24):
            caption = calendar.locator("caption").inner_text()
            if wanted in caption:
                break
            shown_month = MONTHS.index(caption.split()[1].replace("ţ", "ț").replace("ş", "ș"))
            later = (int(caption.split()[2]), shown_month + 1) < (day.year, day.month)
            calendar.get_by_title(self.t("Luna următoare" if later else "Luna anterioară")).click()
        calendar.get_by_role("link", name=str(day.day), exact=True).click()
        assert box.input_value() == day.strftime("%d.%m.%Y")

    # -- reading the history ----------------------------------------------------------------

    def act(self, action: object) -> None:
        super().act(action)  # type: ignore[arg-type]
        if self.v.loading == "xhr":  # the rows come after a "Se încarcă..." row
            self.page.get_by_text(self.t("Se încarcă...")).wait_for(state="hidden")

    def grid(self) -> list[dict[str, str]]:
        """Data rows as {header: text}: pager, group and loading rows have fewer cells."""
        self.page.get_by_text(self.t("Se încarcă...")).wait_for(state="hidden")
        rows: list[dict[str, str]] = self.page.evaluate(
            """() => {
                const table = [...document.querySelectorAll('table')].find(t =>
                    [...t.rows].some(r => [...r.cells].some(c =>
                        c.tagName === 'TH' && c.innerText.trim() === 'Stare')));
                const rows = [...table.rows];
                const h = rows.findIndex(r => r.querySelector('th'));
                const heads = [...rows[h].cells]
                    .map(c => c.innerText.replace(/[▲▼]/g, '').trim());
                return rows.slice(h + 1)
                    .filter(r => r.cells.length === heads.length && !r.querySelector('table'))
                    .map(r => Object.fromEntries(
                        heads.map((name, i) => [name, r.cells[i].innerText.trim()])));
            }"""
        )
        return rows

    def sort_by(self, header: str) -> None:
        link = self.page.get_by_role("columnheader").get_by_role(
            "link", name=self.t(header), exact=True
        )
        self.act(link.click)

    def pager_area(self) -> Locator:
        return self.page.locator("tr.pgr, div.pgrOut").first

    def choose_page_size(self, size: str) -> None:
        select = self.pager_area().get_by_role("combobox")
        self.act(lambda: select.select_option(label=size))

    def pager_texts(self) -> list[str]:
        """The pager's links and texts, left to right, as a person reads them."""
        texts: list[str] = self.pager_area().evaluate(
            "p => [...p.querySelectorAll('a, span')].map(e => e.textContent.trim())"
        )
        return texts

    def last_page(self) -> None:
        """Go to the grid's last page with what this pager offers."""
        pager, style = self.pager_area(), self.v.pager

        def click(name: str) -> None:
            self.act(pager.get_by_role("link", name=self.t(name), exact=True).click)

        if style == "gridview":
            click("Ultima »")
        elif style in ("firstlast", "symbols"):
            last = "Ultima" if style == "firstlast" else "»"
            if pager.get_by_role("link", name=last, exact=True).count():
                click(last)
        elif style == "icons":
            self.act(pager.get_by_role("button", name=self.t("Ultima pagină")).click)
        elif style == "goto":
            total = re.search(r"din (\d+)", pager.inner_text())
            assert total is not None
            pager.get_by_role("textbox").fill(total.group(1))
            self.act(pager.get_by_role("button", name="Mergi").click)
        elif style in ("numeric", "dots"):
            # "..." after the numbers jumps to the next block of ten; then the highest number.
            while True:
                texts = self.pager_texts()
                numbers = [i for i, text in enumerate(texts) if text.isdigit()]
                if "..." not in texts[numbers[-1] :]:
                    break
                self.act(self.pager_area().get_by_role("link", name="...", exact=True).last.click)
            highest = max(int(text) for text in texts if text.isdigit())
            link = self.pager_area().get_by_role("link", name=str(highest), exact=True)
            if link.count():  # not the current page already
                self.act(link.click)
        else:
            raise AssertionError(f"pager {style} has no way to the last page")

    def newest_row(self, date_column: str, *, through_pager: bool) -> dict[str, str]:
        """The newest row: first if newest first; else via the pager's last page, or by sorting."""
        self.refresh_history()
        if self.v.newest_first:
            return self.grid()[0]
        if through_pager and self.v.pager not in ("nextro", "nexten"):
            if self.v.pagesize == "yes":
                self.choose_page_size("50")
            self.last_page()
            return self.grid()[-1]
        # A person facing dozens of pages sorts by the date: newest first.
        self.sort_by(date_column)
        return self.grid()[0]

    def step_pages(self) -> tuple[str, str]:
        """Next then previous with a next/previous pager: (first row after next, after back)."""
        following, previous = {
            "nextro": ("Pagina următoare", "Pagina anterioară"),
            "nexten": ("Next", "Previous"),
        }[self.v.pager]
        first = self.grid()[0]
        self.act(self.pager_area().get_by_role("link", name=self.t(following)).click)
        after_next = self.grid()[0]
        self.act(self.pager_area().get_by_role("link", name=self.t(previous)).click)
        back = self.grid()[0]
        assert back == first != after_next
        return str(after_next), str(back)
