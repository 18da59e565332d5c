"""The widget zoo without a browser: the generator, the pagers, strict Perioada, Fundal's
ClientState, page sizes, late-loading grids, and every implementation rendering its events."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from emsys_rpa.mockportal import (
    DIMENSIONS,
    MockPortal,
    MockPortalOptions,
    Variant,
    parse_variant,
    running_mock_portal,
)
from emsys_rpa.mockportal.datefields import DATE_KINDS
from emsys_rpa.mockportal.pager import pager_controls
from emsys_rpa.mockportal.variants import DEFAULT_VARIANT, covering_variants, random_variant

from .conftest import FAST

TODAY = date(2025, 3, 14)
P = "ctl00$MainContent$"
INVOICES = "/Facturi/TransmitereFacturi.aspx"
ALERTS = "/Alerte/Alerte.aspx"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded database; each test serves a copy of it (seeding once keeps this file fast)."""
    path = tmp_path_factory.mktemp("zoo") / "seeded.sqlite3"
    with running_mock_portal(MockPortalOptions(db_path=path, today=TODAY)):
        pass
    return path


@contextmanager
def serving(variant: Variant, seeded: Path, tmp_path: Path) -> Iterator[tuple[MockPortal, Any]]:
    copy = tmp_path / f"{abs(hash(variant.spec))}.sqlite3"
    shutil.copy(seeded, copy)
    options = MockPortalOptions(variant=variant, db_path=copy, today=TODAY, **FAST)  # type: ignore[arg-type]
    with running_mock_portal(options) as portal, httpx.Client(base_url=portal.base_url) as http:
        http.post(
            "/Login.aspx",
            data={P + "txtUtilizator": portal.username, P + "txtParola": portal.password},
        )
        yield portal, http


def _viewstate(html: str) -> str:
    found = re.search(r'name="__VIEWSTATE" id="__VIEWSTATE" value="([^"]*)"', html)
    assert found is not None
    return found.group(1)


def _post(
    http: Any, path: str, viewstate: str, target: str, argument: str = "", **fields: str
) -> Any:
    data = {"__VIEWSTATE": viewstate, "__EVENTTARGET": target, "__EVENTARGUMENT": argument}
    data.update(fields)
    return http.post(path, data={**data, "__ASYNCPOST": "true"}).json()


# -- the generator ---------------------------------------------------------------------------


def test_random_variants_are_deterministic_canonical_and_cover_everything() -> None:
    drawn = parse_variant("random:7")
    assert drawn == parse_variant(" RANDOM:7 ") == random_variant(7)
    assert parse_variant(drawn.spec) == drawn and drawn.spec.count("=") == len(DIMENSIONS)
    many = [random_variant(seed) for seed in range(300)]
    assert len({v.spec for v in many}) == 300
    for key, values in DIMENSIONS.items():
        assert {getattr(v, key) for v in many} == set(values), key


@pytest.mark.parametrize("spec", ["random:", "random:abc", "random:1.5"])
def test_a_random_variant_needs_an_integer_seed(spec: str) -> None:
    with pytest.raises(ValueError, match="integer seed"):
        parse_variant(spec)


def test_covering_variants_use_every_value_of_every_dimension() -> None:
    tours = covering_variants()
    assert len(tours) == max(len(values) for values in DIMENSIONS.values())
    for key, values in DIMENSIONS.items():
        assert {getattr(v, key) for v in tours} == set(values), key


def test_the_command_prints_what_it_drew() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "emsys_rpa", "mock-portal", "--variant", "random:11"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        process.stdout.readline()
        second = process.stdout.readline()
        found = re.search(r"variant: (\S+);", second)
        assert found is not None, second
        assert parse_variant(found.group(1)) == random_variant(11)
        base = re.search(r"ledger: (http://\S+)/__mock__/ledger", second)
        assert base is not None
        assert httpx.get(base.group(1) + "/__mock__/ledger").json()["variant"] == found.group(1)
    finally:
        process.terminate()
        process.wait(timeout=20)


# -- pagers ----------------------------------------------------------------------------------


def _links(style: str, page: int, pages: int = 57) -> list[tuple[str, str | None]]:
    controls = pager_controls(style, page=page, pages=pages, total=pages * 20, size=20)
    return [(c.text or str(c.icon), c.argument) for c in controls if c.kind != "info"]


def test_gridview_numeric_pager_has_dots_on_both_sides_of_its_block() -> None:
    assert _links("numeric", 10)[-2:] == [("10", None), ("...", "Page$11")]
    assert _links("numeric", 11)[0] == ("...", "Page$10")
    assert _links("numeric", 11)[-1] == ("...", "Page$21")
    assert [text for text, _ in _links("numeric", 11)[1:-1]] == [str(n) for n in range(11, 21)]
    assert _links("numeric", 57)[0] == ("...", "Page$50") and _links("numeric", 57)[-1][0] == "57"
    assert _links("dots", 11)[0] == ("<", "Page$10") and _links("dots", 11)[-1] == (">", "Page$12")


