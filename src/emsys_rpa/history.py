"""Reading a history grid (Istoric alerte, Istoric facturi E-mail/SMS) once it is plain text.

The page object hands over the header cells and the rows' cell texts; everything here is pure:
which column holds the send date, how the portal writes dates (dd/mm/yyyy HH:MM, with or
without seconds, in the portal's time zone), which way the grid is sorted, and which rows are
new since the moment Trimite was pressed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from enum import StrEnum

from emsys_rpa.textmatch import fold

# Day first, as the portal and the manual write it; ISO as a fallback for a changed portal.
_DMY = re.compile(
    r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?(?!\d)"
)
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?(?!\d)")

# Header words of the columns the robot reads, in order of preference (folded).
SEND_DATE_HEADERS = (
    "data trimitere e-mail",
    "data trimitere email",
    "data trimiterii",
    "data trimitere",
    "data transmitere",
    "data transmiterii",
    "trimis la",
    "data expediere",
    "data",
)
# A date column that is never the send date (the alert configuration table has one).
NOT_SEND_DATE_HEADERS = ("ultima modificare", "modificare", "emitere", "scadent", "creare")
STATUS_HEADERS = ("stare", "status", "starea")
# Folded history statuses of rows that did not go out.
_FAILED_STATUS = re.compile(r"eroare|esuat|error|fail|respins|netrimis|nu s-a trimis|invalid")
# A header longer than this is a sentence (a caption, a "no records" row), not a column title.
HEADER_MAX_LEN = 60


class Order(StrEnum):
    NEWEST_FIRST = "newest_first"
    OLDEST_FIRST = "oldest_first"
    UNKNOWN = "unknown"


def parse_portal_datetime(text: str, tz: tzinfo) -> datetime | None:
    """The first date-time in ``text`` as an aware datetime in ``tz``; None if there is none.

    A date without a time is read as midnight: such a row can only be counted if the robot
    started sending at midnight, which keeps a date-only grid from "verifying" too early.
    """
    match = _DMY.search(text)
    if match:
        day, month, year, hour, minute, second = match.groups()
    else:
        match = _ISO.search(text)
        if not match:
            return None
        year, month, day, hour, minute, second = match.groups()
    try:
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=tz,
        )
    except ValueError:
        return None


def header_matches(header: str, key: str, avoid: Sequence[str]) -> bool:
    """The column rule (folded texts): ``key`` in a title-sized header holding no ``avoid`` word.

    The page-side copy in ``pages.history_grid`` (JavaScript) applies the same rule.
    """
    return len(header) < HEADER_MAX_LEN and key in header and not any(a in header for a in avoid)


def find_column(headers: Sequence[str], wanted: Sequence[str], avoid: Sequence[str] = ()) -> int:
    """Index of the first header matching the earliest entry of ``wanted``; -1 if none."""
    folded = [fold(h) for h in headers]
    bad = [fold(a) for a in avoid]
    for name in wanted:
        key = fold(name)
        for index, header in enumerate(folded):
            if header_matches(header, key, bad):
                return index
    return -1


@dataclass(frozen=True)
class HistoryRow:
    cells: tuple[str, ...]
    sent_at: datetime | None
    status: str | None = None


@dataclass
class HistoryPage:
    """One page of the grid, parsed."""

    headers: tuple[str, ...]
    rows: list[HistoryRow] = field(default_factory=list)
    date_column: int = -1

    @property
    def dates(self) -> list[datetime]:
        return [r.sent_at for r in self.rows if r.sent_at is not None]

    @property
    def order(self) -> Order:
        return detect_order(self.dates)


def order_across(before: HistoryPage, after: HistoryPage) -> Order:
    """The grid's order from two of its pages, ``after`` read further on in the pager than
    ``before``: when each page shows one minute only, the pages still tell it apart."""
    first, then = before.dates, after.dates
    if not first or not then:
        return Order.UNKNOWN
    if min(first) > max(then):
        return Order.NEWEST_FIRST
    if max(first) < min(then):
        return Order.OLDEST_FIRST
    return Order.UNKNOWN


def parse_grid(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    tz: tzinfo,
    *,
    date_headers: Sequence[str] = SEND_DATE_HEADERS,
) -> HistoryPage:
    """Turn a grid's texts into rows with their send time (None where the cell has no date).

    Without a recognisable date header, the first cell of each row that holds a date is used.
    Rows whose cell count differs from the header's (pager rows, "no records" rows) are kept
    only if they hold a date; a single wide cell in a grid of several columns (a group title
    such as "Ziua 27/11/2026") never is a row.
    """
    heads = tuple(h.strip() for h in headers)
    date_col = find_column(heads, date_headers, NOT_SEND_DATE_HEADERS)
    status_col = find_column(heads, STATUS_HEADERS)
    parsed: list[HistoryRow] = []
    for raw in rows:
        cells = tuple(c.strip() for c in raw)
        if not any(cells) or (len(heads) > 2 and len(cells) == 1):
            continue  # blank, or one wide cell: a group title ("Ziua 27/11/2026"), not a row
        sent_at: datetime | None = None
        if 0 <= date_col < len(cells):
            sent_at = parse_portal_datetime(cells[date_col], tz)
        elif date_col < 0:
            sent_at = next(
                (d for d in (parse_portal_datetime(c, tz) for c in cells) if d is not None), None
            )
        if heads and len(cells) != len(heads) and sent_at is None:
            continue
        status = cells[status_col] if 0 <= status_col < len(cells) else None
        parsed.append(HistoryRow(cells, sent_at, status or None))
    return HistoryPage(heads, parsed, date_col)


def detect_order(dates: Sequence[datetime]) -> Order:
    """Which way the grid is sorted, judged from its dated rows."""
    if len(dates) < 2 or dates[0] == dates[-1]:
        return Order.UNKNOWN
    return Order.NEWEST_FIRST if dates[0] > dates[-1] else Order.OLDEST_FIRST


def latest_reading(moment: datetime) -> datetime:
    """``moment`` as the later of the instants its wall-clock time can be.

    The night the clocks go back, 03:00–03:59 happens twice and the history writes both hours
    alike. A row written just after the change (03:02, winter time) for a send pressed just
    before it (03:58, summer time) is new only in its later reading; an old row of the first
    hour can be told from it only by a clock, which the history does not show.
    """
    later = moment.replace(fold=1)
    return later if later.utcoffset() != moment.replace(fold=0).utcoffset() else moment


def is_new(row: HistoryRow, since: datetime) -> bool:
    """Sent at or after ``since``'s minute (the portal may round to minutes).

    Compared as instants, not wall-clock times: across the change of clocks they differ.
    """
    if row.sent_at is None:
        return False
    sent = latest_reading(row.sent_at.replace(second=0, microsecond=0))
    return sent.timestamp() >= since.replace(second=0, microsecond=0).timestamp()


def is_failed_status(status: str | None) -> bool:
    """The row's status says it did not go out (Eroare la trimitere, Eșuat, Respins, …)."""
    return bool(status) and bool(_FAILED_STATUS.search(fold(status or "")))


