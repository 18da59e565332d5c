"""Issue 13 (5): a verified run remembers how each control was found; a later run that has to
find one another way says "the portal changed" in its summary, and still succeeds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from emsys_rpa.browser import BrowserChoice
from emsys_rpa.ledger.locators import FILE_NAME, portal_key

from .conftest import explain, run_cli

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_verified_run_teaches_the_next_one(
    portal_factory: Any, tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    portal = portal_factory("dialog-postback-plain")
    first = run_cli(
        ["run", "--verify-timeout", "60"],
        portal=portal,
        tmp_path=tmp_path,
        browser_choice=browser_choice,
    )
    assert first.code == 0, explain(first)
    learned_file = tmp_path / "state" / FILE_NAME
    learned = json.loads(learned_file.read_text())[portal_key(portal.url)]["controls"]
    assert learned["alerts_send"] == "name"
    assert learned["invoices_background"] in ("name", "beside", "cell")
    assert first.summary["warnings"] == []

    # The same portal as if its Trimite button had been found by its title last time: the
    # next run (a new state folder, so that the ledger lets it send) must fall back and say so.
    second_portal = portal_factory("dialog-postback-plain")
    learned["alerts_send"] = "title"
    data = {portal_key(second_portal.url): {"controls": learned}}
    (tmp_path / "state2").mkdir()
    (tmp_path / "state2" / FILE_NAME).write_text(json.dumps(data))
    second = run_cli(
        ["run", "--verify-timeout", "60"],
        portal=second_portal,
        tmp_path=tmp_path,
        browser_choice=browser_choice,
        run_name="run2",
        state="state2",
    )
    assert second.code == 0, explain(second)
    warnings = second.summary["warnings"]
    assert any(
        "the portal changed: the button “Trimite alerta” is now found by its name" in w
        for w in warnings
    ), warnings
    assert "the portal changed" in (second.run_dir / "report.html").read_text()
