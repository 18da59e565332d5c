"""Deterministic data: customers, five months of invoices, and a past that really happened.

The past is not invented row by row: the same rules and job code the live portal uses are
replayed for every past working day (alerts at about 08:30, invoices at about 09:15), so the
history grids, the "already sent" flags and the alert deliveries agree with each other. One
past invoice job fails half-way, as real ones do, leaving "Eroare" rows behind.

``history_rows`` adds that many older rows to each history grid, generated inside SQLite (a
recursive CTE) so that a million rows take seconds, not minutes.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta
from typing import Final

from emsys_rpa.mockportal.clock import epoch_at
from emsys_rpa.mockportal.db import Database
from emsys_rpa.mockportal.jobs import run_instantly
from emsys_rpa.mockportal.rules import (
    DUE_SOON,
    GRACE_ENDED,
    NEW_INVOICE,
    SELF_READING,
    InvoiceFilters,
    eligible_invoices,
    evaluate_alerts,
)

CUSTOMERS: Final = 600
MONTHS_OF_INVOICES: Final = 5
DUE_AFTER_DAYS: Final = 15
INVOICE_KINDS: Final = ("Energie electrică", "Gaze naturale")
LOCALITIES: Final = (
    "București",
    "Cluj-Napoca",
    "Iași",
    "Timișoara",
    "Constanța",
    "Brașov",
    "Ploiești",
    "Pitești",
    "Târgu Mureș",
    "Bacău",
)
_LAST: Final = [
    "Popescu",
    "Ionescu",
    "Popa",
    "Dumitru",
    "Stan",
    "Stoica",
    "Gheorghe",
    "Matei",
    "Ciobanu",
    "Rusu",
    "Munteanu",
    "Constantin",
    "Moldovan",
    "Șerban",
    "Țurcanu",
    "Mihăilă",
    "Răducanu",
    "Bălan",
    "Dobre",
    "Neagu",
    "Toma",
    "Lazăr",
    "Ștefănescu",
    "Tănase",
    "Preda",
    "Enache",
    "Vasilescu",
    "Cristea",
    "Nistor",
    "Florea",
    "Oprea",
    "Bărbulescu",
    "Sârbu",
    "Ardeleanu",
    "Ţîru",
]
_FIRST: Final = [
    "Andrei",
    "Ștefan",
    "Mihai",
    "Ioana",
    "Maria",
    "Elena",
    "Alexandru",
    "Cătălin",
    "Răzvan",
    "Ana",
    "Gabriela",
    "Bogdan",
    "Cristina",
    "Florin",
    "Mădălina",
    "Adrian",
    "Ionuț",
    "Roxana",
    "Vlad",
    "Irina",
    "Teodora",
    "Dănuț",
    "Aurelia",
    "Costel",
    "Tudor",
    "Loredana",
    "Amalia",
    "Andreea",
    "Sorin",
    "Viorica",
]
_COMPANIES: Final = (
    "Țesătoria Mureș",
    "Construcții Bârlad",
    "Agro Câmpia Turzii",
    "Panificația Știrbei",
    "Electro Dâmbovița",
    "Tâmplăria Ardeleană",
    "Service Auto Argeș",
    "Farmacia Sănătatea",
    "Hotel Brașovia",
    "Mobila Suceava",
    "Brutăria Ștefănești",
    "Lactate Țara Bârsei",
)
_MAIL_DOMAINS: Final = ("yahoo.com", "gmail.com", "exemplu.ro", "posta.ro")

# The manual's configuration table, row by row (modified_at in Bucharest local time).
ALERT_CONFIG: Final = (
    (DUE_SOON, "Alerta apropierea datei scadente", 3, None, (2023, 2, 14, 10, 19),
     "Loredana Feraru"),
    (SELF_READING, "Alerta incepere perioada de autocitire", None, None, (2022, 10, 7, 10, 55),
     "Loredana Feraru"),
    (NEW_INVOICE, "Alerta factura noua emisa", None, None, (2015, 1, 8, 14, 1), "Amalia Militaru"),
    (GRACE_ENDED, "Alerta terminarea perioadei de gratie", None, 10, (2019, 11, 18, 12, 25),
     "Andreea Licsandru"),
)  # fmt: skip


def seed_database(db: Database, *, seed: int, today: date, history_rows: int = 0) -> None:
    rng = random.Random(seed)
    start = _add_months(today, -MONTHS_OF_INVOICES)
    _customers(db, rng)
    _invoices(db, rng, start, today)
    _alert_config(db)
    if history_rows > 0:
        _bulk_history(db, history_rows, before=epoch_at(start, 0, 0))
    _replay_past(db, rng, start, today)
    with db.tx() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            [
                ("seed", str(seed)),
                ("today", today.isoformat()),
                ("history_rows", str(history_rows)),
            ],
        )
    db.finish_seeding()


def _customers(db: Database, rng: random.Random) -> None:
    rows = []
    for index in range(CUSTOMERS):
        if rng.random() < 0.15:
            name = f"SC {rng.choice(_COMPANIES)} SRL"
            local = _ascii(name.split(" ", 1)[1]).lower().replace(" ", "")
        else:
            last, first = rng.choice(_LAST), rng.choice(_FIRST)
            name = f"{last} {first}"
            local = f"{_ascii(first)}.{_ascii(last)}".lower()
        email = f"{local}{index}@{rng.choice(_MAIL_DOMAINS)}" if rng.random() < 0.85 else None
        phone = f"07{rng.randint(20000000, 99999999)}" if rng.random() < 0.7 else None
        choice = rng.random()
        # About half accepted the invoice by e-mail; some of those also want an SMS.
        by_email = int(email is not None and choice < 0.55)
        by_sms = int(phone is not None and (choice < 0.15 or 0.55 <= choice < 0.75))
        rows.append(
            (
                index + 1,
                f"C{100001 + index}",
                name,
                email,
                phone,
                by_email,
                by_sms,
                rng.choice(LOCALITIES),
                rng.randint(1, 28),
                rng.choice((5, 15, 25)) if rng.random() < 0.4 else None,
            )
        )
    with db.tx() as conn:
        conn.executemany("INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _invoices(db: Database, rng: random.Random, start: date, today: date) -> None:
    planned: list[tuple[date, int, str]] = []
    customers = db.all("SELECT id, billing_day FROM customers ORDER BY id")
    for months_back in range(MONTHS_OF_INVOICES + 1):
        month = _add_months(today, -months_back)
        for row in customers:
            issued = month.replace(day=int(row["billing_day"]))
            if start <= issued <= today:
                planned.append((issued, int(row["id"]), rng.choice(INVOICE_KINDS)))
    planned.sort()
    rows = []
    sequence: dict[int, int] = {}
    for invoice_id, (issued, customer_id, kind) in enumerate(planned, start=1):
        sequence[issued.year] = sequence.get(issued.year, 0) + 1
        paid = issued + timedelta(days=rng.randint(3, 30)) if rng.random() < 0.8 else None
        rows.append(
            (
                invoice_id,
                f"EMS{issued.year}{sequence[issued.year]:06d}",
                customer_id,
                kind,
                issued.isoformat(),
                (issued + timedelta(days=DUE_AFTER_DAYS)).isoformat(),
                round(rng.uniform(45, 1800), 2),
                paid.isoformat() if paid and paid <= today else None,
            )
        )
    with db.tx() as conn:
        conn.executemany(
            "INSERT INTO invoices (id, number, customer_id, kind, issue_date, due_date, amount, "
            "paid_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def _alert_config(db: Database) -> None:
    with db.tx() as conn:
        conn.executemany(
            "INSERT INTO alert_config (code, name, by_email, by_sms, max_due_days, "
            "max_grace_days, modified_at, administrator) VALUES (?, ?, 1, 0, ?, ?, ?, ?)",
            [
                (code, name, due, grace, epoch_at(date(y, mo, d), h, mi), admin)
                for code, name, due, grace, (y, mo, d, h, mi), admin in ALERT_CONFIG
            ],
        )


def _replay_past(db: Database, rng: random.Random, start: date, today: date) -> None:
    """Run yesterday's clerk, and every working day's before that, with instant jobs."""
    working_days = [
        start + timedelta(days=n)
        for n in range(1, (today - start).days)
        if (start + timedelta(days=n)).weekday() < 5
    ]
    failing_day = working_days[-8] if len(working_days) > 8 else None
    previous_alert_run: date | None = None
    for day in working_days:
        alerts = evaluate_alerts(db, day, previous_alert_run)
        run_instantly(
            db,
            "alerts",
            alerts,
            at=epoch_at(day, 8, rng.randint(10, 45), rng.randint(0, 59)),
            spacing_s=rng.uniform(0.3, 1.5),
        )
        previous_alert_run = day
        # Invoices are issued during the day: the morning run covers up to yesterday.
        filters = InvoiceFilters(_add_months(day, -1), day - timedelta(days=1))
        invoices = eligible_invoices(db, filters)
        run_instantly(
            db,
            "invoices",
            invoices,
            at=epoch_at(day, 9, rng.randint(0, 50), rng.randint(0, 59)),
            spacing_s=rng.uniform(0.5, 2.0),
            filters=filters,
            fail_at=len(invoices) // 2 if day == failing_day and invoices else None,
        )


def _bulk_history(db: Database, rows: int, *, before: float) -> None:
    """``rows`` older rows per history grid, spread over the years before ``before``."""
    step = max(1.0, 3 * 365 * 86400 / rows)
    params = {"n": rows, "before": before, "step": step, "customers": CUSTOMERS}
    series = "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < :n) "
    stamp = "(:before - (:n - s.i) * :step)"
    # Only numbers are interpolated below (bound parameters carry the values).
    with db.tx() as conn:
        conn.execute(
            series + "INSERT INTO invoice_history (invoice_id, number, customer_code, "  # noqa: S608
            "customer_name, email, issue_date, email_sent_at, sms_sent_at, sent_at, status, "
            "job_id) SELECT NULL, printf('EMS%08d', s.i), c.code, c.name, "
            f"COALESCE(c.email, ''), date({stamp}, 'unixepoch', '-3 days'), "
            f"CASE WHEN s.i % 97 = 0 THEN NULL ELSE {stamp} END, "
            f"CASE WHEN c.invoice_by_sms = 1 AND s.i % 97 <> 0 THEN {stamp} END, {stamp}, "
            "CASE WHEN s.i % 97 = 0 THEN 'error' ELSE 'sent' END, NULL "
            "FROM s JOIN customers c ON c.id = 1 + (s.i * 7919) % :customers",
            params,
        )
        conn.execute(
            series + "INSERT INTO alert_history (alert_code, alert_name, customer_code, "  # noqa: S608
            "customer_name, channel, recipient, details, sent_at, status, job_id) "
            "SELECT a.code, a.name, c.code, c.name, 'EMAIL', COALESCE(c.email, c.phone, ''), "
            f"'Notificare arhivată', {stamp}, "
            "CASE WHEN s.i % 89 = 0 THEN 'error' ELSE 'sent' END, NULL "
            "FROM s JOIN customers c ON c.id = 1 + (s.i * 7919) % :customers "
            "JOIN alert_config a ON a.id = 1 + s.i % 4",
            params,
        )


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, 28))


def _ascii(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).replace(" ", "")
