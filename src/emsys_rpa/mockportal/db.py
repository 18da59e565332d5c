"""SQLite storage (stdlib ``sqlite3``): one connection, serialised by a lock.

The portal's request handlers and its background job threads share the connection; every
statement is short, so one lock is simpler than a pool and plenty fast for a mock. Row counts
of the two history tables are kept in memory so that paging a million-row grid never needs a
``COUNT(*)``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS customers (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    invoice_by_email INTEGER NOT NULL,   -- accepted to receive the invoice by e-mail
    invoice_by_sms INTEGER NOT NULL,     -- accepted an SMS when the invoice is sent
    locality TEXT NOT NULL,
    billing_day INTEGER NOT NULL,
    self_reading_day INTEGER             -- NULL: no self-reading (autocitire)
);
CREATE TABLE IF NOT EXISTS invoices (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    kind TEXT NOT NULL,
    issue_date TEXT NOT NULL,            -- YYYY-MM-DD
    due_date TEXT NOT NULL,
    amount REAL NOT NULL,
    paid_on TEXT,
    email_sent_at REAL,                  -- epoch seconds; NULL: not sent yet
    sms_sent_at REAL
);
CREATE INDEX IF NOT EXISTS invoices_issue ON invoices(issue_date);
CREATE INDEX IF NOT EXISTS invoices_due ON invoices(due_date);
CREATE TABLE IF NOT EXISTS alert_config (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    by_email INTEGER NOT NULL,
    by_sms INTEGER NOT NULL,
    max_due_days INTEGER,
    max_grace_days INTEGER,
    modified_at REAL NOT NULL,
    administrator TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,                  -- alerts | invoices
    background INTEGER NOT NULL,
    period_from TEXT,
    period_to TEXT,
    filters TEXT,
    scheduled_at REAL NOT NULL,
    started_at REAL,
    finished_at REAL,
    eligible INTEGER NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,                -- queued | running | done | failed
    seeded INTEGER NOT NULL DEFAULT 0    -- 1: part of the invented past, not of this run
);
CREATE TABLE IF NOT EXISTS invoice_history (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER,                  -- NULL for bulk-seeded (--history-rows) rows
    number TEXT NOT NULL,
    customer_code TEXT NOT NULL,
    customer_name TEXT NOT NULL,
    email TEXT,
    issue_date TEXT NOT NULL,
    email_sent_at REAL,
    sms_sent_at REAL,
    sent_at REAL NOT NULL,               -- when the row was written (sort key)
    status TEXT NOT NULL,                -- sent | error
    job_id INTEGER
);
CREATE TABLE IF NOT EXISTS alert_history (
    id INTEGER PRIMARY KEY,
    alert_code TEXT NOT NULL,
    alert_name TEXT NOT NULL,
    customer_code TEXT NOT NULL,
    customer_name TEXT NOT NULL,
    channel TEXT NOT NULL,               -- EMAIL | SMS
    recipient TEXT NOT NULL,
    details TEXT NOT NULL,
    sent_at REAL NOT NULL,
    status TEXT NOT NULL,
    job_id INTEGER
);
-- What each alert row covered (an invoice, or a customer's self-reading month), so that a
-- later run does not alert the same thing again and duplicates can be counted.
CREATE TABLE IF NOT EXISTS alert_deliveries (
    id INTEGER PRIMARY KEY,
    alert_code TEXT NOT NULL,
    ref TEXT NOT NULL,
    channel TEXT NOT NULL,
    history_id INTEGER NOT NULL,
    job_id INTEGER
);
CREATE INDEX IF NOT EXISTS alert_deliveries_ref ON alert_deliveries(alert_code, ref, channel);
"""

# Built after bulk seeding: inserting a million rows is much faster into an unindexed table.
HISTORY_INDEXES: Final = """
CREATE INDEX IF NOT EXISTS invoice_history_sent ON invoice_history(sent_at);
CREATE INDEX IF NOT EXISTS invoice_history_number ON invoice_history(number);
CREATE INDEX IF NOT EXISTS invoice_history_customer ON invoice_history(customer_name);
CREATE INDEX IF NOT EXISTS invoice_history_issue ON invoice_history(issue_date);
CREATE INDEX IF NOT EXISTS invoice_history_invoice ON invoice_history(invoice_id)
    WHERE invoice_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS alert_history_sent ON alert_history(sent_at);
CREATE INDEX IF NOT EXISTS alert_history_alert ON alert_history(alert_name);
CREATE INDEX IF NOT EXISTS alert_history_customer ON alert_history(customer_name);
"""

HISTORY_TABLES: Final = ("invoice_history", "alert_history")


class Database:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        # A mock's data is disposable: durability is traded for start-up and job speed.
        for pragma in (
            "journal_mode=WAL",
            "synchronous=OFF",
            "temp_store=MEMORY",
            "cache_size=-65536",
        ):
            self._conn.execute(f"PRAGMA {pragma}")
        self._conn.executescript(SCHEMA)
        self.counts: dict[str, int] = {}

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (serialised with every other statement)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def all(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        with self._lock:
            row: sqlite3.Row | None = self._conn.execute(sql, params).fetchone()
            return row

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = self.one(sql, params)
        return None if row is None else row[0]

    def is_seeded(self) -> bool:
        return bool(self.scalar("SELECT value FROM meta WHERE key = 'seeded'") == "1")

    def finish_seeding(self) -> None:
        with self._lock:
            self._conn.executescript(HISTORY_INDEXES)
            self._conn.execute("INSERT OR REPLACE INTO meta VALUES ('seeded', '1')")
            self._conn.execute("ANALYZE")
        self.refresh_counts()

    def refresh_counts(self) -> None:
        with self._lock:
            for table in HISTORY_TABLES:
                self.counts[table] = int(
                    self._conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
                )

    def count_inserted(self, table: str, rows: int) -> None:
        with self._lock:
            self.counts[table] = self.counts.get(table, 0) + rows
