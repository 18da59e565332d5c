"""Paging a history grid as a process with a goal: reach the newest rows, never a page twice.

The pure part (which control goes where) is tested on texts; the browser part on a WebForms-
style grid of our own that counts its page loads (``gridsite.py``).
"""

from __future__ import annotations

from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from emsys_rpa.history import SEND_DATE_HEADERS
from emsys_rpa.pages.history_grid import HistoryGrid
from emsys_rpa.pages.pager import Kind, Pager, classify, kind_of

from .conftest import Kit, TinyServer
from .gridsite import NEWEST, GridSite

TZ = ZoneInfo("Europe/Bucharest")
SINCE = NEWEST.replace(tzinfo=TZ)


@pytest.mark.parametrize(
    ("text", "title", "kind"),
    [
        ("7", "", Kind.NUMBER),
        ("...", "", Kind.MORE),
        ("…", "", Kind.MORE),
        ("Ultima »", "", Kind.LAST),
        ("»»", "", Kind.LAST),
        ("»", "", Kind.FORWARD),
        ("«", "", Kind.BACKWARD),
        (">", "", Kind.NEXT),
        ("Următoarea ›", "", Kind.NEXT),
        ("Pagina urmatoare", "", Kind.NEXT),
        ("", "Ultima pagină", Kind.LAST),
        ("", "Pagina anterioară", Kind.PREV),
        ("Next", "", Kind.NEXT),
        (" ", "Last Page", Kind.LAST),
        (" ", "Next Page", Kind.NEXT),
        ("Mergi", "", Kind.GO),
    ],
)
def test_pager_controls_are_told_by_what_they_say(text: str, title: str, kind: Kind) -> None:
    found = kind_of(text, title)
    assert found is not None and found[0] is kind


def _scope(*texts: str, plain: tuple[int, ...] = (), text: str = "") -> dict[str, object]:
    controls = [
        {"text": t, "title": "", "css": f"#c{i}", "disabled": False} for i, t in enumerate(texts)
    ]
    return {"controls": controls, "current": list(plain), "text": text, "box": None}


def _second_block() -> Pager:
    # GridView Numeric on page 11 of 57: "... 11 12 ... 20 ..." with "..." on both sides.
    numbers = [str(n) for n in range(12, 21)]
    return classify([_scope("...", *numbers, "...", plain=(11,))])


def test_the_forward_dots_are_taken_never_the_backward_ones() -> None:
    pager = _second_block()
    assert pager.current == 11
    control = pager.towards_end(seen={1, 11})
    assert control is not None and control.css == "#c10"  # the "..." after 20
    back = pager.one_back()
    assert back is not None and back.css == "#c0"  # the "..." before 12 leads to 10


def test_in_the_last_block_the_highest_number_is_the_end() -> None:
    pager = classify([_scope("...", *[str(n) for n in range(52, 58)], plain=(51,))])
    control = pager.towards_end(seen={51})
    assert control is not None and control.number == 57
    assert not pager.at_end()
    assert classify([_scope("...", *[str(n) for n in range(51, 57)], plain=(57,))]).at_end()


def test_the_page_counter_says_where_a_click_went() -> None:
    pager = classify([_scope("«", "1", "2", "»", plain=(3,), text="« 1 2 3 » Pagina 3 din 3")])
    assert (pager.current, pager.total) == (3, 3)
    assert pager.at_end()


def test_a_pager_drawn_above_and_below_is_read_once() -> None:
    top = _scope("1", "2", "Ultima", plain=(3,))
    assert classify([_scope("Istoric alerte"), top, top]).of(Kind.LAST)[0].css == "#c2"


# -- in the browser, counting page loads -------------------------------------------------------


def _read(kit: Kit, server: TinyServer, site: GridSite) -> tuple[int, int]:
    server.routes["/istoric"] = site.handle
    kit.page.goto(server.url + "/istoric")
    grid = HistoryGrid(kit.finder, TZ, key="alerts_history", date_headers=SEND_DATE_HEADERS)
    reading = grid.read_since(SINCE)
    assert reading.tally.last_sent_at == SINCE
    repeated = [page for page, n in Counter(site.visited).items() if n > 1]
    assert repeated == [], f"pages visited twice: {repeated}"
    return reading.tally.rows_seen, site.loads


@pytest.mark.browser
@pytest.mark.parametrize(
    "style", ["numeric", "dots", "symbols_last", "symbols_next", "goto", "icons", "radgrid"]
)
def test_57_pages_oldest_first_reach_the_new_rows_without_a_page_twice(
    kit: Kit, tiny_server: TinyServer, style: str
) -> None:
    site = GridSite(rows=57 * 20 - 7, new=26, pager=style)
    seen, _loads = _read(kit, tiny_server, site)
    assert seen == 26
    assert not site.sorted and site.page in (site.pages, site.pages - 1)


@pytest.mark.browser
def test_a_million_rows_with_a_two_sided_pager_are_sorted_newest_first(
    kit: Kit, tiny_server: TinyServer
) -> None:
    site = GridSite(rows=1_000_000, new=26, pager="numeric", sortable=True)
    seen, loads = _read(kit, tiny_server, site)
    assert seen == 26
    assert site.desc
    assert loads <= 4  # the tab itself, sorting (twice: GridView sorts ascending first), page 2


@pytest.mark.browser
def test_previous_next_words_only_and_a_sort_link(kit: Kit, tiny_server: TinyServer) -> None:
    site = GridSite(rows=57 * 20, new=5, pager="nextonly", sortable=True)
    seen, loads = _read(kit, tiny_server, site)
    assert seen == 5 and loads <= 3


@pytest.mark.browser
def test_previous_next_words_only_without_a_sort_link_walk_with_a_cap(
    kit: Kit, tiny_server: TinyServer
) -> None:
    site = GridSite(rows=12 * 20, new=5, pager="nextonly")
    seen, loads = _read(kit, tiny_server, site)
    assert seen == 5 and loads == 12


def test_the_first_page_and_the_last_in_sight() -> None:
    last_block = classify([_scope("«", "...", *[str(n) for n in range(291, 296)], plain=(296,))])
    assert not last_block.at_start() and last_block.last_in_sight() is None
    before_last = classify([_scope("...", "291", "292", "294", plain=(293,))])
    in_sight = before_last.last_in_sight()
    assert in_sight is not None and in_sight.number == 294
    start = before_last.towards_start()
    assert start is not None and start.kind is Kind.MORE
    assert classify([_scope("2", "3", "...", plain=(1,))]).at_start()


@pytest.mark.browser
def test_a_grid_left_on_a_middle_page_is_sorted_then_taken_to_its_first_page(
    kit: Kit, tiny_server: TinyServer
) -> None:
    site = GridSite(rows=57 * 20, new=8, pager="numeric", sortable=True, page=30)
    seen, _loads = _read(kit, tiny_server, site)
    assert seen == 8
    assert site.desc and site.page == 1


@pytest.mark.browser
def test_rows_arriving_while_paging_do_not_make_last_look_like_next(
    kit: Kit, tiny_server: TinyServer
) -> None:
    site = GridSite(rows=57 * 20 - 1, new=3, pager="symbols_last", sortable=True, grow=7)
    seen, loads = _read(kit, tiny_server, site)
    assert seen >= 3
    assert not site.sorted  # "»" went to the last page: no reason to sort
    assert loads <= 3
