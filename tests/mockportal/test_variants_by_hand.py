"""The manual's whole procedure, by hand, in every named variant; the ledger says what happened."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page

from emsys_rpa.mockportal import ALL_VARIANTS, MockPortalOptions, running_mock_portal

from .clerk import Clerk
from .conftest import FAST

pytestmark = pytest.mark.browser


def _month_back(today: date) -> date:
    previous = today.replace(day=1) - timedelta(days=1)
    return previous.replace(day=min(today.day, previous.day))


@pytest.mark.parametrize("name", list(ALL_VARIANTS))
def test_the_whole_procedure_by_hand(name: str, page: Page) -> None:
    variant = ALL_VARIANTS[name]
    options = MockPortalOptions(variant=variant, **FAST)  # type: ignore[arg-type]
    with running_mock_portal(options) as portal:
        clerk = Clerk(page, portal, variant)
        clerk.login()

        # 1. Transmitere Alerte
        clerk.send_alerts()
        ledger = portal.wait_for_jobs()
        [alerts] = ledger["jobs"]
        assert alerts["type"] == "alerts" and alerts["background"] is True
        assert alerts["status"] == "done"
        assert alerts["sent"] == alerts["eligible"] > 0 and alerts["failed"] == 0
        today = date.fromisoformat(ledger["today"])
        clerk.tab("Istoric alerte")
        newest = _newest_row(clerk, "Data trimitere")
        assert newest["Data trimitere"].startswith(today.strftime("%d/%m/%Y"))
        assert newest["Stare"] == clerk.t("Trimisă")

        # 2. Transmitere Facturi
        start = _month_back(today)
        clerk.send_invoices(start, today)
        ledger = portal.wait_for_jobs()
        invoices = ledger["jobs"][-1]
        assert invoices["type"] == "invoices" and invoices["background"] is True
        assert (invoices["period_from"], invoices["period_to"]) == (
            start.isoformat(),
            today.isoformat(),
        )
        assert invoices["status"] == "done" and invoices["sent"] == invoices["eligible"] > 0
        clerk.tab("Istoric facturi E-mail/SMS")
        newest = _newest_row(clerk, "Data trimitere E-mail")
        assert newest["Data trimitere E-mail"].startswith(today.strftime("%d/%m/%Y"))

        # A second run the same day finds nothing new: each invoice goes out exactly once.
        clerk.send_invoices(start, today)
        ledger = portal.wait_for_jobs()
        assert ledger["jobs"][-1]["eligible"] == 0
        assert ledger["duplicate_sends"] == 0
        assert ledger["logins"] == 1 and ledger["failed_logins"] == 0

        # Realistic markup only: nothing test-only in what the portal serves.
        html = page.content()
        assert "data-testid" not in html and "mock" not in html.lower()


def _newest_row(clerk: Clerk, date_column: str) -> dict[str, str]:
    """Where the newest row is depends on the grid's order (and then on the last page)."""
    clerk.refresh_history()
    pattern = (
        r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}"
        if clerk.v.with_seconds
        else (r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}")
    )
    if clerk.v.newest_first:
        row = clerk.grid()[0]
    else:
        assert clerk.pager_text().lstrip().startswith("1")
        clerk.pager("Ultima")
        row = clerk.grid()[-1]
    assert re.fullmatch(pattern, row[date_column]), row
    return row
