"""A history tab's grid (Istoric alerte, Istoric facturi E-mail/SMS): find it, page it, read it.

The grid is the visible table (or ARIA grid) with a send-date column. Only what is needed is
read: with the newest rows first, the first page (and the next ones only while every row on
them is new); with the oldest first, the last page via the pager (and the previous ones only
while every row is new). The cost of a check therefore does not grow with the history.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

import structlog
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Locator

from emsys_rpa.errors import ElementNotFoundError
from emsys_rpa.history import (
    HEADER_MAX_LEN,
    NOT_SEND_DATE_HEADERS,
    SEND_DATE_HEADERS,
    HistoryPage,
    Order,
    Tally,
    is_new,
    parse_grid,
)
from emsys_rpa.pages.locate import Finder
from emsys_rpa.pages.wait import poll
from emsys_rpa.textmatch import FOLD_JS, fold, pattern_source

log = structlog.get_logger("emsys_rpa.pages.history")

GRID_SELECTOR = "table, [role=grid], [role=table]"
# Beyond this many rows only both ends are read: new rows are at one end or the other.
_ROW_CAP = 500
# At most this many extra pages are read per check (new rows spilling over a page boundary).
_EXTRA_PAGES = 5

# Runs in the page. findGrid: the first visible grid whose header has one of the wanted
# columns (wanted names in order of preference). The signature tells one page from another.
_JS_LIB = (
    FOLD_JS
    + """
  const text = e => (e.innerText || e.textContent || '').replace(/\\s+/g, ' ').trim();
  const visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
  const isGrid = e => e.tagName === 'TABLE' || ['grid', 'table'].includes(e.getAttribute('role'));
  const rowsOf = t => t.tagName === 'TABLE'
      ? Array.from(t.rows).filter(r => r.closest('table') === t)
      : Array.from(t.querySelectorAll('[role=row]'))
          .filter(r => r.closest('table, [role=grid], [role=table]') === t);
  const cellsOf = r => Array.from(r.tagName === 'TR' ? r.cells :
      r.querySelectorAll('[role=columnheader], [role=cell], [role=gridcell], [role=rowheader]'))
      .map(text);
  const readOne = (t, index) => {
    const rows = rowsOf(t);
    let h = rows.findIndex(r => r.querySelector('th, [role=columnheader]'));
    if (h < 0) h = 0;
    const headers = rows.length ? cellsOf(rows[h]) : [];
    const body = rows.slice(h + 1).filter(visible);
    let picked = body;
    if (body.length > cap) picked = body.slice(0, cap / 2).concat(body.slice(-cap / 2));
    const cells = picked.map(cellsOf);
    const signature = body.length + '|' + JSON.stringify(cells[0] || []) + '|'
        + JSON.stringify(cells[cells.length - 1] || []);
    return {index, headers, rows: cells, total: body.length, signature};
  };
  // history.header_matches, in the page: wanted and avoid arrive folded.
  const matchesHeader = (headers, key) => headers.some(c => {
    const f = fold(c);
    return f.length < maxLen && f.includes(key) && !avoid.some(a => f.includes(a));
  });
  const findGrid = () => {
    const all = Array.from(document.querySelectorAll(selector));
    for (const key of wanted) {
      for (let i = 0; i < all.length; i++) {
        const t = all[i];
        if (!visible(t)) continue;
        if (!isGrid(t) && selector === DEFAULT) continue;
        const rows = rowsOf(t);
        let h = rows.findIndex(r => r.querySelector('th, [role=columnheader]'));
        if (h < 0) h = 0;
        if (rows.length && matchesHeader(cellsOf(rows[h]), key)) return readOne(t, i);
      }
    }
    return null;
  };
