"""Each fault, met by a clerk in a real browser; the ledger and request log say what happened."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page

from emsys_rpa.mockportal import (
    ALL_VARIANTS,
    MockPortalOptions,
    parse_faults,
    parse_variant,
    running_mock_portal,
)

from .clerk import EXECUTED, Clerk
from .conftest import FAST

pytestmark = pytest.mark.browser


def _options(*faults: str, variant: str = "default") -> MockPortalOptions:
    return MockPortalOptions(
        variant=parse_variant(variant),
        faults=parse_faults(list(faults)),
        **FAST,  # type: ignore[arg-type]
    )


def test_latency_is_added_to_every_response(page: Page) -> None:
    with running_mock_portal(_options("latency=150")) as portal:
        clerk = Clerk(page, portal, ALL_VARIANTS["default"])
        clerk.login()
        clerk.send_alerts()
        ledger = portal.wait_for_jobs()
        assert [j["status"] for j in ledger["jobs"]] == ["done"]
        requests = portal.requests()
        assert len(requests) == ledger["requests"] >= 4
        assert all(r["duration_ms"] >= 150 for r in requests)


def test_first_requests_after_login_answer_503_then_work(page: Page) -> None:
    with running_mock_portal(_options("unavailable=2")) as portal:
        clerk = Clerk(page, portal, ALL_VARIANTS["default"])
        clerk.login()
        assert "Service Unavailable" in page.title()
        page.reload()  # what a person does: F5
        assert "Service Unavailable" in page.title()
        page.reload()
        clerk.send_alerts()
        assert portal.wait_for_jobs()["jobs"][0]["status"] == "done"
        statuses = [(r["method"], r["path"], r["status"]) for r in portal.requests()]
        login = statuses.index(("POST", "/Login.aspx", 302))
        assert [s for _, _, s in statuses[login + 1 : login + 4]] == [503, 503, 200]
        assert [s for _, _, s in statuses].count(503) == 2


def test_expired_session_lands_on_login_and_sends_nothing(page: Page) -> None:
    with running_mock_portal(_options("session_expiry=2")) as portal:
        clerk = Clerk(page, portal, ALL_VARIANTS["default"])
        clerk.login()  # Default.aspx: authenticated request 1
        second = clerk.open_alert_windows()[1]  # Alerte.aspx: request 2
        clerk.tick_fundal(second)
        clerk.button(second.scope, "Trimite alerta").click()  # request 3: the session is gone
        page.wait_for_url("**/Login.aspx")
        assert page.get_by_text("Sesiunea a expirat").is_visible()
        ledger = portal.ledger()
        assert ledger["jobs"] == [] and ledger["sessions_expired"] == 1
        # A new session gets the same allowance again.
        clerk.login()
        assert page.get_by_text(clerk.t("Bine ați venit")).is_visible()
        assert portal.ledger()["logins"] == 2


def test_late_confirmation_message(page: Page) -> None:
    with running_mock_portal(_options("late_confirm=2")) as portal:
        clerk = Clerk(page, portal, ALL_VARIANTS["default"])
        clerk.login()
        elapsed = clerk.send_alerts()
        assert elapsed >= 2.0
        ledger = portal.wait_for_jobs()
        assert len(ledger["jobs"]) == 1 and ledger["jobs"][0]["status"] == "done"


def test_job_failing_midway_leaves_error_rows_and_the_rest_unsent(page: Page) -> None:
    variant = ALL_VARIANTS["popup-postback-oldest"]
    with running_mock_portal(_options("job_fail=0.5", variant="popup-postback-oldest")) as portal:
        clerk = Clerk(page, portal, variant)
        clerk.login()
        today = date.fromisoformat(portal.ledger()["today"])
        clerk.send_invoices(today - timedelta(days=30), today)
        [first] = portal.wait_for_jobs()["jobs"]
        assert first["status"] == "failed"
        assert first["sent"] == first["eligible"] // 2
        assert first["failed"] == min(3, first["eligible"] - first["sent"]) > 0
        clerk.tab("Istoric facturi E-mail/SMS")
        clerk.pager("Ultima")
        states = [row["Stare"] for row in clerk.grid()]
        assert clerk.t("Eroare la trimitere") in states
        # What was never sent is still due: the next job picks exactly that up, once.
        clerk.send_invoices(today - timedelta(days=30), today)
        ledger = portal.wait_for_jobs()
        assert ledger["jobs"][1]["eligible"] == first["eligible"] - first["sent"]
        assert ledger["duplicate_sends"] == 0


def test_portal_down_answers_503_everywhere_but_the_ledger(page: Page) -> None:
    with running_mock_portal(_options("down")) as portal:
        response = page.goto(portal.url)
        assert response is not None and response.status == 503
        assert "Service Unavailable" in page.content()
        ledger = portal.ledger()
        assert ledger["logins"] == 0 and ledger["requests"] >= 1
        assert {r["status"] for r in portal.requests()} == {503}


def test_faults_combine_latency_and_late_confirm_in_popups(page: Page) -> None:
    variant = ALL_VARIANTS["popup-alert-confirm"]
    with running_mock_portal(
        _options("latency=100", "late_confirm=1", variant="popup-alert-confirm")
    ) as portal:
        clerk = Clerk(page, portal, variant)
        clerk.login()
        assert clerk.send_alerts() >= 1.0
        ledger = portal.wait_for_jobs()
        assert len(ledger["jobs"]) == 1 and ledger["faults"] == ["latency=100", "late_confirm=1"]


def test_without_fundal_the_page_waits_for_the_whole_job(page: Page) -> None:
    variant = ALL_VARIANTS["iframe-postback-cedilla"]
    options = MockPortalOptions(variant=variant, send_start_delay_s=5.0, send_rate_per_s=40.0)
    with running_mock_portal(options) as portal:
        clerk = Clerk(page, portal, variant)
        clerk.login()
        elapsed = clerk.send_alerts(background=False, expect=EXECUTED)
        [job] = portal.ledger()["jobs"]  # no waiting: it is already finished
        assert job["background"] is False and job["status"] == "done"
        assert job["sent"] == job["eligible"] > 0
        # Foreground jobs skip the queue (5 s) but still send at the gateway's rate.
        assert (job["eligible"] - 1) / 40.0 <= elapsed < 5.0


def test_cancelling_the_confirm_sends_nothing(page: Page) -> None:
    variant = ALL_VARIANTS["dialog-postback-plain"]
    with running_mock_portal(MockPortalOptions(variant=variant, **FAST)) as portal:  # type: ignore[arg-type]
        clerk = Clerk(page, portal, variant)
        clerk.accept_confirm = False
        clerk.login()
        second = clerk.open_alert_windows()[1]
        clerk.tick_fundal(second)
        clerk.button(second.scope, "Trimite alerta").click()
        clerk.wait_until(lambda: bool(clerk.dialogs), 10, "the confirm()")
        assert clerk.dialogs == [("confirm", clerk.t("Sigur doriți să trimiteți alertele?"))]
        # Nothing was posted: the window is still there and the ledger is empty.
        assert second.frame is not None and second.frame.is_visible()
        assert portal.ledger()["jobs"] == []
