"""The learned-locator store: per portal, merged, atomic, a hint that never breaks a run."""

from __future__ import annotations

import json
from pathlib import Path

from emsys_rpa.ledger.locators import FILE_NAME, LearnedLocators, portal_key
from emsys_rpa.wording.locators import portal_changed


def test_what_is_learned_is_per_portal_and_merged(tmp_path: Path) -> None:
    one = LearnedLocators(tmp_path, "https://emsys.example.ro/Admin/Login.aspx")
    other = LearnedLocators(tmp_path, "https://test.example.ro:8443/Login.aspx")
    assert one.load() == {}
    one.save({"alerts_send": "name", "alerts_background": "beside"})
    other.save({"alerts_send": "title"})
    one.save({"alerts_background": "name"})
    assert LearnedLocators(tmp_path, "https://EMSYS.example.ro/other").load() == {
        "alerts_background": "name",
        "alerts_send": "name",
    }
    assert other.load() == {"alerts_send": "title"}
    assert not list(tmp_path.glob("*.partial"))


def test_an_unreadable_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text("{not json")
    store = LearnedLocators(tmp_path, "http://127.0.0.1:8080/Login.aspx")
    assert store.load() == {}
    store.save({"menu_alerte": "name"})
    data = json.loads((tmp_path / FILE_NAME).read_text())
    assert data[portal_key("http://127.0.0.1:8080/")]["controls"] == {"menu_alerte": "name"}


def test_the_warning_says_how_it_is_found_now_and_before() -> None:
    text = portal_changed("the button “Trimite alerta”", "title", "name")
    assert text == (
        "the portal changed: the button “Trimite alerta” is now found by its name (what it "
        "says, or its label) (last time by its title or image text)"
    )
