"""The portal's clock: started at a chosen Bucharest time, running on in real time, across the
daylight-saving changes, on the dates a monthly robot trips over."""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx
import pytest

from emsys_rpa.mockportal import (
    MockPortalOptions,
    parse_local_datetime,
    parse_variant,
    running_mock_portal,
)

from .conftest import FAST
from .webforms import INVOICES, login, send

# Last Sunday of October 2026: at 04:00 summer time the clocks go back to 03:00.
REPEATED_HOUR = date(2026, 10, 25)


def test_ambiguous_times_are_the_first_occurrence_and_missing_ones_are_refused() -> None:
    first = parse_local_datetime("2026-10-25T03:30")
    second = parse_local_datetime("2026-10-25T03:30+02:00")
    assert (first.utcoffset(), second.utcoffset()) == (timedelta(hours=3), timedelta(hours=2))
    assert second.timestamp() - first.timestamp() == 3600
    assert parse_local_datetime("2026-10-25T01:30Z") == second  # UTC, converted
    with pytest.raises(ValueError, match="does not exist"):
        parse_local_datetime("2027-03-28T03:15")  # skipped: 03:00 becomes 04:00


def test_the_clock_runs_on_across_the_end_of_summer_time() -> None:
    options = MockPortalOptions(now=datetime(2026, 10, 25, 3, 50), **FAST)  # type: ignore[arg-type]
    with running_mock_portal(options) as portal:
        # Set just before the change once the portal is up (its start-up takes a moment).
        portal.set_now(datetime(2026, 10, 25, 3, 59, 58))
        before = httpx.get(portal.url).headers["date"]
        start = datetime.fromisoformat(portal.ledger()["now"])
        now = start
        deadline = time.monotonic() + 30
        while now.utcoffset() == timedelta(hours=3) and time.monotonic() < deadline:
            time.sleep(0.2)
            now = datetime.fromisoformat(portal.ledger()["now"])
        after = httpx.get(portal.url).headers["date"]
    assert start.isoformat().startswith("2026-10-25T03:59:5")
    assert start.utcoffset() == timedelta(hours=3)
    # A moment on, the wall clock is back at 03:00, in winter time.
    assert now.isoformat().startswith("2026-10-25T03:00:")
    assert now.utcoffset() == timedelta(hours=2)
    # The Date header is in GMT: it follows the same clock and never goes back.
    sent_before, sent_after = parsedate_to_datetime(before), parsedate_to_datetime(after)
    assert sent_before.strftime("%Y-%m-%d %H:%M") == "2026-10-25 00:59"
    assert timedelta(0) < sent_after - sent_before < timedelta(minutes=1)


def _invoice_sent_times(html: str) -> list[str]:
    """The history grid's "Data trimitere E-mail" column, top to bottom."""
    rows = re.findall(r"<tr class=\"(?:alt)?(?: err)?\">(.*?)</tr>", html, re.S)
    return [re.findall(r"<td>(.*?)</td>", row)[5] for row in rows]


def test_rows_sent_in_the_repeated_hour_show_the_same_wall_clock_time() -> None:
    options = MockPortalOptions(now=datetime(2026, 10, 25, 3, 30), **FAST)  # type: ignore[arg-type]
    with running_mock_portal(options) as portal, httpx.Client(base_url=portal.base_url) as http:
        login(http, portal)
        send(http, INVOICES, txtPerioadaDeLa="23/10/2026", txtPerioadaPanaLa="23/10/2026")
        portal.wait_for_jobs()
        portal.set_now("2026-10-25T03:30+02:00")  # an hour later: 03:30 again, winter time
        send(http, INVOICES, txtPerioadaDeLa="24/10/2026", txtPerioadaPanaLa="25/10/2026")
        summer, winter = portal.wait_for_jobs()["jobs"]
        times = [
            sent
            for page in (1, 2, 3)
            for sent in _invoice_sent_times(
                http.get(INVOICES, params={"tab": "istoric", "page": str(page)}).text
            )
        ]
    assert summer["sent"] > 0 and winter["sent"] > 0
    assert summer["scheduled_at"].startswith("2026-10-25T03:30:")
    assert summer["scheduled_at"].endswith("+03:00")
    assert winter["scheduled_at"].startswith("2026-10-25T03:30:")
    assert winter["scheduled_at"].endswith("+02:00")
    ours = summer["sent"] + winter["sent"]
    assert len(times) == 60 and ours < 60, "both jobs on the first three pages"
    # Newest first: the winter rows, then the summer ones, all at the same wall-clock minute.
    assert times[:ours] == ["25/10/2026 03:30"] * ours
    assert not any(t.startswith("25/10/2026") for t in times[ours:])


@pytest.mark.parametrize(
    "now",
    [
        "2027-03-31T09:00",  # a month back from 31 March: there is no 31 February
        "2028-02-29T09:00",  # leap day
        "2026-10-25T03:55",  # the repeated hour
        "2027-03-28T04:05",  # just after the skipped hour
        "2027-01-01T00:30",  # a new year: the period starts in the previous one
    ],
)
def test_the_portal_serves_every_screen_on_the_awkward_dates(now: str) -> None:
    when = parse_local_datetime(now)
    options = MockPortalOptions(
        now=when,
        variant=parse_variant("seconds=yes"),
        **FAST,  # type: ignore[arg-type]
    )
    with running_mock_portal(options) as portal, httpx.Client(base_url=portal.base_url) as http:
        assert portal.ledger()["today"] == when.date().isoformat()
        login(http, portal)
        home = http.get("/Default.aspx").text
        assert when.strftime("%d/%m/%Y %H:%M") in home  # the page's own clock
        start = date(when.year - (when.month == 1), (when.month - 2) % 12 + 1, 1)
        answer = send(
            http,
            INVOICES,
            txtPerioadaDeLa=f"{start:%d/%m/%Y}",
            txtPerioadaPanaLa=f"{when:%d/%m/%Y}",
        )
        assert answer.json()["message"] == "Operația a fost programată cu succes."
        [job] = portal.wait_for_jobs()["jobs"]
        assert job["status"] == "done" and job["scheduled_at"].startswith(when.strftime("%Y-%m-%d"))
        history = http.get(INVOICES, params={"tab": "istoric"})
        assert history.status_code == 200 and "Data trimitere E-mail" in history.text
