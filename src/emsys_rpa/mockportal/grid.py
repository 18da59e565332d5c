"""Server-side paging and sorting of the history grids, fast at a million rows.

Every sortable column is indexed (with the rowid as tie-breaker, which SQLite indexes carry
anyway), the row count is kept in memory, and pages past the middle are read from the other
end of the index, so the last page costs what the first one does.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from typing import Final

from emsys_rpa.mockportal.db import Database

PAGE_SIZE: Final = 20


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    sort_sql: str | None  # None: not sortable (no index behind it)


INVOICE_COLUMNS: Final = (
    Column("numar", "Nr. factură", "number"),
    Column("cod", "Cod client", None),
    Column("client", "Client", "customer_name"),
    Column("email", "E-mail", None),
    Column("emitere", "Data emitere", "issue_date"),
    Column("data", "Data trimitere E-mail", "sent_at"),
    Column("sms", "Data trimitere SMS", None),
    Column("stare", "Stare", None),
)
ALERT_COLUMNS: Final = (
    Column("alerta", "Alerta", "alert_name"),
    Column("cod", "Cod client", None),
    Column("client", "Client", "customer_name"),
    Column("canal", "Canal", None),
    Column("destinatar", "Destinatar", None),
    Column("detalii", "Detalii", None),
    Column("data", "Data trimitere", "sent_at"),
    Column("stare", "Stare", None),
)
COLUMNS: Final = {"invoice_history": INVOICE_COLUMNS, "alert_history": ALERT_COLUMNS}


@dataclass(frozen=True)
class GridPage:
    rows: list[sqlite3.Row]
    page: int
    pages: int
    total: int
    sort: str
    desc: bool
    size: int = PAGE_SIZE

    @property
    def page_links(self) -> list[int]:
        """Up to ten page numbers around the current one (GridView's NumericFirstLast)."""
        first = max(1, min(self.page - 4, self.pages - 9))
        return list(range(first, min(self.pages, first + 9) + 1))


def sort_key(table: str, requested: str) -> str:
    keys = {c.key for c in COLUMNS[table] if c.sort_sql}
    return requested if requested in keys else "data"


def fetch_page(
    db: Database, table: str, *, sort: str, desc: bool, page: int, page_size: int = PAGE_SIZE
) -> GridPage:
    sort = sort_key(table, sort)
    column = next(c.sort_sql for c in COLUMNS[table] if c.key == sort)
    total = db.counts.get(table, 0)
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, page), pages)
    offset = (page - 1) * page_size
    size = max(0, min(page_size, total - offset))
    reverse = offset > total / 2
    direction = "DESC" if desc != reverse else "ASC"
    # Past the middle, read backwards from the far end: OFFSET stays below total / 2.
    skip = total - offset - size if reverse else offset
    rows = db.all(
        f"SELECT * FROM {table} ORDER BY {column} {direction}, id {direction} "  # noqa: S608
        "LIMIT ? OFFSET ?",
        (size or page_size, skip),
    )
    if reverse:
        rows.reverse()
    return GridPage(rows, page, pages, total, sort, desc, page_size)
