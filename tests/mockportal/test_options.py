"""Variant and fault specs: parsing, the named variants' coverage, and the diacritics styles."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from emsys_rpa.mockportal import ALL_VARIANTS, DIMENSIONS, Variant, parse_faults, parse_variant
from emsys_rpa.mockportal.faults import NO_FAULTS, Faults
from emsys_rpa.mockportal.variants import NAMED_COVERAGE


def test_named_variants_cover_every_value_of_every_dimension() -> None:
    for dimension, values in NAMED_COVERAGE.items():
        used = {getattr(v, dimension) for v in ALL_VARIANTS.values()}
        assert used == set(values), dimension
    # The widget zoo's dimensions stay at their defaults there (the robot's tests run on them).
    for dimension, values in DIMENSIONS.items():
        if dimension not in NAMED_COVERAGE:
            assert {getattr(v, dimension) for v in ALL_VARIANTS.values()} == {values[0]}
    assert 4 <= len(ALL_VARIANTS) <= 6
    assert len(set(ALL_VARIANTS.values())) == len(ALL_VARIANTS)


def test_parse_variant_by_name_and_by_spec() -> None:
    assert parse_variant("default") == Variant()
    assert parse_variant("") == Variant()
    iframe = parse_variant(" windows=iframe , message=alert,diacritics=cedilla ")
    assert (iframe.windows, iframe.message, iframe.diacritics, iframe.updates) == (
        "iframe",
        "alert",
        "cedilla",
        "ajax",
    )
    for name, variant in ALL_VARIANTS.items():
        assert parse_variant(name) is variant
        assert parse_variant(variant.spec) == variant
        assert variant.name() == name
    assert {f.name for f in fields(Variant)} == set(DIMENSIONS)


@pytest.mark.parametrize(
    ("spec", "hint"),
    [
        ("windows=modal", "dialog, iframe, popup"),
        ("colour=blue", "windows=dialog|iframe|popup"),
        ("nonsense", "default, iframe-alert-cedilla"),
        ("windows", "key=value pairs"),
        ("windows=iframe,bogus", "valid keys"),
    ],
)
def test_parse_variant_says_what_is_valid(spec: str, hint: str) -> None:
    with pytest.raises(ValueError, match=re.escape(hint)):
        parse_variant(spec)


def test_diacritics_styles() -> None:
    text = "Funcționalități → Configurează Istoric ȘȚ"
    assert parse_variant("diacritics=comma").localise(text) == text
    assert parse_variant("diacritics=cedilla").localise(text) == (
        "Funcţionalităţi → Configurează Istoric ŞŢ"
    )
    assert parse_variant("diacritics=none").localise(text) == (
        "Functionalitati → Configureaza Istoric ST"
    )


def test_parse_faults_combines_repeated_and_comma_separated_specs() -> None:
    assert parse_faults([]) == NO_FAULTS and not NO_FAULTS.any
    faults = parse_faults(["latency=150", "unavailable=3,session_expiry=7", "late_confirm=2.5"])
    assert faults == Faults(latency_ms=150, unavailable=3, session_expiry=7, late_confirm_s=2.5)
    assert parse_faults(["job_fail=0.5", "down"]) == Faults(job_fail=0.5, down=True)
    assert parse_faults(faults.describe()) == faults
    armed = parse_faults(["at=send:drop,at=alerts.history#2:503x3", "AT=Invoices.Send:late=2.5x*"])
    assert [fault.spec for fault in armed.at] == [
        "at=send:drop",
        "at=alerts.history#2:503x3",
        "at=invoices.send:late=2.5x*",
    ]
    assert parse_faults(armed.describe()) == armed


@pytest.mark.parametrize(
    "spec",
    [
        "latency",
        "latency=-1",
        "latency=abc",
        "job_fail=2",
        "explode=1",
        "down=7",
        "at=send",
        "at=send:explode",
        "at=nowhere:503",
        "at=shop.send:503",
        "at=send:downx2",
        "at=send:503x0",
        "at=history#0:503",
        "at=send:late=soon",
        "at=login:expire",
    ],
)
def test_parse_faults_rejects_bad_specs(spec: str) -> None:
    with pytest.raises(ValueError, match="fault"):
        parse_faults([spec])
