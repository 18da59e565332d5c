"""Sending jobs: scheduled from the windows, run in a thread, writing history progressively.

A background job (Fundal ticked) waits ``start_delay_s`` (a queue in front of the mail
gateway) and then writes one history row every ``1 / rate_per_s`` seconds. A foreground job
starts at once and the request that scheduled it waits until it has finished.
"""

from __future__ import annotations

import json
import math
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from emsys_rpa.mockportal.clock import Clock
from emsys_rpa.mockportal.db import Database
from emsys_rpa.mockportal.rules import (
    AlertItem,
    InvoiceFilters,
    InvoiceItem,
    eligible_invoices,
    evaluate_alerts,
    last_alert_run_day,
)

JobType = Literal["alerts", "invoices"]
Item = InvoiceItem | AlertItem
# How many rows a failing job marks with an error before it gives up.
ERROR_ROWS: Final = 3


@dataclass
class ScheduledJob:
    id: int
    type: JobType
    eligible: int
    done: threading.Event = field(default_factory=threading.Event)


def write_invoice_row(
    conn: sqlite3.Connection, item: InvoiceItem, job_id: int, at: float, *, ok: bool
) -> None:
    if ok:
        conn.execute(
            "UPDATE invoices SET email_sent_at = ?, sms_sent_at = CASE WHEN ? THEN ? "
            "ELSE sms_sent_at END WHERE id = ?",
            (at, item.with_sms, at, item.invoice_id),
        )
    conn.execute(
        "INSERT INTO invoice_history (invoice_id, number, customer_code, customer_name, email, "
        "issue_date, email_sent_at, sms_sent_at, sent_at, status, job_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            item.invoice_id,
            item.number,
            item.customer_code,
            item.customer_name,
            item.email,
            item.issue_date,
            at if ok else None,
            at if ok and item.with_sms else None,
            at,
            "sent" if ok else "error",
            job_id,
        ),
    )


def write_alert_row(
    conn: sqlite3.Connection, item: AlertItem, job_id: int, at: float, *, ok: bool
) -> None:
    cursor = conn.execute(
        "INSERT INTO alert_history (alert_code, alert_name, customer_code, customer_name, "
        "channel, recipient, details, sent_at, status, job_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            item.alert_code,
            item.alert_name,
            item.customer_code,
            item.customer_name,
            item.channel,
            item.recipient,
            item.details,
            at,
            "sent" if ok else "error",
            job_id,
        ),
    )
    if ok:
        conn.executemany(
            "INSERT INTO alert_deliveries (alert_code, ref, channel, history_id, job_id) "
            "VALUES (?, ?, ?, ?, ?)",
            [(item.alert_code, ref, item.channel, cursor.lastrowid, job_id) for ref in item.refs],
        )


def write_row(db: Database, item: Item, job_id: int, at: float, *, ok: bool) -> None:
    with db.tx() as conn:
        if isinstance(item, InvoiceItem):
            write_invoice_row(conn, item, job_id, at, ok=ok)
            table = "invoice_history"
        else:
            write_alert_row(conn, item, job_id, at, ok=ok)
            table = "alert_history"
        conn.execute(
            f"UPDATE jobs SET {'sent' if ok else 'failed'} = "  # noqa: S608
            f"{'sent' if ok else 'failed'} + 1 WHERE id = ?",
            (job_id,),
        )
    db.count_inserted(table, 1)


def insert_job(
    db: Database,
    job_type: JobType,
    *,
    background: bool,
    scheduled_at: float,
    eligible: int,
    filters: InvoiceFilters | None = None,
    seeded: bool = False,
) -> int:
    with db.tx() as conn:
        cursor = conn.execute(
            "INSERT INTO jobs (type, background, period_from, period_to, filters, scheduled_at, "
            "eligible, status, seeded) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?)",
            (
                job_type,
                int(background),
                filters.period_from.isoformat() if filters else None,
                filters.period_to.isoformat() if filters else None,
                json.dumps(
                    {
                        "customer_code": filters.customer_code,
                        "kind": filters.kind,
                        "locality": filters.locality,
                    },
                    ensure_ascii=False,
                )
                if filters
                else None,
                scheduled_at,
                eligible,
                int(seeded),
            ),
        )
        job_id = cursor.lastrowid
    assert job_id is not None
    return job_id


