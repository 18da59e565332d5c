"""A history tab's grid (Istoric alerte, Istoric facturi E-mail/SMS): find it, page it, read it.

The grid is the visible table (or ARIA grid) with a send-date column. Only what is needed is
read, the way a clerk would: with the newest rows first, the first page (and the next ones only
while every row on them is new). With the oldest first, the robot goes to the end — by
"Ultima" / "Last" or a page box when there is one; else, when the send-date title is a sort
link, it sorts newest first and reads the first page; else it walks forward through the pager
(the next block, the highest page number, Next), never back to a page already seen, with a hard
cap. The page counter ("Pagina X din Y"), when shown, tells where a click really went.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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
    order_across,
    parse_grid,
)
from emsys_rpa.pages import inpage
from emsys_rpa.pages.inpage import script
from emsys_rpa.pages.locate import Finder
from emsys_rpa.pages.pager import Control, Kind, Pager, classify
from emsys_rpa.pages.wait import FIRST_WAIT_MS, poll, polling_for
from emsys_rpa.textmatch import fold

log = structlog.get_logger("emsys_rpa.pages.history")

GRID_SELECTOR = "table, [role=grid], [role=table]"
# Beyond this many rows only both ends are read: new rows are at one end or the other.
_ROW_CAP = 500
# At most this many extra pages are read per check (new rows spilling over a page boundary).
_EXTRA_PAGES = 5
# At most this many clicks to reach the end of a pager that cannot jump there.
_MAX_MOVES = 60
_marks = itertools.count(1)


@dataclass
class Reading:
    """What one check of the history found."""

    tally: Tally
    pages_read: int = 0
    order: Order = Order.UNKNOWN
    rows_total: int = 0  # data rows on the pages read
    signature: str = ""
    moves: int = 0  # pager and sort clicks (each one a page load on a postback portal)
    how: str = "first page"  # how the newest rows were reached


@dataclass(frozen=True)
class _Grid:
    frame: Frame
    locator: Locator
    page: HistoryPage
    total: int
    signature: str
    pager: Pager = field(default_factory=Pager)
    sort: str | None = None  # the send-date title's sort link (CSS), if it is one
    mark: str = ""  # left on the grid element when it was read
    prev_mark: str | None = None  # what the element carried before (None: drawn anew)

    def at(self, css: str) -> Locator:
        return self.frame.locator(css)


def _redrawn(signature: str, prev_mark: str | None, before: _Grid) -> bool:
    """A grid read with ``signature`` and ``prev_mark`` differs from ``before``, or was drawn
    again since ``before`` was read (it no longer carries that read's mark)."""
    return signature != before.signature or prev_mark != before.mark


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
        # The grid's order as last seen: a later reading may see only this job's rows, all in
        # one minute, on a page that cannot show its order by itself. Only for placing undated
        # failed rows: where to look is decided afresh (a refresh may undo a sort).
        self.known_order = Order.UNKNOWN
        override = finder.override(f"{key}_date_header")
        self.date_headers = (override,) if override else tuple(date_headers)

    # -- reading ---------------------------------------------------------------------------

    def _args(self, **extra: Any) -> dict[str, Any]:
        selector = self.finder.override(f"{self.key}_table") or GRID_SELECTOR
        return {
            "selector": selector,
            "isDefault": selector == GRID_SELECTOR,
            "wanted": [fold(h) for h in self.date_headers],
            "avoid": [fold(h) for h in NOT_SEND_DATE_HEADERS],
            "cap": _ROW_CAP,
            "maxLen": HEADER_MAX_LEN,
            **extra,
        }

    def _read_in(
        self,
        frame: Frame,
        *,
        mark: bool = True,
        wait_ms: float | None = None,
        unlike: _Grid | None = None,
    ) -> _Grid | None:
        """The grid in ``frame``; ``mark``: leave a new mark on its element (else only read
        the one it carries, to tell whether it was redrawn).

        ``wait_ms``: the page waits that long for a grid to show — one that is not ``unlike``
        (differs from it, or was drawn again) — and reads it, in one round trip.
        """
        token = f"m{next(_marks)}" if mark else ""
        args = self._args(mark=token)
        try:
            self.finder.probes += 1
            if wait_ms is None:
                data: Any = inpage.run(frame, "grid", args)
            else:
                data = inpage.run_until(
                    frame,
                    "grid",
                    self._args(mark=""),
                    wait_ms=wait_ms,
                    then=args,
                    before=unlike.signature if unlike is not None else None,
                    beforeMark=unlike.mark if unlike is not None else None,
                )
        except PlaywrightError:
            return None
        if not data or data["loading"]:
            return None
        if unlike is not None and not _redrawn(data["signature"], data.get("prevMark"), unlike):
            return None
        page = parse_grid(data["headers"], data["rows"], self.tz, date_headers=self.date_headers)
        locator = frame.locator(args["selector"]).nth(int(data["index"]))
        return _Grid(
            frame,
            locator,
            page,
            int(data["total"]),
            str(data["signature"]),
            classify(data["pager"]),
            data["sort"],
            token,
            data.get("prevMark"),
        )

    def _wait_for_grid(self, frame: Frame, timeout_ms: float, before: _Grid | None = None) -> None:
        """Block until the grid appears (or differs from ``before``) in ``frame``, or timeout."""
        if before is None:
            condition = (
                f"(args) => {{ const r = ({script('grid')})(args); return !!r && !r.loading; }}"
            )
            args = self._args()
        else:
            condition = script("grid")
            args = self._args(before=before.signature, mark=before.mark)
        try:
            frame.wait_for_function(
                condition, arg=args, polling=polling_for(timeout_ms), timeout=max(timeout_ms, 1.0)
            ).dispose()
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

        lone = self.finder.lone_frame()
        if lone is not None:
            # One frame, just asked to show the grid (a tab clicked): it is usually still on
            # its way, and the page waits for it and reads it in one round trip. With frames,
            # the grid may be in any of them and is looked for at once.
            grid = self._read_in(lone, wait_ms=FIRST_WAIT_MS)
            if grid is not None:
                return grid
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

    def _read_anywhere(self, *, mark: bool = True) -> _Grid | None:
        for frame in self.finder.frames():
            grid = self._read_in(frame, mark=mark)
            if grid is not None:
                return grid
        return None

    def read_since(self, since: datetime) -> Reading:
        """Count the rows sent at or after ``since``, reading only the pages that can hold them."""
        grid = self.find()
        reading = Reading(Tally(), signature=grid.signature, order=grid.page.order)
        walk = _Walk(self, reading, grid)
        order = grid.page.order
        backwards = False
        if order is Order.OLDEST_FIRST or (
            order is Order.UNKNOWN and not self._page_has_new(grid.page, since)
        ):
            start = walk.grid
            backwards = walk.to_newest()
            if reading.order is Order.UNKNOWN:
                reading.order = walk.grid.page.order
            if (
                reading.order is Order.UNKNOWN
                and backwards
                and start.pager.at_start()
                and walk.grid.pager.at_end()
                and walk.grid.signature != start.signature
            ):
                # Each page shows a single minute (one job's rows): the first page and the last
                # one, compared, still tell the order. Newest first: the newest rows are on the
                # first page, where the walk started.
                reading.order = order_across(start.page, walk.grid.page)
                if reading.order is Order.NEWEST_FIRST and walk.back_to_first_page():
                    reading.how = "first page (newest first, seen from the last page)"
                    backwards = False
        if reading.order is not Order.UNKNOWN:
            self.known_order = reading.order
        self._count(reading, walk.grid, since)
        for _ in range(_EXTRA_PAGES):
            page = walk.grid.page
            if not page.dates or not all(is_new(r, since) for r in page.rows if r.sent_at):
                break
            if not walk.step(backwards=backwards):
                break
            self._count(reading, walk.grid, since)
        log.info(
            "history read",
            grid=self.key,
            rows_new=reading.tally.rows_seen,
            pages=reading.pages_read,
            moves=reading.moves,
            how=reading.how,
            order=reading.order.value,
        )
        return reading

    @staticmethod
    def _page_has_new(page: HistoryPage, since: datetime) -> bool:
        return any(is_new(r, since) for r in page.rows)

    def _count(self, reading: Reading, grid: _Grid, since: datetime) -> None:
        order = reading.order if reading.order is not Order.UNKNOWN else self.known_order
        reading.tally.add(grid.page.rows, since, order)
        reading.pages_read += 1
        reading.rows_total += len(grid.page.rows)

    # -- moving ----------------------------------------------------------------------------

    def _override_control(self, grid: _Grid, which: str) -> Locator | None:
        """A ``[selectors]`` pager override (<key>_next_page, _prev_page, _last_page)."""
        selector = self.finder.override(f"{self.key}_{which}_page")
        if not selector:
            return None
        for scope in (grid.locator, grid.frame.locator("body")):
            match = scope.locator(selector).filter(visible=True)
            try:
                if match.count() > 0:
                    return match.first
            except PlaywrightError:
                continue
        return None

    def act_and_reread(self, grid: _Grid, act: Callable[[], None]) -> _Grid | None:
        """Do ``act`` (click a pager or sort control, confirm a page box); the grid once it
        shows something else or was drawn again (None if it did not)."""
        try:
            act()
        except PlaywrightError:
            return None

        lone = self.finder.lone_frame()
        if lone is not None:
            # One frame: the page waits for the grid to change and reads it, in one round trip.
            fresh = self._read_in(lone, wait_ms=FIRST_WAIT_MS, unlike=grid)
            if fresh is not None:
                return fresh

        def changed() -> _Grid | None:
            fresh = self._read_anywhere(mark=False)
            if fresh is None:
                return None
            redrawn = _redrawn(fresh.signature, fresh.prev_mark, grid)
            return (self._read_in(fresh.frame) or fresh) if redrawn else None

        def idle(wait_ms: float) -> None:
            frame = grid.frame if not grid.frame.is_detached() else grid.frame.page.main_frame
            self._wait_for_grid(frame, wait_ms, grid)

        return poll(changed, timeout_s=self.finder.timeout_s, idle=idle)

    @staticmethod
    def page_box_action(grid: _Grid, number: int) -> Callable[[], None]:
        """Type ``number`` into the pager's page box and confirm it (Mergi, or Enter)."""
        assert grid.pager.box is not None
        box = grid.at(grid.pager.box)
        go = grid.pager.go()

        def act() -> None:
            box.fill(str(number))
            if go is not None:
                grid.at(go.css).click()
            else:
                box.press("Enter")

        return act


class _Walk:
    """One check's trip through the pager: where it is, what it has seen, what it clicked."""

    def __init__(self, grids: HistoryGrid, reading: Reading, grid: _Grid) -> None:
        self.grids = grids
        self.reading = reading
        self.grid = grid
        self.seen_pages: set[str] = {grid.signature}
        self.seen_numbers: set[int] = {grid.pager.current} if grid.pager.current else set()
        # Pages passed on the way to the last one, by number: stepping back to one of them
        # needs no click (on an oldest-first grid new rows only ever go after them).
        self.passed: dict[int, _Grid] = {}
        self._remember(grid)
        self.forward_is_next = False  # a lone "»" turned out to mean "next page"

    def _remember(self, grid: _Grid) -> None:
        if grid.pager.current:
            self.passed[grid.pager.current] = grid

    def _move(self, control: Locator | Callable[[], None], *, same_rows: bool = False) -> bool:
        """Click (or act); True once the grid shows a page not read before (``same_rows``: or
        the same rows drawn again, as a sort that changed nothing does)."""
        act = control.click if isinstance(control, Locator) else control
        moved = self.grids.act_and_reread(self.grid, act)
        self.reading.moves += 1
        if moved is None or (moved.signature in self.seen_pages and not same_rows):
            # Nowhere, or back to a page already read: stop rather than go round in circles.
            return False
        self.grid = moved
        self.seen_pages.add(moved.signature)
        if moved.pager.current:
            self.seen_numbers.add(moved.pager.current)
        self._remember(moved)
        return True

    def _click(self, control: Control) -> bool:
        return self._move(self.grid.at(control.css))

    def to_newest(self) -> bool:
        """Bring the newest rows on screen. True: they are at the end of the page (read
        backwards from there); False: the grid is now sorted newest first."""
        override = self.grids._override_control(self.grid, "last")
        if override is not None:
            self.reading.how = "last page ([selectors])"
            self._move(override)
            return True
        tried_sort = False
        for _ in range(_MAX_MOVES):
            pager = self.grid.pager
            if not pager.moves_at_all or pager.at_end():
                return True
            control = self._jump(pager)
            if control is not None:
                if not self._click(control):
                    return True
                continue
            if pager.box is not None and pager.total and pager.current != pager.total:
                self.reading.how = "last page (page box)"
                if not self._move(self.grids.page_box_action(self.grid, pager.total)):
                    return True
                continue
            ambiguous = pager.of(Kind.FORWARD)
            if ambiguous and not self.forward_is_next:
                self._try_forward(ambiguous[0])
                continue
            if self.grid.sort and not tried_sort:
                tried_sort = True
                if self._sort_newest_first():
                    return False
                continue
            control = pager.towards_end(self.seen_numbers, forward_is_next=self.forward_is_next)
            if control is None:
                return True
            self.reading.how = "walked to the last page"
            if not self._click(control):
                return True
        log.warning("history pager: gave up walking to the last page", moves=_MAX_MOVES)
        return True

    def _jump(self, pager: Pager) -> Control | None:
        """One click to the last page: Ultima / Last, or its number when it is in sight."""
        last = pager.of(Kind.LAST)
        if last:
            self.reading.how = "last page (Ultima)"
            return last[0]
        in_sight = pager.last_in_sight()
        if in_sight is not None:
            self.reading.how = "last page (its number)"
        return in_sight

    def _try_forward(self, control: Control) -> None:
        """Click a lone "»" and tell from where it went whether it means "last" or "next":
        still offered one page further on, it is "next" (rows arriving meanwhile may add a
        page, so landing one page further alone proves nothing)."""
        before = self.grid.pager.current
        self.reading.how = "last page (»)"
        if not self._click(control):
            self.forward_is_next = True  # it leads nowhere new: do not press it again
            return
        after = self.grid.pager
        if after.of(Kind.FORWARD) and before is not None and after.current == before + 1:
            self.forward_is_next = True

    def _sort_newest_first(self) -> bool:
        """Click the send-date title until the grid shows the newest rows first (twice at most:
        a first click may sort oldest first), on its first page (a grid may keep its page
        number when sorted)."""
        for _ in range(2):
            sort = self.grid.sort
            before = self.grid.page.dates
            if sort is None or not self._move(self.grid.at(sort), same_rows=True):
                return False
            self.seen_numbers = {self.grid.pager.current} if self.grid.pager.current else set()
            self.passed = {}
            if not self._to_first_page():
                return False
            order = self.grid.page.order
            dates = self.grid.page.dates
            if order is Order.UNKNOWN and dates and before and min(dates) > max(before):
                # One minute on the whole page, but later than anything shown before: the
                # newest rows came to the top.
                order = Order.NEWEST_FIRST
            if order is Order.NEWEST_FIRST:
                self.reading.how = "sorted newest first"
                self.reading.order = order
                return True
            if order is not Order.OLDEST_FIRST:
                return False
        return False

    def _to_first_page(self) -> bool:
        for _ in range(_MAX_MOVES):
            pager = self.grid.pager
            if pager.at_start():
                return True
            control = pager.towards_start()
            if control is None or not self._click(control):
                return False
        return False

    def back_to_first_page(self) -> bool:
        """Back to the pager's first page, read already on the way here (the newest rows are
        there after all): the one way back to a page already seen."""
        for _ in range(_MAX_MOVES):
            pager = self.grid.pager
            if pager.at_start():
                return True
            control = pager.towards_start()
            if control is None or not self._move(self.grid.at(control.css), same_rows=True):
                return False
        return False

    def step(self, *, backwards: bool) -> bool:
        """One page back (towards newer rows on an oldest-first grid) or forward."""
        which = "prev" if backwards else "next"
        override = self.grids._override_control(self.grid, which)
        if override is not None:
            return self._move(override)
        pager = self.grid.pager
        if backwards and pager.current and pager.current - 1 in self.passed:
            self.grid = self.passed[pager.current - 1]
            return True
        control = (
            pager.one_back()
            if backwards
            else pager.one_forward(forward_is_next=self.forward_is_next)
        )
        return control is not None and self._click(control)
