"""Label matching: every spelling a Romanian screen may use, in Python and in the browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from emsys_rpa.textmatch import fold, label_regex, pattern_source, xpath_folded_contains

SPELLINGS = {
    "Funcționalități": [
        "Funcționalități",  # comma below (U+021B)
        "Funcţionalităţi",  # cedilla (U+0163)
        "Functionalitati",  # no diacritics
        "FUNCȚIONALITĂȚI",
        "  funcționalități ",
        "Funct\u0326ionalita\u0306t\u0326i",  # decomposed: t + combining comma below
    ],
    "Configurează trimitere alertă": [
        "Configureaza trimitere alerta",
        "Configurează  trimitere\u00a0alertă",
        "configurează TRIMITERE alertă",
    ],
    "Renunț": ["Renunt", "Renunţ", "RENUNȚ"],
    "Înapoi": ["Inapoi", "înapoi", "Înapoi"],
    "Istoric facturi E-mail/SMS": [
        "Istoric facturi E-mail/SMS",
        "Istoric facturi Email/SMS",
        "Istoric facturi E–mail/SMS",
    ],
    "Perioadă": ["Perioada", "perioadă", "PERIOADA"],
    "Ș ş s": ["s s s", "Ş Ș S"],
}
NOT_MATCHING = {
    "Alerte": ["Istoric alerte", "Alertă", "Alerte noi"],
    "Fundal": ["Fundalul", "Prin SMS"],
}


@pytest.mark.parametrize(
    ("label", "text"), [(label, text) for label, texts in SPELLINGS.items() for text in texts]
)
def test_every_spelling_matches(label: str, text: str) -> None:
    assert label_regex(label).search(text)
    assert label_regex(label, exact=True).search(text)
    assert fold(label) == fold(text).replace("–", "-").replace("email", "e-mail")


@pytest.mark.parametrize(
    ("label", "text"), [(label, text) for label, texts in NOT_MATCHING.items() for text in texts]
)
def test_exact_matching_refuses_longer_or_different_labels(label: str, text: str) -> None:
    assert not label_regex(label, exact=True).search(text)


def test_alternatives_and_containment() -> None:
    pattern = label_regex("Trimite alerta", "Trimite alertele")
    assert pattern.search("✉ Trimite alertele acum")
    assert not label_regex("Trimite alerta", exact=True).search("✉ Trimite alerta")
    with pytest.raises(ValueError):
        label_regex()


def test_syntax_characters_are_literal() -> None:
    pattern = label_regex("a.b (c)+ [d]|e/f?")
    assert pattern.search("A.B (C)+ [D]|E/F?")
    assert not pattern.search("axb (c)+ [d]|e/f?")


def test_fold() -> None:
    assert fold("  Funcţionalităţi\u00a0 și  ÎNCHIDE ") == "functionalitati si inchide"


def test_patterns_mean_the_same_in_the_browser(page: Page) -> None:
    """Playwright rebuilds the pattern with new RegExp(source, flags): same verdicts as Python."""
    patterns: list[tuple[re.Pattern[str], str, bool]] = []
    for label, texts in SPELLINGS.items():
        for exact in (False, True):
            pattern = label_regex(label, exact=exact)
            patterns += [(pattern, text, True) for text in texts]
    for label, texts in NOT_MATCHING.items():
        pattern = label_regex(label, exact=True)
        patterns += [(pattern, text, False) for text in texts]
    # With the flags Playwright gives JavaScript for the pattern's own (none: both cases of
    # every letter are in the pattern itself).
    cases = [(p.pattern, "i" if p.flags & re.IGNORECASE else "", text) for p, text, _ in patterns]
    verdicts = page.evaluate(
        "cases => cases.map(([source, flags, text]) => new RegExp(source, flags).test(text))",
        cases,
    )
    assert verdicts == [expected for _, _, expected in patterns]
    for pattern, text, expected in patterns:
        assert bool(pattern.search(text)) is expected


def test_locators_built_from_patterns_find_cedilla_text(page: Page) -> None:
    page.set_content("<button>Configureaza  transmiterea facturii</button><a href='#'>Renunţ</a>")
    assert page.get_by_role(
        "button", name=label_regex("Configurează transmiterea facturii")
    ).count()
    assert page.get_by_role("link", name=label_regex("Renunț", exact=True)).count() == 1


def test_xpath_folding_in_the_browser(page: Page) -> None:
    page.set_content("<p>ÎN PERIOADĂ</p><p>Perioada</p><p>altceva</p>")
    expr = f"//p[{xpath_folded_contains('.', 'Perioadă')}]"
    assert page.locator(f"xpath={expr}").count() == 2
    assert pattern_source("x") == "[xX]"