def set_status(db: Database, job_id: int, status: str, **times: float) -> None:
    with db.tx() as conn:
        conn.execute("UPDATE jobs SET status = ? WHERE id = ?", (status, job_id))
        for column, value in times.items():
            conn.execute(f"UPDATE jobs SET {column} = ? WHERE id = ?", (value, job_id))  # noqa: S608


class JobRunner:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        start_delay_s: float,
        rate_per_s: float,
        fail_fraction: float | None,
        stopping: threading.Event,
    ) -> None:
        self._db = db
        self._clock = clock
        self._start_delay_s = max(0.0, start_delay_s)
        self._interval_s = 1.0 / rate_per_s if rate_per_s > 0 else 0.0
        # Read as each job starts: POST /__mock__/control may change it in between.
        self.fail_fraction = fail_fraction
        self._stopping = stopping
        self._threads: list[threading.Thread] = []

    def schedule_invoices(self, filters: InvoiceFilters, *, background: bool) -> ScheduledJob:
        items = eligible_invoices(self._db, filters)
        return self._schedule("invoices", items, background=background, filters=filters)

    def schedule_alerts(self, *, background: bool) -> ScheduledJob:
        items = evaluate_alerts(self._db, self._clock.today(), last_alert_run_day(self._db))
        return self._schedule("alerts", items, background=background, filters=None)

    def _schedule(
        self,
        job_type: JobType,
        items: Sequence[Item],
        *,
        background: bool,
        filters: InvoiceFilters | None,
    ) -> ScheduledJob:
        job_id = insert_job(
            self._db,
            job_type,
            background=background,
            scheduled_at=self._clock.epoch(),
            eligible=len(items),
            filters=filters,
        )
        job = ScheduledJob(job_id, job_type, len(items))
        thread = threading.Thread(
            target=self._run,
            args=(job, list(items), self._start_delay_s if background else 0.0),
            name=f"mockportal-job-{job_id}",
            daemon=True,
        )
        self._threads.append(thread)
        thread.start()
        return job

    def _run(self, job: ScheduledJob, items: list[Item], delay_s: float) -> None:
        try:
            if self._stopping.wait(delay_s):
                return
            set_status(self._db, job.id, "running", started_at=self._clock.epoch())
            fail_at = (
                math.floor(self.fail_fraction * len(items))
                if self.fail_fraction is not None
                else None
            )
            started = time.monotonic()
            for index, item in enumerate(items):
                if index == fail_at:
                    for broken in items[index : index + ERROR_ROWS]:
                        write_row(self._db, broken, job.id, self._clock.epoch(), ok=False)
                    set_status(self._db, job.id, "failed", finished_at=self._clock.epoch())
                    return
                wait = started + index * self._interval_s - time.monotonic()
                if wait > 0 and self._stopping.wait(wait):
                    return
                write_row(self._db, item, job.id, self._clock.epoch(), ok=True)
            set_status(self._db, job.id, "done", finished_at=self._clock.epoch())
        except sqlite3.ProgrammingError:
            # The portal was stopped (database closed) while the job was still running.
            return
        finally:
            job.done.set()

    def join(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))


def run_instantly(
    db: Database,
    job_type: JobType,
    items: Sequence[Item],
    *,
    at: float,
    spacing_s: float,
    filters: InvoiceFilters | None = None,
    fail_at: int | None = None,
) -> None:
    """Write a whole job at once with invented times (used to seed the past)."""
    job_id = insert_job(
        db,
        job_type,
        background=True,
        scheduled_at=at,
        eligible=len(items),
        filters=filters,
        seeded=True,
    )
    sent = failed = 0
    status = "done"
    when = at + 60.0
    with db.tx() as conn:
        for index, item in enumerate(items):
            ok = fail_at is None or index < fail_at
            if not ok and index >= (fail_at or 0) + ERROR_ROWS:
                status = "failed"
                break
            if isinstance(item, InvoiceItem):
                write_invoice_row(conn, item, job_id, when, ok=ok)
            else:
                write_alert_row(conn, item, job_id, when, ok=ok)
            sent += ok
            failed += not ok
            when += spacing_s
        if failed:
            status = "failed"
        conn.execute(
            "UPDATE jobs SET sent = ?, failed = ?, status = ?, started_at = ?, finished_at = ? "
            "WHERE id = ?",
            (sent, failed, status, at + 60.0, when, job_id),
        )