def undated_failures(
    rows: Sequence[HistoryRow], since: datetime, order: Order = Order.UNKNOWN
) -> tuple[list[HistoryRow], int]:
    """Failed rows without a send date, placed by their position in a grid sorted by send time.

    A portal may leave the send-date cell of a row that failed empty; the row still sits in the
    grid's send-time order. Such a row is new when it is *newer* (in the grid's order) than a
    dated row that is itself new: a positional proof that never counts an old row. Rows between
    a new and an old dated row could be either, and are not counted.

    Returns the undated failed rows proven new that way, and how many undated failed rows sit at
    the grid's newest end above a dated row that is old: those only a change between two
    readings can prove new (an earlier run's failures can sit there too). Without a readable
    order (fewer than two distinct dates on the page, and ``order`` unknown) nothing is
    counted.
    """
    # The page's own dates decide its order; when they cannot (this job's rows, all written
    # within the minute), the order the grid showed elsewhere in the same reading does.
    seen = detect_order([r.sent_at for r in rows if r.sent_at is not None])
    if seen is not Order.UNKNOWN:
        order = seen
    if order is Order.UNKNOWN:
        return [], 0
    newest_first = list(rows) if order is Order.NEWEST_FIRST else list(reversed(rows))
    proven: list[HistoryRow] = []
    pending: list[HistoryRow] = []  # undated failed rows newer than the next dated row
    at_newest_end: int | None = None
    for row in newest_first:
        if row.sent_at is None:
            if is_failed_status(row.status):
                pending.append(row)
            continue
        new = is_new(row, since)
        if at_newest_end is None:
            at_newest_end = 0 if new else len(pending)
        if new:
            proven += pending
        pending = []
    if at_newest_end is None:
        # No dated row at all: the whole page is undated failures at the grid's newest end.
        at_newest_end = len(pending)
    return proven, at_newest_end


@dataclass
class Tally:
    """What the new rows across the pages read so far add up to."""

    rows_seen: int = 0
    first_sent_at: datetime | None = None
    last_sent_at: datetime | None = None
    statuses: Counter[str] = field(default_factory=Counter)
    # Undated failed rows at the grid's newest end (see ``undated_failures``); only the first
    # page added (the one holding that end) counts.
    failed_at_newest_end: int = 0
    _pages: int = 0

    def add(self, rows: Sequence[HistoryRow], since: datetime, order: Order = Order.UNKNOWN) -> int:
        """Count the new rows of one page (``order``: the grid's, if known from the reading);
        return how many there were."""
        new = [r for r in rows if is_new(r, since)]
        for row in new:
            assert row.sent_at is not None
            self.rows_seen += 1
            sent = latest_reading(row.sent_at)
            if self.first_sent_at is None or sent.timestamp() < self.first_sent_at.timestamp():
                self.first_sent_at = sent
            if self.last_sent_at is None or sent.timestamp() > self.last_sent_at.timestamp():
                self.last_sent_at = sent
            if row.status:
                self.statuses[row.status] += 1
        placed, at_end = undated_failures(rows, since, order)
        self.rows_seen += len(placed)
        for row in placed:
            self.statuses[row.status or "?"] += 1
        if self._pages == 0:
            self.failed_at_newest_end = at_end
        self._pages += 1
        return len(new) + len(placed)