def test_first_last_pagers_show_their_ends_only_outside_the_block() -> None:
    assert _links("firstlast", 3)[-1] == ("Ultima", "Page$Last")
    assert _links("firstlast", 3)[0] == ("1", "Page$1")
    assert _links("symbols", 25)[0] == ("«", "Page$First")
    assert _links("symbols", 25)[-1] == ("»", "Page$Last")  # a lone » means "last" here
    assert _links("symbols", 55)[-1] == ("57", "Page$57")


def test_word_icon_and_goto_pagers() -> None:
    assert _links("nextro", 1) == [("Pagina următoare", "Page$2")]
    assert _links("nexten", 57) == [("Previous", "Page$56")]
    icons = pager_controls("icons", page=1, pages=3, total=50, size=20)
    assert [(c.icon, c.disabled) for c in icons if c.kind == "icon"] == [
        ("first", True),
        ("prev", True),
        ("next", False),
        ("last", False),
    ]
    assert icons[-1].text == "Pagina 1 din 3, înregistrările 1 - 20 din 50"
    assert [c.kind for c in pager_controls("goto", page=5, pages=9, total=170, size=20)] == [
        "link",
        "goto",
        "link",
        "info",
    ]


# -- Perioada --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dates", "good", "refused"),
    [
        ("dot", "14.02.2025", ["14/02/2025", "2025-02-14", "02.14.2025", "14.02.25"]),
        ("iso", "2025-02-14", ["14.02.2025", "2025-14-02", "14/02/2025", "2025/02/14"]),
        ("mask", "14/02/2025", ["14.02.2025", "14/0_/2025", "2025/02/14", "4/2/2025"]),
        ("picker", "2025-02-14", ["14.02.2025", "14/02/2025", "2025-2-14"]),
    ],
)
def test_perioada_is_read_in_the_format_the_page_shows_and_in_no_other(
    dates: str, good: str, refused: list[str], seeded: Path, tmp_path: Path
) -> None:
    kind = DATE_KINDS[dates]
    names = kind.field_names()
    with serving(replace(DEFAULT_VARIANT, dates=dates), seeded, tmp_path) as (portal, http):
        page = http.get(INVOICES).text
        assert (f"({kind.hint})" in page) is not kind.picker  # the picker shows its format instead
        viewstate = _viewstate(page)
        for text in refused:
            answer = _post(
                http, INVOICES, viewstate, P + "btnTrimite",
                **{names["de"]: text, names["pana"]: kind.posted(TODAY), P + "chkFundal": "on"},
            )  # fmt: skip
            assert (answer["message"], answer["error"]) == (None, kind.error), text
            assert kind.hint in kind.error
        assert portal.ledger()["jobs"] == []
        answer = _post(
            http, INVOICES, viewstate, P + "btnTrimite",
            **{names["de"]: good, names["pana"]: kind.posted(TODAY), P + "chkFundal": "on"},
        )  # fmt: skip
        assert answer["error"] is None and answer["message"]
        [job] = portal.ledger()["jobs"]
        assert (job["period_from"], job["period_to"]) == ("2025-02-14", "2025-03-14")


def test_the_historic_slash_dates_stay_lenient(seeded: Path, tmp_path: Path) -> None:
    with serving(DEFAULT_VARIANT, seeded, tmp_path) as (portal, http):
        viewstate = _viewstate(http.get(INVOICES).text)
        answer = _post(
            http, INVOICES, viewstate, P + "btnTrimite",
            **{P + "txtPerioadaDeLa": "14.02.2025", P + "txtPerioadaPanaLa": "14/03/2025"},
        )  # fmt: skip
        assert answer["error"] is None
        assert portal.ledger()["jobs"][0]["period_from"] == "2025-02-14"


def test_a_prefilled_period_is_last_month(seeded: Path, tmp_path: Path) -> None:
    variant = replace(DEFAULT_VARIANT, prefill="yes", dates="picker")
    with serving(variant, seeded, tmp_path) as (_, http):
        page = http.get(INVOICES).text
    assert 'value="2025-02-01"' in page and 'value="28.02.2025"' in page


# -- Fundal, page sizes, loading ----------------------------------------------------------------


@pytest.mark.parametrize("checkbox", ["role", "rolebare", "toggle"])
def test_custom_fundal_widgets_post_a_client_state(
    checkbox: str, seeded: Path, tmp_path: Path
) -> None:
    with serving(replace(DEFAULT_VARIANT, checkbox=checkbox), seeded, tmp_path) as (portal, http):
        page = http.get(ALERTS).text
        assert 'name="ctl00_MainContent_chkFundal_ClientState"' in page
        assert 'type="checkbox"' not in page.split("gvAlerte")[-1]  # no native box for Fundal
        viewstate = _viewstate(page)
        for checked in (True, False):
            state = json.dumps({"checked": checked})
            _post(http, ALERTS, viewstate, P + "btnTrimite",
                  **{"ctl00_MainContent_chkFundal_ClientState": state})  # fmt: skip
        ledger = portal.wait_for_jobs()
    assert [job["background"] for job in ledger["jobs"]] == [True, False]


