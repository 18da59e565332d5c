"""Playwright's reasons for not acting on an element, said in words a clerk can act on."""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError

from emsys_rpa.pages.operate import explain

LABEL_COVERS = """Locator.click: Timeout 15000ms exceeded.
Call log:
  - waiting for locator("#fundal")
    - locator resolved to <input id="fundal" type="checkbox" class="sr-only"/>
  - attempting click action
    - waiting for element to be visible, enabled and stable
    - element is visible, enabled and stable
    - scrolling into view if needed
    - <label for="fundal">Fundal</label> intercepts pointer events
  - retrying click action"""


def test_a_label_drawn_over_its_box() -> None:
    reason = explain(PlaywrightError(LABEL_COVERS))
    assert reason == (
        'its label is drawn over it (<label for="fundal">Fundal</label>): a person clicks the label'
    )


def test_other_reasons() -> None:
    assert explain(PlaywrightError("… - element is not enabled …")) == (
        "it is disabled (greyed out)"
    )
    assert explain(PlaywrightError("… - element is not visible …")) == "it is hidden"
    cover = '… - <div id="veil" class="overlay">Se procesează...</div> intercepts pointer events'
    assert explain(PlaywrightError(cover)).startswith("another element is drawn over it: <div")
