"""Reading history grids in the browser: which table, which way sorted, which pages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from emsys_rpa.history import SEND_DATE_HEADERS, Order
from emsys_rpa.pages.history_grid import HistoryGrid

from .conftest import Kit

pytestmark = pytest.mark.browser

TZ = ZoneInfo("Europe/Bucharest")
SINCE = datetime(2026, 11, 28, 14, 15, tzinfo=TZ)
CONFIG_TABLE = """<table><tr><th>Prin EMAIL</th><th>Alerta</th><th>Data ultima modificare</th></tr>
<tr><td><input type=checkbox checked></td><td>Alerta factura noua emisa</td>
<td>28/11/2026 14:20</td></tr></table>"""


def _rows(times: list[str]) -> str:
    return "".join(
        f"<tr><td>C{i}</td><td>{t}</td><td>Trimisă</td></tr>" for i, t in enumerate(times)
    )


def _grid(kit: Kit, key: str = "alerts_history") -> HistoryGrid:
    return HistoryGrid(kit.finder, TZ, key=key, date_headers=SEND_DATE_HEADERS)


def test_the_history_table_is_told_from_the_configuration_table(kit: Kit) -> None:
    kit.page.set_content(
        CONFIG_TABLE
        + "<table><thead><tr><th>Client</th><th>Data trimitere</th><th>Stare</th></tr></thead>"
        + _rows(["28/11/2026 14:16", "28/11/2026 14:15", "28/11/2026 09:00"])
        + "</table>"
    )
    reading = _grid(kit).read_since(SINCE)
    assert reading.tally.rows_seen == 2
    assert reading.order is Order.NEWEST_FIRST
    assert dict(reading.tally.statuses) == {"Trimisă": 2}


# Three client-side pages of three rows, oldest first; "new" rows fill page 3 and spill over
# onto page 2. The pager re-renders the table like an ajax grid would.
PAGED = """
<div id=holder></div><div id=pager></div>
<script>
const all = [
  '20/11/2026 10:00', '21/11/2026 10:00', '22/11/2026 10:00',
  '27/11/2026 10:00', '28/11/2026 13:00', '28/11/2026 14:15',
  '28/11/2026 14:16', '28/11/2026 14:16', '28/11/2026 14:17'];
let current = 0;
function render() {
  const rows = all.slice(current * 3, current * 3 + 3)
    .map((t, i) => `<tr><td>C${current * 3 + i}</td><td>${t}</td><td>Trimisa</td></tr>`);
  holder.innerHTML = '<table><tr><th>Client</th><th>Data trimitere E-mail &#9650;</th>'
    + '<th>Stare</th></tr>' + rows.join('') + '</table>';
  const link = (label, page) => page === current || page < 0 || page > 2 ? ''
    : `<a href="#" onclick="current=${page}; setTimeout(render, 150); return false">${label}</a> `;
  pager.innerHTML = link('« Prima', 0) + link('‹ Anterioara', current - 1)
    + [0, 1, 2].map(p => p === current ? `<b>${p + 1}</b> ` : link(String(p + 1), p)).join('')
    + link('Urmatoarea ›', current + 1) + link('Ultima »', 2);
}
render();
</script>
"""


def test_oldest_first_grids_are_read_from_the_last_page_back(kit: Kit) -> None:
    kit.page.set_content(PAGED)
    reading = _grid(kit, "invoices_history").read_since(SINCE)
    assert reading.order is Order.OLDEST_FIRST
    assert reading.tally.rows_seen == 4
    assert reading.pages_read == 2
    assert reading.tally.last_sent_at == datetime(2026, 11, 28, 14, 17, tzinfo=TZ)


def test_oldest_first_with_only_numbered_pages(kit: Kit) -> None:
    page = PAGED.replace("link('Ultima »', 2)", "''").replace("link('Urmatoarea ›',", "('',")
    kit.page.set_content(page.replace("('', current + 1)", "''"))
    reading = _grid(kit).read_since(SINCE)
    assert reading.tally.rows_seen == 4


DELAYED_ARIA_GRID = """
<div id=g></div>
<script>
setTimeout(() => { g.innerHTML = `
  <div role=grid>
    <div role=row><span role=columnheader>Client</span>
      <span role=columnheader>Data transmitere</span></div>
    <div role=row><span role=gridcell>A</span><span role=gridcell>28/11/2026 14:15:09</span></div>
    <div role=row><span role=gridcell>B</span><span role=gridcell>28/11/2026 14:14:59</span></div>
  </div>`; }, 800);
</script>
"""


def test_a_delayed_aria_grid_with_seconds(kit: Kit) -> None:
    kit.page.set_content(DELAYED_ARIA_GRID)
    reading = _grid(kit).read_since(SINCE)
    assert reading.tally.rows_seen == 1
    assert reading.tally.first_sent_at == datetime(2026, 11, 28, 14, 15, 9, tzinfo=TZ)


def test_a_date_header_override(kit: Kit) -> None:
    kit.page.set_content(
        "<table><tr><th>Client</th><th>Expediat</th></tr>"
        "<tr><td>A</td><td>28/11/2026 14:20</td></tr></table>"
    )
    kit.finder.selectors["alerts_history_date_header"] = "Expediat"
    assert _grid(kit).read_since(SINCE).tally.rows_seen == 1
