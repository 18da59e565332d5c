"""Which format a date box wants, from what the page shows beside or in it."""

from __future__ import annotations

import pytest

from emsys_rpa.dateformat import from_hint, from_value, page_format


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        ("(zz/ll/aaaa)", "%d/%m/%Y"),
        ("zz.ll.aaaa", "%d.%m.%Y"),
        ("Format: aaaa-ll-zz", "%Y-%m-%d"),
        ("dd/mm/yyyy", "%d/%m/%Y"),
        ("YYYY-MM-DD", "%Y-%m-%d"),
        ("mm/dd/yyyy", "%m/%d/%Y"),
        ("Perioada de la", None),
        ("zz/zz/aaaa", None),
    ],
)
def test_hints(hint: str, expected: str | None) -> None:
    assert from_hint(hint) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("14.02.2023", "%d.%m.%Y"),
        ("14/02/2023", "%d/%m/%Y"),
        ("2023-02-14", "%Y-%m-%d"),
        ("__/__/____", "%d/%m/%Y"),
        ("", None),
        ("Perioada", None),
    ],
)
def test_values(value: str, expected: str | None) -> None:
    assert from_value(value) == expected


def test_the_value_in_the_box_wins_over_the_hint_then_the_first_hint() -> None:
    assert page_format("01.09.2026", ["(zz/ll/aaaa)"]) == "%d.%m.%Y"
    assert page_format("", ["", "Perioada (zz.ll.aaaa)"]) == "%d.%m.%Y"
    assert page_format("zz.ll.aaaa", []) == "%d.%m.%Y"
    assert page_format("", ["Perioada"]) is None
