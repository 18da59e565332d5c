"""A WebForms-style history grid of our own, for the pager tests: every click posts the whole
form back and the server draws the page again (one page load per click, counted).

The rows are computed, not stored, so a history of a million rows costs nothing: row ``i``
(0 = oldest) was sent ``rows - i`` minutes before ``NEWEST``, except the last ``new`` rows,
which were sent at ``NEWEST``. Pager styles are the ones legacy ASP.NET / Telerik grids draw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

NEWEST = datetime(2026, 11, 28, 14, 15)
SIZE = 20
BLOCK = 10


@dataclass
class GridSite:
    rows: int
    new: int
    pager: str  # numeric | dots | symbols_last | symbols_next | goto | icons | nextonly | radgrid
    sortable: bool = False
    grow: int = 0  # new rows the portal writes between two page loads (a send in progress)
    page: int = 1  # GridView keeps its page number when sorted
    desc: bool = False  # sorted by the send date, newest first
    sorted: bool = False  # sorted by the send date at all (else: the grid's own order)
    loads: int = 0
    # (sorted by the send date, newest first, page) of every page drawn
    visited: list[tuple[bool, bool, int]] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.rows // SIZE))

    def sent_at(self, index: int) -> datetime:
        if index >= self.rows - self.new:
            return NEWEST
        return NEWEST - timedelta(minutes=self.rows - index)

    def handle(self, method: str, form: dict[str, list[str]]) -> str:
        if self.loads:
            self.rows += self.grow
            self.new += self.grow
        self.loads += 1
        argument = (form.get("__EVENTARGUMENT") or [""])[0]
        if argument.startswith("Page$"):
            self.page = max(1, min(self.pages, int(argument[5:])))
        elif argument == "Sort":
            # GridView: the first click sorts ascending, the next one descending.
            self.desc = not self.desc if self.sorted else False
            self.sorted = True
        box = (form.get("box") or [""])[0]
        if argument == "Go" and box.isdigit():
            self.page = max(1, min(self.pages, int(box)))
        self.visited.append((self.sorted, self.desc, self.page))
        return self.render()

    def _row_indexes(self) -> range:
        first = (self.page - 1) * SIZE
        last = min(self.rows, first + SIZE)
        if self.desc:
            return range(self.rows - 1 - first, self.rows - 1 - last, -1)
        return range(first, last)

    def render(self) -> str:
        body = "".join(
            f"<tr><td>C{i}</td><td>{self.sent_at(i):%d/%m/%Y %H:%M}</td><td>Trimis</td></tr>"
            for i in self._row_indexes()
        )
        title = "Data trimitere"
        if self.sortable:
            arrow = (" ▼" if self.desc else " ▲") if self.sorted else ""
            title = f"<a href=\"javascript:post('Sort')\">Data trimitere</a>{arrow}"
        pager = self._pager()
        return f"""<html><body><form method=post id=f>
<input type=hidden name=__EVENTARGUMENT id=arg>
<script>function post(a) {{ document.getElementById('arg').value = a;
  document.getElementById('f').submit(); }}</script>
<h3>Istoric alerte</h3>
<table border=1><tr><th>Client</th><th>{title}</th><th>Stare</th></tr>{body}
<tr><td colspan=3><table><tr>{pager}</tr></table></td></tr></table>
</form></body></html>"""

    # -- pagers --------------------------------------------------------------------------------

    def _link(self, text: str, page: int) -> str:
        return f"<td><a href=\"javascript:post('Page${page}')\">{text}</a></td>"

    def _numbers(self) -> str:
        first = (self.page - 1) // BLOCK * BLOCK + 1
        last = min(self.pages, first + BLOCK - 1)
        cells = [self._link("...", first - 1)] if first > 1 else []
        for n in range(first, last + 1):
            cells.append(f"<td><span>{n}</span></td>" if n == self.page else self._link(str(n), n))
        if last < self.pages:
            cells.append(self._link("...", last + 1))
        return "".join(cells)

    def _pager(self) -> str:
        at_start, at_end = self.page == 1, self.page == self.pages
        prev = "" if at_start else self._link("&lt;", self.page - 1)
        nxt = "" if at_end else self._link("&gt;", self.page + 1)
        counter = f"<td>Pagina {self.page} din {self.pages}</td>"
        if self.pager == "numeric":
            return self._numbers()
        if self.pager == "dots":
            return prev + self._numbers() + nxt
        if self.pager == "symbols_last":
            first = "" if at_start else self._link("&laquo;", 1)
            last = "" if at_end else self._link("&raquo;", self.pages)
            return first + self._numbers() + last
        if self.pager == "symbols_next":
            back = "" if at_start else self._link("&laquo;", self.page - 1)
            fwd = "" if at_end else self._link("&raquo;", self.page + 1)
            return back + self._numbers() + fwd + counter
        if self.pager == "nextonly":
            back = "" if at_start else self._link("Pagina anterioară", self.page - 1)
            fwd = "" if at_end else self._link("Pagina următoare", self.page + 1)
            return back + fwd
        if self.pager == "icons":

            def icon(title: str, page: int, off: bool) -> str:
                disabled = " disabled" if off else ""
                return (
                    f"<td><input type=image alt='{title}' title='{title}' width=16 height=16"
                    f" src='data:image/gif;base64,R0lGODlhAQABAAAAACw=' {disabled}"
                    f" onclick=\"post('Page${page}'); return false;\"></td>"
                )

            return (
                icon("Prima pagină", 1, at_start)
                + icon("Pagina anterioară", self.page - 1, at_start)
                + self._numbers()
                + icon("Pagina următoare", self.page + 1, at_end)
                + icon("Ultima pagină", self.pages, at_end)
                + counter
            )
        if self.pager == "radgrid":
            # Telerik RadGrid: image-like submit buttons named by their title only, every page
            # number a link (the current one too), and "Page X of Y" in the info part.

            def button(title: str, page: int) -> str:
                return (
                    f"<td><input type=submit value=' ' title='{title}'"
                    f" onclick=\"post('Page${page}'); return false;\"></td>"
                )

            first = (self.page - 1) // BLOCK * BLOCK + 1
            last = min(self.pages, first + BLOCK - 1)
            numbers = "".join(self._link(f"<span>{n}</span>", n) for n in range(first, last + 1))
            more = self._link("...", last + 1) if last < self.pages else ""
            less = self._link("...", first - 1) if first > 1 else ""
            return (
                button("First Page", 1)
                + button("Previous Page", max(1, self.page - 1))
                + less
                + numbers
                + more
                + button("Next Page", min(self.pages, self.page + 1))
                + button("Last Page", self.pages)
                + f"<td>Page {self.page} of {self.pages}, items {self.page * SIZE - SIZE + 1}"
                f" to {min(self.rows, self.page * SIZE)} of {self.rows}</td>"
            )
        if self.pager == "goto":
            return (
                prev + f"<td>Pagina <input type=text name=box value={self.page} size=4> din"
                f" {self.pages} <input type=button value=Mergi onclick=\"post('Go')\"></td>" + nxt
            )
        raise ValueError(self.pager)
