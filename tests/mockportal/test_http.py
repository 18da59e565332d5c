"""The portal over plain HTTP: login and locking, sessions, postbacks, paging, seeding, the CLI."""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
import pytest

from emsys_rpa.mockportal import (
    MockPortal,
    MockPortalOptions,
    parse_faults,
    parse_variant,
    running_mock_portal,
)
from emsys_rpa.mockportal.grid import PAGE_SIZE, fetch_page
from emsys_rpa.mockportal.pages import PageState

from .command import refused, serving
from .conftest import FAST
from .webforms import PASSWORD, USER, login, viewstate


def test_binds_localhost_and_serves_the_login_page(default_portal: MockPortal) -> None:
    assert default_portal.base_url.startswith("http://127.0.0.1:")
    assert default_portal.url == default_portal.base_url + "/Login.aspx"
    page = httpx.get(default_portal.url)
    assert "<title>EMSYS Portal Administrator</title>" in page.text


def test_protected_pages_send_you_to_login_and_back(
    default_portal: MockPortal, client: httpx.Client
) -> None:
    first = client.get("/Alerte/Alerte.aspx")
    assert first.status_code == 302
    assert first.headers["location"] == "/Login.aspx?ReturnUrl=/Alerte/Alerte.aspx"
    back = client.post(
        first.headers["location"],
        data={USER: default_portal.username, PASSWORD: default_portal.password},
    )
    assert back.status_code == 302 and back.headers["location"] == "/Alerte/Alerte.aspx"
    cookie = back.headers["set-cookie"]
    assert "httponly" in cookie.lower() and cookie.startswith("ASP.NET_SessionId=")
    assert client.get("/Alerte/Alerte.aspx").status_code == 200


def test_wrong_passwords_lock_the_account_after_five(
    default_portal: MockPortal, client: httpx.Client
) -> None:
    messages = [login(client, default_portal, "nu-e-parola").text for _ in range(5)]
    assert "Utilizator sau parolă incorectă." in messages[0]
    assert "Mai aveți 1 încercare" in messages[3]
    assert "Contul a fost blocat" in messages[4]
    # Locked means locked: the right password no longer helps.
    refused = login(client, default_portal)
    assert refused.status_code == 200 and "Contul este blocat" in refused.text
    ledger = default_portal.ledger()
    assert ledger["locked_users"] == [default_portal.username]
    assert (ledger["logins"], ledger["failed_logins"]) == (0, 6)
    assert default_portal.password not in str(ledger)


def test_postback_and_ajax_answer_the_same_event() -> None:
    for spec, asynchronous in (("updates=postback", False), ("updates=ajax", True)):
        options = MockPortalOptions(variant=parse_variant(spec), **FAST)  # type: ignore[arg-type]
        with running_mock_portal(options) as portal, httpx.Client(base_url=portal.base_url) as http:
            login(http, portal)
            page = http.get("/Facturi/TransmitereFacturi.aspx")
            form = {
                "__VIEWSTATE": viewstate(page.text),
                "__EVENTTARGET": "ctl00$MainContent$tsTaburi",
                "__EVENTARGUMENT": "istoric",
            }
            if asynchronous:
                form["__ASYNCPOST"] = "true"
            answer = http.post("/Facturi/TransmitereFacturi.aspx", data=form)
            body = answer.json()["panel"] if asynchronous else answer.text
            assert "Data trimitere E-mail" in body
            assert ("<html" in answer.text) is not asynchronous
            state = PageState.decode(
                answer.json()["viewstate"] if asynchronous else viewstate(answer.text),
                PageState(tab="?"),
            )
            assert state.tab == "istoric"
            form.update(
                __VIEWSTATE=state.encode(),
                __EVENTTARGET="ctl00$MainContent$gvIstoric",
                __EVENTARGUMENT="Page$Last",
            )
            last = http.post("/Facturi/TransmitereFacturi.aspx", data=form)
            text = last.json()["panel"] if asynchronous else last.text
            pages = re.search(r"Pagina (\d+) din (\d+)", text)
            assert pages is not None and pages.group(1) == pages.group(2) != "1"


def test_a_wrong_period_is_refused_without_scheduling(
    default_portal: MockPortal, client: httpx.Client
) -> None:
    login(client, default_portal)
    page = client.get("/Facturi/TransmitereFacturi.aspx")
    answer = client.post(
        "/Facturi/TransmitereFacturi.aspx",
        data={
            "__VIEWSTATE": viewstate(page.text),
            "__EVENTTARGET": "ctl00$MainContent$btnTrimite",
            "__EVENTARGUMENT": "",
            "__ASYNCPOST": "true",
            "ctl00$MainContent$txtPerioadaDeLa": "31/02/2024",
            "ctl00$MainContent$txtPerioadaPanaLa": "",
            "ctl00$MainContent$chkFundal": "on",
        },
    )
    assert answer.json()["error"] == "Perioada nu este completată corect (zz/ll/aaaa)."
    assert default_portal.ledger()["jobs"] == []


