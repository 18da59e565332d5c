"""Eligibility, exactly-once sending and the four alert rules, on hand-made data (no browser)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from emsys_rpa.mockportal.clock import Clock, epoch_at
from emsys_rpa.mockportal.db import Database
from emsys_rpa.mockportal.faults import NO_FAULTS
from emsys_rpa.mockportal.jobs import JobRunner, run_instantly
from emsys_rpa.mockportal.portal import PortalState
from emsys_rpa.mockportal.rules import (
    DUE_SOON,
    GRACE_ENDED,
    NEW_INVOICE,
    SELF_READING,
    InvoiceFilters,
    eligible_invoices,
    evaluate_alerts,
    last_alert_run_day,
)
from emsys_rpa.mockportal.seeding import ALERT_CONFIG
from emsys_rpa.mockportal.variants import DEFAULT_VARIANT

TODAY = date(2024, 5, 20)


class Data:
    """A tiny portal database, filled by each test with exactly what it needs."""

    def __init__(self, path: Path) -> None:
        self.db = Database(path)
        self._invoices = 0
        with self.db.tx() as conn:
            conn.executemany(
                "INSERT INTO alert_config (code, name, by_email, by_sms, max_due_days, "
                "max_grace_days, modified_at, administrator) VALUES (?, ?, 1, 0, ?, ?, 0, ?)",
                [
                    (code, name, due, grace, admin)
                    for code, name, due, grace, _, admin in ALERT_CONFIG
                ],
            )
        self.db.finish_seeding()

    def customer(
        self,
        code: str,
        *,
        email: str | None = "x@example.ro",
        phone: str | None = "0722000000",
        by_email: bool = True,
        by_sms: bool = False,
        locality: str = "Iași",
        self_reading_day: int | None = None,
    ) -> int:
        with self.db.tx() as conn:
            cursor = conn.execute(
                "INSERT INTO customers (code, name, email, phone, invoice_by_email, "
                "invoice_by_sms, locality, billing_day, self_reading_day) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)",
                (
                    code,
                    f"Client {code}",
                    email,
                    phone,
                    by_email,
                    by_sms,
                    locality,
                    self_reading_day,
                ),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def invoice(
        self,
        customer_id: int,
        issued: date,
        *,
        due: date | None = None,
        paid: date | None = None,
        kind: str = "Gaze naturale",
        emailed: bool = False,
    ) -> str:
        self._invoices += 1
        number = f"EMS{issued.year}{self._invoices:06d}"
        with self.db.tx() as conn:
            conn.execute(
                "INSERT INTO invoices (number, customer_id, kind, issue_date, due_date, amount, "
                "paid_on, email_sent_at) VALUES (?, ?, ?, ?, ?, 100, ?, ?)",
                (
                    number,
                    customer_id,
                    kind,
                    issued.isoformat(),
                    (due or issued + timedelta(days=15)).isoformat(),
                    paid.isoformat() if paid else None,
                    1.0 if emailed else None,
                ),
            )
        return number

    def set_channels(self, code: str, *, email: bool, sms: bool) -> None:
        with self.db.tx() as conn:
            conn.execute(
                "UPDATE alert_config SET by_email = ?, by_sms = ? WHERE code = ?",
                (email, sms, code),
            )


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Data]:
    made = Data(tmp_path / "portal.sqlite3")
    yield made
    made.db.close()


def _period(days: int = 30) -> InvoiceFilters:
    return InvoiceFilters(TODAY - timedelta(days=days), TODAY)


# -- invoices -----------------------------------------------------------------------------


def test_invoices_eligible_inside_the_period_not_sent_and_accepted_by_email(data: Data) -> None:
    yes = data.customer("C1")
    no_consent = data.customer("C2", by_email=False, by_sms=True)
    no_address = data.customer("C3", email=None)
    inside = data.invoice(yes, TODAY - timedelta(days=3))
    on_first_day = data.invoice(yes, TODAY - timedelta(days=30))
    data.invoice(yes, TODAY - timedelta(days=31))  # before the period
    data.invoice(yes, TODAY - timedelta(days=2), emailed=True)  # already sent
    data.invoice(no_consent, TODAY - timedelta(days=3))
    data.invoice(no_address, TODAY - timedelta(days=3))
    found = [item.number for item in eligible_invoices(data.db, _period())]
    assert found == [on_first_day, inside]


def test_invoice_filters_narrow_the_selection(data: Data) -> None:
    iasi = data.customer("C10", locality="Iași")
    cluj = data.customer("C11", locality="Cluj-Napoca")
    gas = data.invoice(iasi, TODAY, kind="Gaze naturale")
    power = data.invoice(iasi, TODAY, kind="Energie electrică")
    other = data.invoice(cluj, TODAY)

    def numbers(**filters: str) -> list[str]:
        chosen = InvoiceFilters(TODAY, TODAY, **filters)
        return [item.number for item in eligible_invoices(data.db, chosen)]

    assert numbers() == [gas, power, other]
    assert numbers(customer_code="c11") == [other]
    assert numbers(kind="Energie electrică") == [power]
    assert numbers(locality="Cluj") == [other]


def _runner(data: Data, stopping: threading.Event, fail: float | None = None) -> JobRunner:
    return JobRunner(
        data.db,
        Clock(TODAY),
        start_delay_s=0,
        rate_per_s=1000,
        fail_fraction=fail,
        stopping=stopping,
    )


def _state(data: Data, runner: JobRunner, stopping: threading.Event) -> PortalState:
    return PortalState(
        db=data.db,
        clock=Clock(TODAY),
        variant=DEFAULT_VARIANT,
        faults=NO_FAULTS,
        runner=runner,
        stopping=stopping,
    )


def test_each_invoice_is_sent_exactly_once(data: Data) -> None:
    customer = data.customer("C1", by_sms=True)
    for day in range(5):
        data.invoice(customer, TODAY - timedelta(days=day))
    stopping = threading.Event()
    runner = _runner(data, stopping)
    first = runner.schedule_invoices(_period(), background=True)
    assert first.done.wait(10)
    second = runner.schedule_invoices(_period(), background=True)
    assert second.done.wait(10)
    assert (first.eligible, second.eligible) == (5, 0)
    rows = data.db.all("SELECT * FROM invoice_history ORDER BY id")
    assert len(rows) == 5 and {r["status"] for r in rows} == {"sent"}
    # The customer also accepted an SMS: it goes with the e-mail.
    assert all(r["sms_sent_at"] == r["email_sent_at"] is not None for r in rows)
    ledger = _state(data, runner, stopping).ledger()
    assert [(j["eligible"], j["sent"], j["status"]) for j in ledger["jobs"]] == [
        (5, 5, "done"),
        (0, 0, "done"),
    ]
    assert ledger["duplicate_sends"] == 0


def test_two_jobs_scheduled_together_send_twice_and_the_ledger_says_so(data: Data) -> None:
    customer = data.customer("C1")
    for day in range(4):
        data.invoice(customer, TODAY - timedelta(days=day))
    stopping = threading.Event()
    runner = JobRunner(
        data.db,
        Clock(TODAY),
        start_delay_s=0.3,
        rate_per_s=1000,
        fail_fraction=None,
        stopping=stopping,
    )
    jobs = [runner.schedule_invoices(_period(), background=True) for _ in range(2)]
    assert all(job.done.wait(10) for job in jobs)
    assert _state(data, runner, stopping).duplicate_sends() == 4


def test_a_failing_job_marks_error_rows_and_leaves_the_rest_for_later(data: Data) -> None:
    customer = data.customer("C1")
    for day in range(10):
        data.invoice(customer, TODAY - timedelta(days=day))
    stopping = threading.Event()
    job = _runner(data, stopping, fail=0.4).schedule_invoices(_period(), background=True)
    assert job.done.wait(10)
    statuses = [r["status"] for r in data.db.all("SELECT status FROM invoice_history ORDER BY id")]
    assert statuses == ["sent"] * 4 + ["error"] * 3
    assert len(eligible_invoices(data.db, _period())) == 6
    row = data.db.one("SELECT status, sent, failed FROM jobs WHERE id = ?", (job.id,))
    assert row is not None and tuple(row) == ("failed", 4, 3)


# -- alerts -----------------------------------------------------------------------------------


def _alerts(data: Data, day: date = TODAY, last_run: date | None = None) -> dict[str, list[str]]:
    """alert code -> customer codes alerted (one entry per customer and channel)."""
    found: dict[str, list[str]] = {}
    for item in evaluate_alerts(data.db, day, last_run or day - timedelta(days=1)):
        found.setdefault(item.alert_code, []).append(f"{item.customer_code}/{item.channel}")
    return found


def test_due_date_alert_within_max_zile_scadente(data: Data) -> None:
    c1, c2, c3, c4 = (data.customer(f"C{n}") for n in range(1, 5))
    old = TODAY - timedelta(days=40)
    data.invoice(c1, old, due=TODAY + timedelta(days=3))  # last day of the window
    data.invoice(c2, old, due=TODAY + timedelta(days=4))  # too far
    data.invoice(c3, old, due=TODAY + timedelta(days=1), paid=TODAY - timedelta(days=1))
    data.invoice(c4, old, due=TODAY)
    assert _alerts(data)[DUE_SOON] == ["C1/EMAIL", "C4/EMAIL"]


def test_grace_period_alert_after_max_zile_gratie(data: Data) -> None:
    c1, c2, c3 = (data.customer(f"C{n}") for n in range(1, 4))
    old = TODAY - timedelta(days=60)
    data.invoice(c1, old, due=TODAY - timedelta(days=11))  # grace (10 days) ended yesterday
    data.invoice(c2, old, due=TODAY - timedelta(days=10))  # grace ends today: not yet
    data.invoice(c3, old, due=TODAY - timedelta(days=11), paid=TODAY - timedelta(days=2))
    assert _alerts(data)[GRACE_ENDED] == ["C1/EMAIL"]


def test_new_invoice_alert_covers_invoices_issued_since_the_last_run(data: Data) -> None:
    c1, c2 = data.customer("C1"), data.customer("C2")
    data.invoice(c1, TODAY - timedelta(days=3))
    data.invoice(c2, TODAY - timedelta(days=1))
    data.invoice(c2, TODAY)
    last_run = TODAY - timedelta(days=1)
    [c2_alert] = [
        i for i in evaluate_alerts(data.db, TODAY, last_run) if i.alert_code == NEW_INVOICE
    ]
    # One row per customer, covering both of its new invoices.
    assert c2_alert.customer_code == "C2" and len(c2_alert.refs) == 2
    assert NEW_INVOICE in _alerts(data, last_run=TODAY - timedelta(days=3))


def test_self_reading_alert_once_the_period_started(data: Data) -> None:
    data.customer("C1", self_reading_day=15)
    data.customer("C2", self_reading_day=25)
    data.customer("C3")
    assert _alerts(data)[SELF_READING] == ["C1/EMAIL"]


def test_one_row_per_customer_and_enabled_channel(data: Data) -> None:
    data.customer("C1", self_reading_day=1)
    data.customer("C2", self_reading_day=1, phone=None)
    data.customer("C3", self_reading_day=1, email=None)
    data.set_channels(SELF_READING, email=True, sms=True)
    assert sorted(_alerts(data)[SELF_READING]) == ["C1/EMAIL", "C1/SMS", "C2/EMAIL", "C3/SMS"]
    data.set_channels(SELF_READING, email=False, sms=False)
    assert SELF_READING not in _alerts(data)


def test_alerts_already_sent_are_not_sent_again(data: Data) -> None:
    customer = data.customer("C1", self_reading_day=1)
    data.invoice(customer, TODAY, due=TODAY + timedelta(days=2), paid=TODAY + timedelta(days=1))
    items = evaluate_alerts(data.db, TODAY, TODAY - timedelta(days=1))
    assert {i.alert_code for i in items} == {DUE_SOON, NEW_INVOICE, SELF_READING}
    run_instantly(data.db, "alerts", items, at=epoch_at(TODAY, 8, 30), spacing_s=1)
    assert last_alert_run_day(data.db) == TODAY
    assert evaluate_alerts(data.db, TODAY, TODAY) == []
    # Next month the self-reading period starts again; the invoice's alerts stay sent.
    later = evaluate_alerts(data.db, date(2024, 6, 2), TODAY)
    assert [i.alert_code for i in later] == [SELF_READING]
