"""Faults armed at a step (``at=STEP:ACTION``), over plain HTTP: each fires where it is armed,
does what it says to the request, and the ledger proves it fired."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from urllib.parse import parse_qsl

import httpx
import pytest

from emsys_rpa.mockportal import (
    MockPortal,
    MockPortalOptions,
    parse_faults,
    parse_step_fault,
    parse_variant,
    running_mock_portal,
)
from emsys_rpa.mockportal.recognise import classify

from .conftest import FAST
from .webforms import ALERTS, INVOICES, P, login, post_event, send

EXPIRED = "Sesiunea a expirat"


def _history(http: httpx.Client, path: str = ALERTS) -> httpx.Response:
    return post_event(http, path, "tsTaburi", "istoric")


def _fired_specs(portal: MockPortal) -> list[tuple[str, str]]:
    return [(f["spec"], f["step"]) for f in portal.fired()]


def _period(portal: MockPortal) -> dict[str, str]:
    today = date.fromisoformat(portal.ledger()["today"])
    start = today - timedelta(days=30)
    return {"txtPerioadaDeLa": f"{start:%d/%m/%Y}", "txtPerioadaPanaLa": f"{today:%d/%m/%Y}"}


CONFIGURE_ALERTS = "/Alerte/ConfigurareTrimitere.aspx"
METHOD_WINDOW = "/Alerte/ModalitateTransmitere.aspx"
INVOICE_WINDOW = "/Facturi/ConfigurareTransmitere.aspx"


@pytest.mark.parametrize(
    ("method", "url", "event", "step"),
    [
        ("GET", "/", "", "login_page"),
        ("GET", "/Login.aspx?ReturnUrl=/Alerte/Alerte.aspx", "", "login_page"),
        ("POST", "/Login.aspx", "", "login"),
        ("GET", "/Default.aspx", "", "home"),
        ("GET", "/Logout.aspx", "", "logout"),
        ("GET", "/Rapoarte/Incasari.aspx", "", "other"),
        ("GET", ALERTS, "", "alerts.screen"),
        ("GET", INVOICES + "?tab=istoric", "", "invoices.history"),
        ("POST", ALERTS, "tsTaburi istoric", "alerts.history"),
        ("POST", ALERTS, "tsTaburi config", "alerts.tab"),
        ("POST", INVOICES, "gvIstoric Page$Next", "invoices.page"),
        ("POST", INVOICES, "gvIstoric Sort$client", "invoices.sort"),
        ("POST", ALERTS, "btnReimprospatare", "alerts.refresh"),
        ("POST", ALERTS, "btnConfigurare", "alerts.configure"),
        ("POST", ALERTS, "btnAlegereModalitate", "alerts.method"),
        ("POST", ALERTS, "btnTrimite", "alerts.send"),
        ("POST", ALERTS, "btnMesajOK", "alerts.ok"),
        ("POST", ALERTS, "wndInchide wndModalitate", "alerts.close"),
        ("POST", ALERTS, "btnNecunoscut", "alerts.other"),
        ("GET", CONFIGURE_ALERTS, "", "alerts.configure"),
        ("GET", METHOD_WINDOW, "", "alerts.method"),
        ("POST", METHOD_WINDOW, "btnTrimite", "alerts.send"),
        ("GET", INVOICE_WINDOW + "?de=01/01/2025", "", "invoices.configure"),
        ("POST", INVOICE_WINDOW, "btnTrimite", "invoices.send"),
        ("POST", INVOICE_WINDOW, "btnMesajOK", "invoices.ok"),
    ],
)
def test_each_request_is_named_by_its_step(method: str, url: str, event: str, step: str) -> None:
    """``event``: the posted ``__EVENTTARGET`` (without ctl00$MainContent$) and argument."""
    path, _, query = url.partition("?")
    target, _, argument = event.partition(" ")
    form = {"__EVENTTARGET": P + target, "__EVENTARGUMENT": argument} if target else {}
    assert classify(method, path, dict(parse_qsl(query)), form) == step


REQUESTS = ["home", "alerts.page", "invoices.sort", "alerts.send", "invoices.send", "other"]


@pytest.mark.parametrize(
    ("spec", "fires_at"),
    [
        ("at=send:drop", ["alerts.send", "invoices.send"]),
        ("at=alerts.send:drop", ["alerts.send"]),
        ("at=grid:503", ["alerts.page", "invoices.sort"]),
        ("at=invoices.any:503", ["invoices.sort", "invoices.send"]),
        ("at=any:503", REQUESTS),
    ],
)
def test_a_fault_matches_its_step_on_either_screen_or_one(spec: str, fires_at: list[str]) -> None:
    fault = parse_step_fault(spec)
    assert [step for step in REQUESTS if fault.matches(step)] == fires_at


def test_the_request_log_names_each_step_and_the_fault_that_fired(
    default_portal: MockPortal, client: httpx.Client
) -> None:
    default_portal.arm("at=history:503")
    login(client, default_portal)
    _history(client)
    _history(client)
    log = [(r["step"], r["status"], r["fault"]) for r in default_portal.requests()]
    assert log == [
        ("login", 302, None),
        ("alerts.screen", 200, None),
        ("alerts.history", 503, "at=history:503"),
        ("alerts.screen", 200, None),
        ("alerts.history", 200, None),
    ]


def test_503_fires_n_times_from_the_kth_matching_request(
    default_portal: MockPortal, client: httpx.Client
) -> None:
    (fault_id,) = default_portal.arm("at=alerts.history#2:503x2")
    login(client, default_portal)
    statuses = [_history(client).status_code for _ in range(4)]
    assert statuses == [200, 503, 503, 200]
    assert _history(client, INVOICES).status_code == 200  # the other screen's history
    [armed] = default_portal.ledger()["armed_faults"]
    assert armed == {
        "id": fault_id,
        "spec": "at=alerts.history#2:503x2",
        "state": "spent",
        "fired": 2,
        "origin": "control",
    }
    assert len(default_portal.fired(fault_id)) == 2


def test_x_star_fires_every_time_until_disarmed(
    default_portal: MockPortal, client: httpx.Client
) -> None:
    (fault_id,) = default_portal.arm("history:503x*")  # "at=" may be left out
    login(client, default_portal)
    assert [_history(client).status_code for _ in range(3)] == [503, 503, 503]
    default_portal.disarm(fault_id)
    assert _history(client).status_code == 200
    assert default_portal.ledger()["armed_faults"][0]["state"] == "disarmed"
    assert len(default_portal.fired()) == 3


def test_503_at_send_schedules_nothing(default_portal: MockPortal, client: httpx.Client) -> None:
    default_portal.arm("at=send:503")
    login(client, default_portal)
    assert send(client).status_code == 503
    assert default_portal.ledger()["jobs"] == []
    assert send(client).json()["message"] == "Operația a fost programată cu succes."
    assert len(default_portal.ledger()["jobs"]) == 1


@pytest.mark.parametrize("updates", ["ajax", "postback"])
def test_drop_sends_and_cuts_the_answer_off(updates: str) -> None:
    options = MockPortalOptions(
        variant=parse_variant(f"updates={updates}"),
        faults=parse_faults(["at=send:drop"]),
        **FAST,  # type: ignore[arg-type]
    )
    with running_mock_portal(options) as portal, httpx.Client(base_url=portal.base_url) as http:
        login(http, portal)
        with pytest.raises(httpx.RemoteProtocolError, match=r"incomplete|without sending complete"):
            post_event(
                http,
                ALERTS,
                "btnTrimite",
                fields={P + "chkFundal": "on"},
                asynchronous=updates == "ajax",
            )
        ledger = portal.wait_for_jobs()
        assert [j["status"] for j in ledger["jobs"]] == ["done"], "the send was executed"
        assert _fired_specs(portal) == [("at=send:drop", "alerts.send")]
        assert http.get("/Default.aspx").status_code == 200, "the portal and session live on"


def test_expire_sends_the_request_to_login_without_executing_it(
    default_portal: MockPortal, client: httpx.Client
) -> None:
    default_portal.arm("at=invoices.send:expire")
    login(client, default_portal)
    answer = send(client, INVOICES, **_period(default_portal))
    assert answer.json() == {"redirect": "/Login.aspx"}
    assert EXPIRED in client.get("/Login.aspx").text
    ledger = default_portal.ledger()
    assert ledger["jobs"] == [] and ledger["sessions_expired"] == 1
    assert _fired_specs(default_portal) == [("at=invoices.send:expire", "invoices.send")]
    login(client, default_portal)
    assert send(client, INVOICES, **_period(default_portal)).json()["message"]


def test_expire_in_a_window_document_lands_there_on_login() -> None:
    options = MockPortalOptions(
        variant=parse_variant("windows=popup,updates=postback"),
        faults=parse_faults(["at=method:expire"]),
        **FAST,  # type: ignore[arg-type]
    )
    with running_mock_portal(options) as portal, httpx.Client(base_url=portal.base_url) as http:
        login(http, portal)
        window = http.get("/Alerte/ModalitateTransmitere.aspx")
        assert window.status_code == 302 and window.headers["location"].startswith("/Login.aspx")
        assert portal.ledger()["sessions_expired"] == 1


def test_hang_sends_and_never_answers(default_portal: MockPortal, client: httpx.Client) -> None:
    default_portal.arm("at=send:hang")
    login(client, default_portal)
    with pytest.raises(httpx.ReadTimeout):
        post_event(client, ALERTS, "btnTrimite", fields={P + "chkFundal": "on"}, timeout_s=1.5)
    assert [j["status"] for j in default_portal.wait_for_jobs()["jobs"]] == ["done"]
    assert client.get("/Default.aspx").status_code == 200


def test_late_answers_after_the_delay(default_portal: MockPortal, client: httpx.Client) -> None:
    default_portal.arm("at=send:late=1.5")
    login(client, default_portal)
    started = time.monotonic()
    answer = send(client)
    assert time.monotonic() - started >= 1.5
    assert answer.json()["message"] == "Operația a fost programată cu succes."
    [job] = default_portal.ledger()["jobs"]
    request = default_portal.requests()[-1]
    answered = datetime.fromisoformat(request["started"]) + timedelta(
        milliseconds=request["duration_ms"]
    )
    # Scheduled at once; only the answer was held back.
    scheduled = datetime.fromisoformat(job["scheduled_at"])
    assert scheduled <= answered - timedelta(seconds=1.5) + timedelta(milliseconds=50)


def test_down_from_a_step_until_switched_back(
    default_portal: MockPortal, client: httpx.Client
) -> None:
    default_portal.arm("at=send:down")
    login(client, default_portal)
    assert send(client).status_code == 503
    assert client.get("/Default.aspx").status_code == 503
    assert client.get("/Login.aspx").status_code == 503
    assert default_portal.ledger()["jobs"] == [] and default_portal.control()["down"] is True
    default_portal.set_down(False)
    assert client.get("/Default.aspx").status_code == 200
    assert len(default_portal.fired()) == 1


def test_the_first_armed_fault_wins_and_the_next_waits_its_turn(
    default_portal: MockPortal, client: httpx.Client
) -> None:
    first, second = default_portal.arm("at=history:503", "at=history:late=0.1")
    login(client, default_portal)
    assert _history(client).status_code == 503
    assert _history(client).status_code == 200
    assert [f["id"] for f in default_portal.fired()] == [first, second]


def test_start_up_faults_are_armed_and_disarm_all_disarms_them() -> None:
    options = MockPortalOptions(
        faults=parse_faults(["at=history:503x*", "latency=1"]),
        **FAST,  # type: ignore[arg-type]
    )
    with running_mock_portal(options) as portal, httpx.Client(base_url=portal.base_url) as http:
        login(http, portal)
        assert _history(http).status_code == 503
        portal.disarm()
        assert _history(http).status_code == 200
        ledger = portal.ledger()
        assert ledger["faults"] == ["latency=1", "at=history:503x*"]
        assert [(a["origin"], a["state"]) for a in ledger["armed_faults"]] == [
            ("start-up", "disarmed")
        ]