def test_requests_are_logged_for_the_benchmarks(
    default_portal: MockPortal, client: httpx.Client
) -> None:
    login(client, default_portal)
    client.get("/Default.aspx")
    default_portal.ledger()  # /__mock__/ is not part of the portal: not logged
    log = default_portal.requests()
    assert [(r["method"], r["path"], r["status"]) for r in log] == [
        ("POST", "/Login.aspx", 302),
        ("GET", "/Default.aspx", 200),
    ]
    assert all(r["duration_ms"] >= 0 and "T" in r["started"] for r in log)
    assert default_portal.ledger()["requests"] == 2


def test_today_can_be_moved_and_seeding_is_deterministic(tmp_path: Path) -> None:
    def snapshot(seed: int, name: str) -> tuple[str, list[tuple[str, ...]]]:
        options = MockPortalOptions(
            today=date(2024, 3, 15),
            seed=seed,
            db_path=tmp_path / name,
            **FAST,  # type: ignore[arg-type]
        )
        with running_mock_portal(options) as portal:
            rows = portal.state.db.all("SELECT number, issue_date, customer_id FROM invoices")
            return portal.ledger()["today"], [tuple(map(str, r)) for r in rows]

    today, first = snapshot(7, "a.sqlite3")
    assert today == "2024-03-15"
    assert max(r[1] for r in first) <= "2024-03-15"
    assert snapshot(7, "b.sqlite3")[1] == first
    assert snapshot(8, "c.sqlite3")[1] != first


def test_the_date_header_follows_the_moved_today() -> None:
    options = MockPortalOptions(today=date(2024, 3, 15), **FAST)  # type: ignore[arg-type]
    with running_mock_portal(options) as portal:
        response = httpx.get(portal.url)
    dates = response.headers.get_list("date")
    assert len(dates) == 1
    assert parsedate_to_datetime(dates[0]).date() in {date(2024, 3, 14), date(2024, 3, 15)}


def test_an_existing_database_is_reused(tmp_path: Path) -> None:
    options = MockPortalOptions(db_path=tmp_path / "keep.sqlite3", **FAST)  # type: ignore[arg-type]
    with running_mock_portal(options) as portal:
        with httpx.Client(base_url=portal.base_url) as http:
            login(http, portal)
        count = portal.state.db.counts["invoice_history"]
    with running_mock_portal(options) as again:
        assert again.state.db.counts["invoice_history"] == count
        assert again.ledger()["logins"] == 0  # counters are per run; the data is kept


def test_paging_from_either_end_gives_the_same_rows(default_portal: MockPortal) -> None:
    db = default_portal.state.db
    total = db.counts["alert_history"]
    pages = -(-total // PAGE_SIZE)
    for desc in (True, False):
        order = "DESC" if desc else "ASC"
        everything = [
            r["id"]
            for r in db.all(f"SELECT id FROM alert_history ORDER BY sent_at {order}, id {order}")
        ]
        for page in (1, 2, pages // 2, pages // 2 + 1, pages - 1, pages):
            grid = fetch_page(db, "alert_history", sort="data", desc=desc, page=page)
            expected = everything[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
            assert [r["id"] for r in grid.rows] == expected, (desc, page)


def test_the_command_prints_url_and_credentials_first_and_stops_on_sigterm() -> None:
    with serving("--send-start-delay", "0.1") as (first, _):
        found = re.search(
            r"(http://127\.0\.0\.1:\d+/Login\.aspx)\s+user: (\S+)\s+password: (\S+)", first
        )
        assert found is not None, first
        with httpx.Client() as http:
            answer = http.post(
                found.group(1), data={USER: found.group(2), PASSWORD: found.group(3)}
            )
        assert answer.status_code == 302 and answer.headers["location"] == "/Default.aspx"


def test_the_command_refuses_bad_options_with_exit_code_2() -> None:
    done = refused("--variant", "windows=modal", "--fault", "latency=slow")
    assert done.returncode == 2
    assert "dialog, iframe, popup" in done.stderr and "latency=slow" in done.stderr


def test_faults_reach_the_ledger() -> None:
    options = MockPortalOptions(faults=parse_faults(["job_fail=0.25", "latency=5"]), **FAST)  # type: ignore[arg-type]
    with running_mock_portal(options) as portal:
        assert portal.ledger()["faults"] == ["latency=5", "job_fail=0.25"]


@pytest.mark.parametrize(
    ("spec", "present", "absent"),
    [
        ("labels=linked", ['<label for="ctl00_MainContent_chkFundal">Fundal</label>'], []),
        ("labels=loose", ["&nbsp;Fundal"], ["<label"]),
        ("diacritics=cedilla", ["Funcţionalităţi", "Renunţ"], ["ț", "ș"]),
        ("diacritics=none", ["Functionalitati", "Configureaza trimitere alerta"], ["ț", "ă", "ş"]),
    ],
)
def test_markup_follows_the_variant(spec: str, present: list[str], absent: list[str]) -> None:
    options = MockPortalOptions(variant=parse_variant(spec), **FAST)  # type: ignore[arg-type]
    with running_mock_portal(options) as portal, httpx.Client(base_url=portal.base_url) as http:
        login(http, portal)
        html = (
            http.get("/Alerte/Alerte.aspx").text
            + http.get("/Alerte/ModalitateTransmitere.aspx").text
        )
        for text in present:
            assert text in html
        for text in absent:
            assert text not in html