"""
)
_DEFAULT_DECL = "const DEFAULT = 'table, [role=grid], [role=table]';"
_FIND_GRID = (
    "([selector, wanted, avoid, cap, maxLen]) => {"
    + _DEFAULT_DECL
    + _JS_LIB
    + "return findGrid(); }"
)
# True once the grid shows something other than the page with signature ``before``.
_GRID_CHANGED = (
    "([selector, wanted, avoid, cap, maxLen, before]) => {"
    + _DEFAULT_DECL
    + _JS_LIB
    + "const g = findGrid(); return !!g && g.signature !== before; }"
)

# Pager controls: (symbols alone, words that may carry arrows: "Ultima »", "‹ Anterioara").
_PAGER: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "first": (("««", "<<", "|<", "⏮"), ("Prima", "Prima pagină", "Primul", "First")),
    "last": (("»»", ">>", ">|", "⏭"), ("Ultima", "Ultima pagină", "Ultimul", "Last")),
    "next": ((">", "›", "»"), ("Următoarea", "Următor", "Pagina următoare", "Înainte", "Next")),
    "prev": (
        ("<", "‹", "«"),
        ("Anterioara", "Anterior", "Pagina anterioară", "Precedenta", "Înapoi", "Prev", "Previous"),
    ),
}
_ARROWS = "[\\s«»‹›<>|⏮⏭]*"


def pager_regex(which: str) -> re.Pattern[str]:
    """Exact name of a pager control, JS-compatible: a symbol alone, or a word with arrows."""
    symbols, words = _PAGER[which]
    alone = "|".join(re.escape(s) for s in symbols)
    worded = "|".join(pattern_source(w) for w in words)
    return re.compile(f"^\\s*(?:{alone})\\s*$|^{_ARROWS}(?:{worded}){_ARROWS}$", re.IGNORECASE)


@dataclass
class Reading:
    """What one check of the history found."""

    tally: Tally
    pages_read: int = 0
    order: Order = Order.UNKNOWN
    rows_total: int = 0  # data rows on the pages read
    signature: str = ""


@dataclass(frozen=True)
class _Grid:
    frame: Frame
    locator: Locator
    page: HistoryPage
    total: int
    signature: str


class HistoryGrid:
    def __init__(
        self,
        finder: Finder,
        tz: tzinfo,
        *,
        key: str,
        date_headers: Sequence[str] = SEND_DATE_HEADERS,
    ) -> None:
        self.finder = finder
        self.tz = tz
        self.key = key  # [selectors] prefix: <key>_table, <key>_date_header, <key>_next_page…
        override = finder.override(f"{key}_date_header")
        self.date_headers = (override,) if override else tuple(date_headers)

    # -- reading ---------------------------------------------------------------------------

    def _args(self) -> list[Any]:
        selector = self.finder.override(f"{self.key}_table") or GRID_SELECTOR
        wanted = [fold(h) for h in self.date_headers]
        avoid = [fold(h) for h in NOT_SEND_DATE_HEADERS]
        return [selector, wanted, avoid, _ROW_CAP, HEADER_MAX_LEN]

    def _read_in(self, frame: Frame) -> _Grid | None:
        args = self._args()
        try:
            data: Any = frame.evaluate(_FIND_GRID, args)
        except PlaywrightError:
            return None
        if not data:
            return None
        page = parse_grid(data["headers"], data["rows"], self.tz, date_headers=self.date_headers)
        locator = frame.locator(args[0]).nth(int(data["index"]))
        return _Grid(frame, locator, page, int(data["total"]), str(data["signature"]))

    def _wait_for_grid(self, frame: Frame, timeout_ms: float, before: str | None = None) -> None:
        """Block until the grid appears (or differs from ``before``) in ``frame``, or timeout."""
        script, args = (
            (_FIND_GRID, self._args())
            if before is None
            else (
                _GRID_CHANGED,
                [*self._args(), before],
            )
        )
        try:
            frame.wait_for_function(script, arg=args, timeout=max(timeout_ms, 1.0))
        except PlaywrightError:
            return

    def find(self, *, timeout_s: float | None = None) -> _Grid:
        """Wait for the grid to be shown (it may be loaded after the tab opens)."""

        def shown() -> _Grid | None:
            grid = self._read_anywhere()
            if grid is None:
                self.finder.check_session()
            return grid

        def idle(wait_ms: float) -> None:
            pages = self.finder.pages()
            if pages:
                self._wait_for_grid(pages[0].main_frame, wait_ms)

        grid = poll(
            shown,
            timeout_s=self.finder.timeout_s if timeout_s is None else timeout_s,
            idle=idle,
        )
        if grid is None:
            wanted = " / ".join(self.date_headers[:3])
            raise ElementNotFoundError(
                f"no history grid with a “{wanted}” column is shown",
                hint=(
                    f'set `{self.key}_date_header = "<column title>"` or '
                    f'`{self.key}_table = "<selector>"` under [selectors]'
                ),
            )
        return grid

    def _read_anywhere(self) -> _Grid | None:
        for frame in self.finder.frames():
            grid = self._read_in(frame)
            if grid is not None:
                return grid
        return None

    def read_since(self, since: datetime) -> Reading:
        """Count the rows sent at or after ``since``, reading only the pages that can hold them."""
        grid = self.find()
        reading = Reading(Tally(), signature=grid.signature)
        order = grid.page.order
        reading.order = order
        if order is Order.OLDEST_FIRST or (
            order is Order.UNKNOWN and not self._page_has_new(grid.page, since)
        ):
            moved = self._go(grid, "last")
            if moved is not None:
                grid = moved
                if order is Order.UNKNOWN:
                    reading.order = grid.page.order
            self._count(reading, grid, since)
            direction = "prev"
        else:
            self._count(reading, grid, since)
            direction = "next"
        for _ in range(_EXTRA_PAGES):
            dated = grid.page.dates
            if not dated or not all(is_new(r, since) for r in grid.page.rows if r.sent_at):
                break
            moved = self._go(grid, direction)
            if moved is None:
                break
            grid = moved
            self._count(reading, grid, since)
        log.info(
            "history read",
            grid=self.key,
            rows_new=reading.tally.rows_seen,
            pages=reading.pages_read,
            order=reading.order.value,
        )
        return reading

    @staticmethod
    def _page_has_new(page: HistoryPage, since: datetime) -> bool:
        return any(is_new(r, since) for r in page.rows)

    @staticmethod
    def _count(reading: Reading, grid: _Grid, since: datetime) -> None:
        reading.tally.add(grid.page.rows, since)
        reading.pages_read += 1
        reading.rows_total += len(grid.page.rows)

    # -- paging ----------------------------------------------------------------------------

    def _pager_scope(self, grid: _Grid) -> list[Locator]:
        """The grid, then its ancestors up to three levels: where a pager is drawn."""
        return [grid.locator, *(grid.locator.locator(f"xpath=ancestor::*[{n}]") for n in (1, 2, 3))]

    def _control(self, grid: _Grid, which: str) -> Locator | None:
        override = self.finder.override(f"{self.key}_{which}_page")
        pattern = pager_regex(which)
        for scope in self._pager_scope(grid):
            candidates = (
                [scope.locator(override)]
                if override
                else [
                    scope.get_by_role("link", name=pattern),
                    scope.get_by_role("button", name=pattern),
                    scope.get_by_title(pattern),
                ]
            )
            for candidate in candidates:
                usable = candidate.filter(visible=True).and_(
                    grid.frame.locator(":not([disabled]):not([aria-disabled=true])")
                )
                try:
                    if usable.count() > 0:
                        return usable.first
                except PlaywrightError:
                    continue
        return None

    def _numbered(self, grid: _Grid) -> list[tuple[int, Locator]]:
        """Numbered page links around the grid (the current page is usually not a link)."""
        for scope in self._pager_scope(grid):
            links = scope.get_by_role("link").filter(visible=True)
            found: list[tuple[int, Locator]] = []
            try:
                names = links.all_inner_texts()
            except PlaywrightError:
                continue
            for index, name in enumerate(names):
                name = name.strip()
                if name.isdigit():
                    found.append((int(name), links.nth(index)))
                elif fold(name) in ("...", "…"):
                    found.append((10**6, links.nth(index)))
            if found:
                return found
        return []

    def _go(self, grid: _Grid, which: str) -> _Grid | None:
        """Move the grid to its last / next / previous page; None if there is no such page."""
        control = self._control(grid, which)
        if control is not None:
            return self._click_and_reread(grid, control)
        if which == "last":
            current = grid
            moved_any = False
            for _ in range(20):
                numbered = self._numbered(current)
                if not numbered:
                    break
                number, link = max(numbered, key=lambda item: item[0])
                moved = self._click_and_reread(current, link)
                if moved is None:
                    break
                current, moved_any = moved, True
                if number != 10**6:
                    # A "..." link leads to the next block of pages; a number is the last one.
                    nxt = [n for n, _ in self._numbered(current) if n > number]
                    if not nxt:
                        break
            return current if moved_any else None
        return None

    def _click_and_reread(self, grid: _Grid, control: Locator) -> _Grid | None:
        before = grid.signature
        try:
            control.click()
        except PlaywrightError:
            return None

        def changed() -> _Grid | None:
            fresh = self._read_anywhere()
            return fresh if fresh is not None and fresh.signature != before else None

        def idle(wait_ms: float) -> None:
            frame = grid.frame if not grid.frame.is_detached() else grid.frame.page.main_frame
            self._wait_for_grid(frame, wait_ms, before)

        return poll(changed, timeout_s=self.finder.timeout_s, idle=idle)