def test_page_size_choice(seeded: Path, tmp_path: Path) -> None:
    with serving(replace(DEFAULT_VARIANT, pagesize="yes"), seeded, tmp_path) as (_, http):
        for path, offers_all in ((INVOICES, True), (ALERTS, False)):
            viewstate = _viewstate(http.get(path).text)
            tab = _post(http, path, viewstate, P + "tsTaburi", "istoric")
            assert ('value="0"' in tab["panel"]) is offers_all  # "Toate" only for small grids
            fifty = _post(http, path, tab["viewstate"], P + "gvIstoric", "PageSize$50")
            assert fifty["panel"].count("<tr class=") == 50 + 1  # the pager row has a class too
            everything = _post(http, path, tab["viewstate"], P + "gvIstoric", "PageSize$0")
            rows = everything["panel"].count("<tr class=") - 1
            assert rows > 1000 if offers_all else rows == 20


def test_a_late_loading_grid_says_so_first(seeded: Path, tmp_path: Path) -> None:
    with serving(replace(DEFAULT_VARIANT, loading="xhr"), seeded, tmp_path) as (_, http):
        viewstate = _viewstate(http.get(INVOICES).text)
        first = _post(http, INVOICES, viewstate, P + "tsTaburi", "istoric")
        assert "Se încarcă..." in first["panel"] and "EMS2025" not in first["panel"]
        loaded = _post(http, INVOICES, first["viewstate"], P + "gvIstoric", "Load")
        assert "Se încarcă..." not in loaded["panel"] and "EMS2025" in loaded["panel"]


# -- every implementation renders every event -------------------------------------------------


@pytest.mark.parametrize("variant", covering_variants(), ids=lambda v: f"pager={v.pager}")
def test_every_implementation_answers_every_event(
    variant: Variant, seeded: Path, tmp_path: Path
) -> None:
    postback = variant.postback
    with serving(variant, seeded, tmp_path) as (_, http):
        pages = [http.get(path).text for path in ("/Default.aspx", ALERTS, INVOICES)]
        for path in (ALERTS, INVOICES):
            viewstate = _viewstate(http.get(path).text)
            data = {"__VIEWSTATE": viewstate, "__EVENTTARGET": P + "tsTaburi"}
            tab = http.post(path, data={**data, "__EVENTARGUMENT": "istoric"})
            viewstate = _viewstate(tab.text)
            for argument in ("Page$12", "Page$Last", "Sort$data", "PageSize$50", "Page$First"):
                data = {"__VIEWSTATE": viewstate, "__EVENTTARGET": P + "gvIstoric"}
                answer = http.post(path, data={**data, "__EVENTARGUMENT": argument})
                assert answer.status_code == 200
                pages.append(answer.text)
                viewstate = _viewstate(answer.text)
            data = {"__VIEWSTATE": viewstate, "__EVENTTARGET": P + "btnConfigurare"}
            pages.append(http.post(path, data=data).text)
        for window in ("/Alerte/ConfigurareTrimitere.aspx", "/Alerte/ModalitateTransmitere.aspx"):
            pages.append(http.get(window).text)
    for html in pages:
        assert "None" not in re.sub(r"<script.*?</script>", "", html, flags=re.S)
        assert postback or "<html" in html
    assert all(variant.localise("Transmitere facturi") in html for html in pages[:3])


def test_a_long_oldest_first_history_has_its_newest_rows_one_sort_away() -> None:
    """The shape of the million-row case (fewer rows here): two-sided "..." pager, sortable."""
    variant = parse_variant("order=oldest,pager=numeric")
    options = MockPortalOptions(variant=variant, history_rows=30_000, today=TODAY, **FAST)  # type: ignore[arg-type]
    with running_mock_portal(options) as portal, httpx.Client(base_url=portal.base_url) as http:
        http.post(
            "/Login.aspx",
            data={P + "txtUtilizator": portal.username, P + "txtParola": portal.password},
        )
        tab = _post(http, INVOICES, _viewstate(http.get(INVOICES).text), P + "tsTaburi", "istoric")
        assert "Page$11')\">...</a>" in tab["panel"] and "Page$Last" not in tab["panel"]
        oldest = re.findall(r"<td>\d\d/\d\d/(\d{4}) \d\d:\d\d</td>", tab["panel"])
        assert oldest and max(oldest) < "2023"  # the first page holds rows years old
        block = _post(http, INVOICES, tab["viewstate"], P + "gvIstoric", "Page$11")["panel"]
        assert "Page$10')\">...</a>" in block and "Page$21')\">...</a>" in block
        newest = _post(http, INVOICES, tab["viewstate"], P + "gvIstoric", "Sort$data")["panel"]
        days = [
            date(int(y), int(m), int(d))
            for d, m, y in re.findall(r"<td>(\d\d)/(\d\d)/(\d{4}) \d\d:\d\d</td>", newest)
        ]
        assert days[0] == max(days) and (TODAY - days[0]).days <= 4  # the last working day's
