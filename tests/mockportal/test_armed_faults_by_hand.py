"""Armed faults met by a clerk in a real browser: the steps the portal names are the ones a
person takes, and a dropped answer is not sent again by the browser behind anyone's back."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from emsys_rpa.mockportal import ALL_VARIANTS, MockPortalOptions, running_mock_portal

from .clerk import SCHEDULED, Clerk
from .conftest import FAST

pytestmark = pytest.mark.browser

# What reaches the portal while the clerk sends the alerts and reads the history, per variant.
ALERT_STEPS = {
    # In-page windows, partial updates: the windows open and close in the browser alone.
    "default": ["alerts.screen", "alerts.send", "alerts.history", "alerts.page", "alerts.sort"],
    # In-page windows, full postbacks: every click is a request (an alert()'s OK is not).
    "dialog-postback-plain": [
        "alerts.screen",
        "alerts.configure",
        "alerts.method",
        "alerts.send",
        "alerts.close",
        "alerts.close",
        "alerts.history",
        "alerts.page",
        "alerts.sort",
    ],
    # Windows whose body is a document of its own, full postbacks: the HTML message's OK is
    # posted; the windows close in the browser.
    "iframe-postback-cedilla": [
        "alerts.screen",
        "alerts.configure",
        "alerts.method",
        "alerts.send",
        "alerts.ok",
        "alerts.history",
        "alerts.page",
        "alerts.sort",
    ],
    # Real popups: each window is its own document; an alert()'s OK stays in the browser.
    "popup-alert-confirm": [
        "alerts.screen",
        "alerts.configure",
        "alerts.method",
        "alerts.send",
        "alerts.history",
        "alerts.page",
        "alerts.sort",
    ],
}


@pytest.mark.parametrize("name", list(ALERT_STEPS))
def test_the_portal_names_the_steps_the_clerk_takes(name: str, page: Page) -> None:
    variant = ALL_VARIANTS[name]
    with running_mock_portal(MockPortalOptions(variant=variant, **FAST)) as portal:  # type: ignore[arg-type]
        clerk = Clerk(page, portal, variant)
        clerk.login()
        clerk.send_alerts()
        clerk.tab("Istoric alerte")
        clerk.pager("Următoarea ›")
        clerk.sort_by("Client")
        steps = [r["step"] for r in portal.requests()]
    assert steps[:3] == ["login_page", "login", "home"]
    assert steps[3:] == ALERT_STEPS[name]


@pytest.mark.parametrize("name", ["default", "popup-postback-oldest"])
def test_a_dropped_send_is_executed_once_and_never_answered(name: str, page: Page) -> None:
    variant = ALL_VARIANTS[name]
    with running_mock_portal(MockPortalOptions(variant=variant, **FAST)) as portal:  # type: ignore[arg-type]
        clerk = Clerk(page, portal, variant)
        clerk.login()
        (fault_id,) = portal.arm("at=send:drop")
        _, second = clerk.open_alert_windows()
        clerk.tick_fundal(second)
        document = second.document
        assert isinstance(document, Page)
        # Ajax: the partial post fails; postback: the popup's navigation does.
        with document.expect_event("requestfailed") as failed:
            clerk.button(second.scope, "Trimite alerta").click(no_wait_after=True)
        assert failed.value.method == "POST" and "ERR_" in str(failed.value.failure)
        assert not document.get_by_text(clerk.t(SCHEDULED)).is_visible()
        ledger = portal.wait_for_jobs()
        # One job: Chromium did not post the send a second time on its own.
        assert [j["status"] for j in ledger["jobs"]] == ["done"]
        assert [f["step"] for f in portal.fired(fault_id)] == ["alerts.send"]
        sends = [r for r in portal.requests() if r["step"] == "alerts.send"]
        assert len(sends) == 1 and sends[0]["fault"] == "at=send:drop"
