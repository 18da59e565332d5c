"""Every widget implementation of the zoo, used by a person: the whole manual on a few portals.

``covering_variants()`` gives nine generated portals that together use every value of every
dimension, each in the company of different others. On each, the hand-written clerk logs in,
sends the alerts and the invoices, and reads both histories (through the pager, by sorting,
or the newest-first page); the mock's ledger says what really happened.

``ZOO_SEEDS=1-40`` (or ``3,7,9``) also runs the clerk on the ``random:SEED`` portals that
``make fuzz`` gives the robot: a seed the clerk passes and the robot fails is the robot's
problem, not an unusable portal.
"""

from __future__ import annotations

import os
import re
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import Page

from emsys_rpa.mockportal import MockPortalOptions, Variant, running_mock_portal
from emsys_rpa.mockportal.variants import covering_variants, random_variant

from .conftest import FAST
from .zoo_clerk import ZooClerk

pytestmark = pytest.mark.browser

TOURS = covering_variants()


def _seeds(text: str) -> list[int]:
    seeds: list[int] = []
    for part in filter(None, text.replace(" ", "").split(",")):
        low, _, high = part.partition("-")
        seeds += range(int(low), int(high or low) + 1)
    return seeds


RANDOM_SEEDS = _seeds(os.environ.get("ZOO_SEEDS", ""))


def _day(cell: str) -> date:
    found = re.match(r"(\d{2})/(\d{2})/(\d{4}) \d{2}:\d{2}", cell)
    assert found is not None, cell
    return date(int(found.group(3)), int(found.group(2)), int(found.group(1)))


@pytest.mark.parametrize("variant", TOURS, ids=[f"tour{i}" for i in range(len(TOURS))])
def test_the_whole_procedure_on_a_generated_portal(variant: Variant, page: Page) -> None:
    the_whole_procedure(variant, page)


@pytest.mark.skipif(not RANDOM_SEEDS, reason="set ZOO_SEEDS=1-40 to try the fuzz seeds by hand")
@pytest.mark.parametrize("seed", RANDOM_SEEDS or [0])
def test_the_whole_procedure_on_a_random_portal(seed: int, page: Page) -> None:
    the_whole_procedure(random_variant(seed), page)


def the_whole_procedure(variant: Variant, page: Page) -> None:
    with running_mock_portal(MockPortalOptions(variant=variant, **FAST)) as portal:  # type: ignore[arg-type]
        clerk = ZooClerk(page, portal, variant)
        clerk.login()

        # 1. Transmitere Alerte; the history read newest first, or sorted by the send date.
        clerk.send_alerts()
        ledger = portal.wait_for_jobs()
        [alerts] = ledger["jobs"]
        assert (alerts["type"], alerts["background"], alerts["status"]) == ("alerts", True, "done")
        today = date.fromisoformat(ledger["today"])
        clerk.tab("Istoric alerte")
        newest = clerk.newest_row("Data trimitere", through_pager=False)
        assert _day(newest["Data trimitere"]) == today
        if variant.datecols == "extra":  # generated hours before it was sent
            assert newest["Data generare"] != newest["Data trimitere"]

        # 2. Transmitere Facturi: Perioada one month back to today, typed as the page asks.
        start = today - relativedelta(months=1)
        clerk.send_invoices(start, today)
        ledger = portal.wait_for_jobs()
        invoices = ledger["jobs"][-1]
        assert (invoices["type"], invoices["background"], invoices["status"]) == (
            "invoices",
            True,
            "done",
        )
        assert (invoices["period_from"], invoices["period_to"]) == (
            start.isoformat(),
            today.isoformat(),
        )
        assert invoices["sent"] == invoices["eligible"] > 0
        assert ledger["duplicate_sends"] == 0 and ledger["logins"] == 1
        assert ledger["variant"] == variant.spec

        # The invoice history through this portal's pager.
        clerk.tab("Istoric facturi E-mail/SMS")
        first_page = clerk.grid()
        if variant.pager in ("nextro", "nexten"):
            clerk.step_pages()
            newest = clerk.newest_row("Data trimitere E-mail", through_pager=False)
        else:
            clerk.last_page()
            last_row = clerk.grid()[-1]
            if variant.newest_first:
                newest = first_page[0]
                assert _day(last_row["Data trimitere E-mail"]) < today
            else:
                newest = last_row
        assert _day(newest["Data trimitere E-mail"]) == today
        assert newest["Stare"] == clerk.t("Trimisă")
