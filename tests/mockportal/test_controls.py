"""Test controls: credentials and locked accounts as options, and changed through
``/__mock__/control`` while the portal runs (from Python, curl or another process)."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from emsys_rpa.mockportal import (
    MockPortal,
    MockPortalClient,
    MockPortalControlError,
    MockPortalOptions,
    running_mock_portal,
)
from emsys_rpa.mockportal.app import build_app

from .command import refused, serving
from .conftest import FAST
from .webforms import login

LOCKED = "Contul este blocat"
WRONG = "Utilizator sau parolă incorectă."
SECRET = "Zq9!pw-LEAK canary"


def _logged_in(answer: httpx.Response) -> bool:
    return answer.status_code == 302 and answer.headers["location"] == "/Default.aspx"


def test_options_choose_the_credentials_and_the_accounts_locked_from_the_start() -> None:
    options = MockPortalOptions(
        username="Ion.Popescu",
        password=SECRET,
        locked_users=("Maria", "operator"),
        **FAST,  # type: ignore[arg-type]
    )
    with running_mock_portal(options) as portal, httpx.Client(base_url=portal.base_url) as http:
        assert (portal.username, portal.password) == ("Ion.Popescu", SECRET)
        assert SECRET not in repr(portal)
        assert WRONG in login(http, portal, password="Emsys#Demo2024").text
        assert LOCKED in login(http, portal, username="maria").text
        # User names are not case-sensitive, as on the login form of the real portal.
        assert _logged_in(login(http, portal, username="ion.popescu"))
        ledger = portal.ledger()
        assert ledger["locked_users"] == ["maria", "operator"]
        assert SECRET not in str(ledger) and SECRET not in str(portal.control())


def test_credentials_and_locks_change_while_the_portal_runs(
    default_portal: MockPortal, client: httpx.Client
) -> None:
    portal = default_portal
    old = portal.password
    portal.set_password(SECRET)
    assert portal.password == SECRET
    assert WRONG in login(client, portal, password=old).text
    assert _logged_in(login(client, portal))

    portal.lock_user()
    assert LOCKED in login(client, portal).text
    assert portal.ledger()["locked_users"] == [portal.username]
    portal.unlock_user()
    assert _logged_in(login(client, portal))

    portal.set_username("Alt.Operator")
    assert WRONG in login(client, portal, username="operator").text
    assert _logged_in(login(client, portal))
    assert portal.ledger()["logins"] == 3


def test_unlocking_forgets_the_failed_attempts(
    default_portal: MockPortal, client: httpx.Client
) -> None:
    for _ in range(4):
        login(client, default_portal, password="gresit")
    default_portal.unlock_user()
    # Four more failures are needed again before the fifth locks.
    assert "Mai aveți" not in login(client, default_portal, password="gresit").text
    assert _logged_in(login(client, default_portal))


def test_latency_job_fail_and_down_can_be_switched(
    default_portal: MockPortal, client: httpx.Client
) -> None:
    portal = default_portal
    portal.set_latency(120)
    portal.set_job_fail(0.5)
    state = portal.control()
    assert (state["latency_ms"], state["job_fail"]) == (120, 0.5)
    assert portal.ledger()["faults"] == ["latency=120", "job_fail=0.5"]
    assert client.get("/Login.aspx").status_code == 200
    assert portal.requests()[-1]["duration_ms"] >= 120
    portal.set_down()
    assert client.get("/Login.aspx").status_code == 503
    portal.set_down(False)
    portal.set_latency(0)
    portal.set_job_fail(None)
    assert client.get("/Login.aspx").status_code == 200
    assert portal.ledger()["faults"] == []


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"password": "new", "arm": ["at=nowhere:503"]}, "no step 'nowhere'"),
        ({"password": "new", "colour": "red"}, "unknown key 'colour'"),
        ({"password": ""}, "password must be a non-empty string"),
        ({"lock": [1]}, "lock must be a string or a list of strings"),
        ({"latency_ms": -5}, "latency_ms must be a whole number"),
        ({"latency_ms": True}, "latency_ms must be a whole number"),
        ({"down": "yes"}, "down must be true or false"),
        ({"job_fail": 2}, "job_fail must be a fraction"),
        ({"disarm": [99]}, "no armed fault with id 99"),
        ({"now": "2026-03-29T03:30"}, "does not exist in Europe/Bucharest"),
        ([1, 2], "the body must be a JSON object"),
    ],
)
def test_a_bad_control_request_is_refused_and_changes_nothing(
    default_portal: MockPortal, client: httpx.Client, body: object, error: str
) -> None:
    before = default_portal.control()
    answer = client.post("/__mock__/control", json=body)
    assert answer.status_code == 400 and error in answer.json()["error"]
    assert default_portal.control() == before
    assert _logged_in(login(client, default_portal))  # the password did not change either


def test_the_python_client_reports_refusals(default_portal: MockPortal) -> None:
    with pytest.raises(MockPortalControlError, match=r"400 .*no step 'nowhere'"):
        default_portal.arm("at=nowhere:503")


def test_control_wants_json_so_a_web_page_cannot_post_a_form_to_it(
    default_portal: MockPortal, client: httpx.Client
) -> None:
    answer = client.post("/__mock__/control", data={"password": "x"})
    assert answer.status_code == 415
    assert _logged_in(login(client, default_portal))


def test_control_answers_loopback_clients_only(default_portal: MockPortal) -> None:
    app = build_app(default_portal.state)

    async def ask(host: str) -> int:
        transport = httpx.ASGITransport(app=app, client=(host, 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://portal") as http:
            answer = await http.post("/__mock__/control", json={"lock": "operator"})
            return answer.status_code

    def lock_from(host: str) -> int:
        # A thread of its own: the browser tests' event loop may be running in this one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, ask(host)).result()

    assert lock_from("192.0.2.7") == 403
    assert lock_from("::ffff:10.0.0.1") == 403
    assert lock_from("testclient") == 403  # not an address at all
    assert default_portal.ledger()["locked_users"] == []
    assert lock_from("::1") == 200
    assert default_portal.ledger()["locked_users"] == ["operator"]


def test_the_command_takes_the_options_and_another_process_controls_it() -> None:
    flags = ["--username", "ion", "--password", "Alta-Parola-1", "--locked-user", "maria"]
    flags += ["--now", "2028-02-29T23:59", "--fault", "at=send:drop"]
    with serving(*flags) as (first, second):
        found = re.search(
            r"(http://127\.0\.0\.1:\d+)/Login\.aspx\s+user: ion\s+password: (\S+)", first
        )
        assert found is not None and found.group(2) == "Alta-Parola-1", first
        assert "today: 29/02/2028" in second and "faults: at=send:drop" in second, second
        assert f"control: {found.group(1)}/__mock__/control" in second
        # A test in another process: only the URL and the credentials it was started with.
        portal = MockPortalClient(found.group(1), username="ion", password="Alta-Parola-1")
        assert portal.ledger()["locked_users"] == ["maria"]
        assert portal.ledger()["now"].startswith("2028-")
        portal.set_password("Noua-Parola-2")
        portal.unlock_user("maria")
        with httpx.Client(base_url=portal.base_url) as http:
            assert _logged_in(login(http, portal))
        assert portal.ledger()["locked_users"] == []
        assert portal.ledger()["armed_faults"][0]["spec"] == "at=send:drop"


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (["--now", "2026-03-29T03:30"], "does not exist in Europe/Bucharest"),
        (["--now", "tomorrow"], "is not a date-time like"),
        (["--now", "2026-10-25T03:55", "--today", "2026-10-25"], "give one of them"),
        (["--password", " "], "--password: must not be empty"),
        (["--fault", "at=send:explode"], "at=[SCREEN.]STEP[#K]:ACTION"),
    ],
)
def test_the_command_refuses_bad_new_options(flags: list[str], says: str) -> None:
    done = refused(*flags)
    assert done.returncode == 2 and says in done.stderr, done.stderr
