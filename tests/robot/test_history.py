"""History grids as text: dates with and without seconds, both sort orders, what is new."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from emsys_rpa.history import (
    Order,
    Tally,
    detect_order,
    find_column,
    is_failed_status,
    is_new,
    order_across,
    parse_grid,
    parse_portal_datetime,
    undated_failures,
)

TZ = ZoneInfo("Europe/Bucharest")
HEADERS = ["Client", "Canal", "Data trimitere E-mail", "Stare"]


def at(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M:%S").replace(tzinfo=TZ)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28/11/2026 14:15", "28/11/2026 14:15:00"),
        ("28/11/2026 14:15:42", "28/11/2026 14:15:42"),
        (" 8/1/2026 9:05 ", "08/01/2026 09:05:00"),
        ("28.11.2026 14:15", "28/11/2026 14:15:00"),
        ("2026-11-28 14:15:07", "28/11/2026 14:15:07"),
        ("2026-11-28T14:15", "28/11/2026 14:15:00"),
        ("trimis la 28/11/2026, 14:15", "28/11/2026 14:15:00"),
        ("28/11/2026", "28/11/2026 00:00:00"),
    ],
)
def test_dates_the_portal_may_show(text: str, expected: str) -> None:
    assert parse_portal_datetime(text, TZ) == at(expected)


@pytest.mark.parametrize("text", ["", "—", "în așteptare", "31/02/2026 10:00", "123456"])
def test_cells_without_a_valid_date(text: str) -> None:
    assert parse_portal_datetime(text, TZ) is None


def test_send_date_column_is_found_and_the_modification_date_is_not() -> None:
    assert find_column(HEADERS, ["data trimitere"]) == 2
    config = ["Prin EMAIL", "Alerta", "Data ultima modificare", "Administrator"]
    assert find_column(config, ["data"], avoid=["ultima modificare"]) == -1
    assert find_column(["Data trimitere ▲", "Stare"], ["Data trimitere"]) == 0
    assert find_column(["DATA TRIMITERII"], ["data trimiterii"]) == 0


def _rows(*dates: str) -> list[list[str]]:
    return [[f"C{i}", "E-mail", d, "Trimisă" if d else "În așteptare"] for i, d in enumerate(dates)]


def test_newest_first_without_seconds() -> None:
    page = parse_grid(
        HEADERS, _rows("28/11/2026 14:16", "28/11/2026 14:15", "27/11/2026 09:00"), TZ
    )
    assert page.order is Order.NEWEST_FIRST
    tally = Tally()
    assert tally.add(page.rows, at("28/11/2026 14:15:00")) == 2
    assert tally.first_sent_at == at("28/11/2026 14:15:00")
    assert tally.last_sent_at == at("28/11/2026 14:16:00")
    assert dict(tally.statuses) == {"Trimisă": 2}


def test_oldest_first_with_seconds_and_minute_precision() -> None:
    page = parse_grid(
        HEADERS,
        _rows("27/11/2026 09:00:01", "28/11/2026 14:14:59", "28/11/2026 14:15:03", ""),
        TZ,
    )
    assert page.order is Order.OLDEST_FIRST
    since = at("28/11/2026 14:15:40")  # noted in the same minute as the first send
    assert [is_new(r, since) for r in page.rows] == [False, False, True, False]


def test_rows_that_are_not_data_are_dropped() -> None:
    rows = [*_rows("28/11/2026 14:16"), ["« Prima ‹ 1 2 3 › Ultima »"], ["", "", "", ""]]
    page = parse_grid(HEADERS, rows, TZ)
    assert len(page.rows) == 1


def test_without_a_known_header_the_first_date_cell_is_used() -> None:
    page = parse_grid(["A", "B"], [["x", "28/11/2026 14:16"], ["y", "-"]], TZ)
    assert page.date_column == -1
    assert [r.sent_at for r in page.rows] == [at("28/11/2026 14:16:00"), None]


def test_order_needs_two_distinct_dates() -> None:
    one = at("28/11/2026 14:16:00")
    assert detect_order([]) is Order.UNKNOWN
    assert detect_order([one, one]) is Order.UNKNOWN


def test_group_titles_between_days_are_not_rows() -> None:
    rows = [["Ziua 28/11/2026"], *_rows("28/11/2026 14:16"), ["Ziua 27/11/2026"]]
    page = parse_grid(["Data trimitere E-mail", "Client", "Canal", "Stare"], rows, TZ)
    assert [r.cells[2] for r in page.rows] == ["28/11/2026 14:16"]


# Failed invoice rows: the portal leaves their send-date cell empty ("Eroare la trimitere").
SENT, ERROR = "Trimisă", "Eroare la trimitere"
SINCE = "28/11/2026 14:15:00"


def _grid(*rows: tuple[str, str]) -> list[list[str]]:
    return [["Client", "E-mail", date, status] for date, status in rows]


@pytest.mark.parametrize(
    ("rows", "new", "at_end"),
    [
        # Newest first: failures above new dated rows are newer than them, so new.
        (
            [("", ERROR), ("", ERROR), ("28/11/2026 14:16", SENT), ("27/11/2026 09:00", SENT)],
            2,
            0,
        ),
        # Between two new rows: new.
        ([("28/11/2026 14:17", SENT), ("", ERROR), ("28/11/2026 14:16", SENT)], 1, 0),
        # Between a new and an old row: either run's, not counted.
        ([("28/11/2026 14:16", SENT), ("", ERROR), ("27/11/2026 09:00", SENT)], 0, 0),
        # Above old rows only (every row of this send failed, or an earlier run's failures):
        # only a change between readings can tell, so they are reported apart.
        ([("", ERROR), ("", ERROR), ("27/11/2026 09:01", SENT), ("27/11/2026 09:00", SENT)], 0, 2),
        # Oldest first: the newest end is the bottom.
        ([("27/11/2026 09:00", SENT), ("28/11/2026 14:16", SENT), ("", ERROR)], 1, 0),
        ([("27/11/2026 09:00", SENT), ("27/11/2026 09:01", SENT), ("", ERROR)], 0, 1),
        # An undated row that did not fail is never counted.
        ([("", SENT), ("28/11/2026 14:17", SENT), ("28/11/2026 14:16", SENT)], 0, 0),
        # No order to go by: nothing counted.
        ([("", ERROR), ("28/11/2026 14:16", SENT)], 0, 0),
    ],
)
def test_undated_failed_rows_are_placed_by_position(
    rows: list[tuple[str, str]], new: int, at_end: int
) -> None:
    page = parse_grid(HEADERS, _grid(*rows), TZ)
    placed, end = undated_failures(page.rows, at(SINCE))
    assert (len(placed), end) == (new, at_end)


def test_the_order_known_from_the_reading_places_failures_on_a_page_of_one_minute() -> None:
    # This job's rows, written within the minute, on the last page of an oldest-first grid:
    # the page alone shows no order; the order read on the grid's first page does.
    page = parse_grid(
        HEADERS,
        _grid(("28/11/2026 14:16", SENT), ("", ERROR), ("28/11/2026 14:16", SENT), ("", ERROR)),
        TZ,
    )
    assert undated_failures(page.rows, at(SINCE)) == ([], 0)
    placed, end = undated_failures(page.rows, at(SINCE), Order.OLDEST_FIRST)
    # Both are newer than a new dated row (the bottom is the newest end): both are new.
    assert (len(placed), end) == (2, 0)
    tally = Tally()
    assert tally.add(page.rows, at(SINCE), Order.OLDEST_FIRST) == 4
    assert dict(tally.statuses) == {SENT: 2, ERROR: 2}


def test_a_page_of_undated_failures_only_is_all_at_the_newest_end() -> None:
    page = parse_grid(HEADERS, _grid(("", ERROR), ("", ERROR), ("", ERROR)), TZ)
    assert undated_failures(page.rows, at(SINCE), Order.OLDEST_FIRST) == ([], 3)


def test_the_tally_counts_placed_failures_as_new_failed_rows() -> None:
    page = parse_grid(
        HEADERS,
        _grid(("", ERROR), ("28/11/2026 14:16", SENT), ("28/11/2026 14:15", SENT)),
        TZ,
    )
    tally = Tally()
    assert tally.add(page.rows, at(SINCE)) == 3
    assert tally.rows_seen == 3
    assert dict(tally.statuses) == {SENT: 2, ERROR: 1}
    assert is_failed_status(ERROR) and not is_failed_status(SENT)


def test_rows_in_the_repeated_hour_are_new_after_a_send_just_before_the_change() -> None:
    bucharest = ZoneInfo("Europe/Bucharest")
    # Pressed at 03:58 summer time (UTC+3); sent from 03:00 winter time (UTC+2), an hour on.
    since = datetime(2026, 10, 25, 0, 58, tzinfo=UTC).astimezone(bucharest)
    assert since.strftime("%H:%M %z") == "03:58 +0300"
    page = parse_grid(
        ["Client", "Data trimitere"],
        [["C1", "25/10/2026 03:01"], ["C2", "25/10/2026 03:00"], ["C0", "25/10/2026 02:59"]],
        bucharest,
    )
    tally = Tally()
    assert tally.add(page.rows, since) == 2
    assert tally.first_sent_at is not None and tally.last_sent_at is not None
    assert tally.first_sent_at.utcoffset() == timedelta(hours=2)
    assert (tally.first_sent_at.strftime("%H:%M"), tally.last_sent_at.strftime("%H:%M")) == (
        "03:00",
        "03:01",
    )
    # On an ordinary night the same wall-clock times are an hour before the send: old.
    ordinary = datetime(2026, 10, 18, 3, 58, tzinfo=bucharest)
    page = parse_grid(["Data trimitere"], [["18/10/2026 03:01"]], bucharest)
    assert not is_new(page.rows[0], ordinary)


def test_pages_of_one_minute_each_still_tell_the_order_when_compared() -> None:
    first = parse_grid(HEADERS, _rows(*["28/03/2031 08:26"] * 3), TZ)
    last = parse_grid(HEADERS, _rows(*["29/10/2030 08:31"] * 3), TZ)
    assert first.order is Order.UNKNOWN and last.order is Order.UNKNOWN
    assert order_across(first, last) is Order.NEWEST_FIRST
    assert order_across(last, first) is Order.OLDEST_FIRST
    # Overlapping minutes, or a page without dates, say nothing.
    assert order_across(first, first) is Order.UNKNOWN
    assert order_across(first, parse_grid(HEADERS, _rows(""), TZ)) is Order.UNKNOWN
