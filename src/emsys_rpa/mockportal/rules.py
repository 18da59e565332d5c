"""Who gets what: invoice eligibility and the four alert rules, as plain queries over the data.

Eligibility is evaluated when a job is *scheduled* (the snapshot a legacy back-end takes): a
second job scheduled after the first has finished finds nothing new, while two jobs scheduled
at the same time would both send the same rows — which ``duplicate_sends`` then exposes.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from emsys_rpa.mockportal.clock import format_date, local_from_epoch
from emsys_rpa.mockportal.db import Database

# Codes of the four rows of the manual's configuration table, in its order.
DUE_SOON: Final = "scadenta"
SELF_READING: Final = "autocitire"
NEW_INVOICE: Final = "factura_noua"
GRACE_ENDED: Final = "gratie"
# Grace periods that ended longer ago than this are not worth alerting about any more.
GRACE_LOOKBACK_DAYS: Final = 7


@dataclass(frozen=True)
class InvoiceFilters:
    period_from: date
    period_to: date
    customer_code: str = ""
    kind: str = ""
    locality: str = ""


@dataclass(frozen=True)
class InvoiceItem:
    invoice_id: int
    number: str
    customer_code: str
    customer_name: str
    email: str
    issue_date: str
    with_sms: bool


@dataclass(frozen=True)
class AlertItem:
    alert_code: str
    alert_name: str
    customer_code: str
    customer_name: str
    channel: str  # EMAIL | SMS
    recipient: str
    details: str
    refs: tuple[str, ...]


def eligible_invoices(db: Database, filters: InvoiceFilters) -> list[InvoiceItem]:
    """Issued inside the period, not e-mailed yet, to customers who accepted e-mail."""
    sql = """
        SELECT i.id, i.number, c.code, c.name, c.email, i.issue_date, c.invoice_by_sms
        FROM invoices i JOIN customers c ON c.id = i.customer_id
        WHERE i.issue_date BETWEEN ? AND ?
          AND i.email_sent_at IS NULL
          AND c.invoice_by_email = 1 AND c.email IS NOT NULL
    """
    params: list[str] = [filters.period_from.isoformat(), filters.period_to.isoformat()]
    if filters.customer_code.strip():
        sql += " AND c.code = ?"
        params.append(filters.customer_code.strip().upper())
    if filters.kind.strip():
        sql += " AND i.kind = ?"
        params.append(filters.kind.strip())
    if filters.locality.strip():
        sql += " AND c.locality LIKE ?"
        params.append(filters.locality.strip() + "%")
    sql += " ORDER BY i.issue_date, i.number"
    return [
        InvoiceItem(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in db.all(sql, params)
    ]


def last_alert_run_day(db: Database) -> date | None:
    epoch = db.scalar("SELECT MAX(scheduled_at) FROM jobs WHERE type = 'alerts'")
    if epoch is None:
        return None
    return local_from_epoch(float(epoch)).date()


def evaluate_alerts(db: Database, day: date, last_run: date | None) -> list[AlertItem]:
    """One item per alert type x customer x channel enabled in the configuration table."""
    items: list[AlertItem] = []
    for cfg in db.all("SELECT * FROM alert_config ORDER BY id"):
        channels = [ch for ch, on in (("EMAIL", cfg["by_email"]), ("SMS", cfg["by_sms"])) if on]
        if not channels:
            continue
        hits = _hits(db, cfg["code"], day, last_run, cfg["max_due_days"], cfg["max_grace_days"])
        for channel in channels:
            delivered = _delivered(db, cfg["code"], channel, [h.ref for h in hits])
            per_customer: dict[str, list[_Hit]] = defaultdict(list)
            for hit in hits:
                if hit.ref not in delivered:
                    per_customer[hit.customer_code].append(hit)
            for code in sorted(per_customer):
                group = per_customer[code]
                recipient = group[0].email if channel == "EMAIL" else group[0].phone
                if not recipient:
                    continue
                items.append(
                    AlertItem(
                        alert_code=cfg["code"],
                        alert_name=cfg["name"],
                        customer_code=code,
                        customer_name=group[0].customer_name,
                        channel=channel,
                        recipient=recipient,
                        details="; ".join(h.detail for h in group),
                        refs=tuple(h.ref for h in group),
                    )
                )
    return items


@dataclass(frozen=True)
class _Hit:
    ref: str
    customer_code: str
    customer_name: str
    email: str | None
    phone: str | None
    detail: str


_CUSTOMER_COLUMNS: Final = "c.code, c.name, c.email, c.phone"
_UNPAID: Final = "(i.paid_on IS NULL OR i.paid_on > :day)"


def _hits(
    db: Database,
    code: str,
    day: date,
    last_run: date | None,
    max_due_days: int | None,
    max_grace_days: int | None,
) -> list[_Hit]:
    params: dict[str, str] = {"day": day.isoformat()}
    if code == DUE_SOON:
        params["until"] = (day + timedelta(days=max_due_days or 0)).isoformat()
        rows = db.all(
            f"SELECT i.number, i.due_date, {_CUSTOMER_COLUMNS} FROM invoices i "  # noqa: S608
            f"JOIN customers c ON c.id = i.customer_id "
            f"WHERE i.due_date BETWEEN :day AND :until AND {_UNPAID} ORDER BY i.number",
            params,
        )
        return [
            _hit(r, r["number"], f"Factura {r['number']} are scadența la {_ro(r['due_date'])}")
            for r in rows
        ]
    if code == GRACE_ENDED:
        grace = max_grace_days or 0
        # Grace ended when due_date + grace < day, i.e. due_date < day - grace.
        params["ended_before"] = (day - timedelta(days=grace)).isoformat()
        params["not_before"] = (day - timedelta(days=grace + GRACE_LOOKBACK_DAYS)).isoformat()
        rows = db.all(
            f"SELECT i.number, i.due_date, {_CUSTOMER_COLUMNS} FROM invoices i "  # noqa: S608
            f"JOIN customers c ON c.id = i.customer_id "
            f"WHERE i.due_date < :ended_before AND i.due_date >= :not_before AND {_UNPAID} "
            f"ORDER BY i.number",
            params,
        )
        return [
            _hit(
                r,
                r["number"],
                f"Perioada de grație pentru factura {r['number']} s-a încheiat la "
                f"{format_date(date.fromisoformat(r['due_date']) + timedelta(days=grace))}",
            )
            for r in rows
        ]
    if code == NEW_INVOICE:
        since = last_run or (day - timedelta(days=1))
        params["since"] = since.isoformat()
        rows = db.all(
            f"SELECT i.number, i.issue_date, {_CUSTOMER_COLUMNS} FROM invoices i "  # noqa: S608
            f"JOIN customers c ON c.id = i.customer_id "
            f"WHERE i.issue_date BETWEEN :since AND :day ORDER BY i.number",
            params,
        )
        return [
            _hit(r, r["number"], f"Factura nouă {r['number']} emisă la {_ro(r['issue_date'])}")
            for r in rows
        ]
    if code == SELF_READING:
        month = day.strftime("%Y-%m")
        rows = db.all(
            f"SELECT c.self_reading_day, {_CUSTOMER_COLUMNS} FROM customers c "  # noqa: S608
            "WHERE c.self_reading_day IS NOT NULL AND c.self_reading_day <= ? ORDER BY c.code",
            (day.day,),
        )
        return [
            _hit(
                r,
                f"{r['code']}:{month}",
                "Perioada de autocitire a început la "
                f"{format_date(day.replace(day=int(r['self_reading_day'])))}",
            )
            for r in rows
        ]
    return []


def _hit(r: sqlite3.Row, ref: str, detail: str) -> _Hit:
    return _Hit(ref, r["code"], r["name"], r["email"], r["phone"], detail)


def _delivered(db: Database, code: str, channel: str, refs: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(refs), 500):
        chunk = refs[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            r[0]
            for r in db.all(
                f"SELECT ref FROM alert_deliveries WHERE alert_code = ? AND channel = ? "  # noqa: S608
                f"AND ref IN ({marks})",
                [code, channel, *chunk],
            )
        )
    return found


def _ro(iso: str) -> str:
    return format_date(date.fromisoformat(iso))
