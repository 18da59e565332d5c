"""One folding table, three forms: Python's ``fold``, the page's ``FOLD_JS`` and the XPath
predicates must agree on what Romanian screens show."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page

from emsys_rpa.history import HEADER_MAX_LEN, NOT_SEND_DATE_HEADERS, SEND_DATE_HEADERS, find_column
from emsys_rpa.pages.history_grid import HistoryGrid
from emsys_rpa.textmatch import FOLD_JS, fold, xpath_folded_contains

from .conftest import Kit

pytestmark = pytest.mark.browser

SAMPLES = [
    "Funcționalități",
    "FUNCŢIONALITĂŢI",
    "Funcționalități",  # decomposed: s/t + combining comma below
    "Data  trimitere\u00a0E-mail",
    "Încasări și Restanțe",
    "Renunță",
    "Perioada (zz/ll/aaaa)",
    "Numéro de facturé",
]


def test_the_page_folds_like_python(page: Page) -> None:
    folded = page.evaluate("(texts) => {" + FOLD_JS + "return texts.map(fold); }", SAMPLES)
    assert folded == [fold(text) for text in SAMPLES]


@pytest.mark.parametrize("text", SAMPLES[:6])
def test_xpath_finds_what_python_folds(page: Page, text: str) -> None:
    page.set_content(f"<p>{text}</p>")
    needle = fold(text).split(" ")[0]
    matches = page.locator(f"xpath=//p[{xpath_folded_contains('.', needle)}]").count()
    assert matches == 1


def test_the_page_picks_the_column_python_would(kit: Kit) -> None:
    caption = "Data trimitere a facturilor către clienți, pe ultimele trei luni calendaristice"
    assert len(fold(caption)) >= HEADER_MAX_LEN
    kit.page.set_content(
        f"""<table><tr><th>{caption}</th></tr><tr><td>27/11/2026 09:15</td></tr></table>
        <table><tr><th>Client</th><th>Data trimitere E-mail</th></tr>
        <tr><td>C1</td><td>28/11/2026 09:15</td></tr></table>"""
    )
    grid = HistoryGrid(kit.finder, ZoneInfo("Europe/Bucharest"), key="invoices_history").find()
    # The caption-sized header is not a column title, in the page as in Python.
    assert find_column([caption], SEND_DATE_HEADERS, NOT_SEND_DATE_HEADERS) == -1
    assert grid.page.headers == ("Client", "Data trimitere E-mail")
    assert [row.cells for row in grid.page.rows] == [("C1", "28/11/2026 09:15")]
