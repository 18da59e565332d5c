"""The Romanian catalogue: complete, compiled from its .po, shipped, and proper Romanian."""

from __future__ import annotations

import io
import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from emsys_rpa.summary import RunSummary, TaskResult, TaskStatus
from emsys_rpa.wording import headline, set_language, system_language, translate_text
from emsys_rpa.wording.i18n import LOCALE_DIR

PO = LOCALE_DIR / "ro" / "LC_MESSAGES" / "emsys_rpa.po"
MO = PO.with_suffix(".mo")
ROOT = Path(__file__).resolve().parents[1]
FIELD = re.compile(r"\{[a-z_]*\}")


def _strings(message_string: str | tuple[str, ...]) -> tuple[str, ...]:
    return message_string if isinstance(message_string, tuple) else (message_string,)


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def test_every_message_is_translated_with_its_fields() -> None:
    catalog = read_po(PO.open("rb"), locale="ro")
    for message in catalog:
        if not message.id:
            continue
        ids = _strings(message.id)
        for text in _strings(message.string):
            assert text, f"untranslated: {message.id!r}"
            assert sorted(FIELD.findall(text)) == sorted(FIELD.findall(ids[-1])), message.id


def test_diacritics_are_the_comma_below_forms() -> None:
    text = PO.read_text(encoding="utf-8")
    assert not set("şţŞŢ") & set(text), "use ș ț (comma below), not ş ţ (cedilla)"
    assert "ș" in text and "ț" in text


def test_the_shipped_mo_is_compiled_from_the_po() -> None:
    catalog = read_po(PO.open("rb"), locale="ro")
    fresh = io.BytesIO()
    write_mo(fresh, catalog)
    fresh.seek(0)
    expected = {_key(m.id): _key(m.string) for m in read_mo(fresh) if m.id}
    shipped = {_key(m.id): _key(m.string) for m in read_mo(MO.open("rb")) if m.id}
    assert shipped == expected, "run `make po` (it compiles the .mo)"


def test_package_data_ships_the_catalogue() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["emsys_rpa"]
    package = LOCALE_DIR.parent
    shipped = {p for pattern in patterns for p in package.glob(pattern)}
    assert MO in shipped and PO in shipped


def test_the_language_follows_the_system_locale() -> None:
    assert system_language({"LANG": "ro_RO.UTF-8"}) == "ro"
    assert system_language({"LC_ALL": "en_US.UTF-8", "LANG": "ro_RO.UTF-8"}) == "en"
    assert system_language({}) == "en"


def test_romanian_headline_and_a_page_error_translated_when_shown() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    summary = RunSummary(
        run_id="r",
        started_at=datetime(2026, 11, 29, 7, tzinfo=ZoneInfo("Europe/Bucharest")),
        portal_url="u",
        username="x",
        tasks=[TaskResult(name="alerts", status=TaskStatus.VERIFIED)],
        exit_code=0,
    )
    set_language("ro")
    try:
        assert headline(summary).title == "OK: PROGRAMAT ȘI VERIFICAT"
        text = "[verify in the tab “Istoric alerte”] the portal did not schedule it: X"
        assert translate_text(text).startswith("[verificare în fila „Istoric alerte”] ")
        assert translate_text("[log in] logged in as operator") == (
            "[autentificare] autentificat ca operator"
        )
    finally:
        set_language("en")


@pytest.mark.parametrize(
    ("english", "romanian"),
    [
        (
            "[press Trimite (once)] could not find the button “Trimite alerta” in any open "
            'window; did you mean: “Trimitere alertă” (`alerts_send = "x"`) — if one of these '
            "is it, put its line under [selectors] in the config file",
            "[apăsare Trimite (o singură dată)] nu s-a găsit butonul „Trimite alerta” în nicio "
            'fereastră deschisă; poate ați vrut: “Trimitere alertă” (`alerts_send = "x"`) — '
            "dacă unul dintre acestea este cel căutat, puneți rândul lui sub [selectors] în "
            "fișierul de configurare",
        ),
        (
            "after pressing the button “A”, the portal answered: “Eroare” (the button “B” did "
            "not appear) — correct what the portal complains about, then run again",
            "după apăsarea pe butonul „A”, portalul a răspuns: „Eroare” (butonul „B” nu a "
            "apărut) — corectați ce semnalează portalul, apoi rulați din nou",
        ),
        (
            "looking for the button “A”, the portal answered 503 Service Unavailable at http://p/",
            "în timp ce căuta butonul „A”, portalul a răspuns 503 Service Unavailable at http://p/",
        ),
    ],
    ids=["did-you-mean", "portal-answer", "server-error"],
)
def test_the_robots_diagnoses_are_romanian_too(english: str, romanian: str) -> None:
    set_language("ro")
    try:
        assert translate_text(english) == romanian
    finally:
        set_language("en")
