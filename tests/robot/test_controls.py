"""Finding controls by what a person reads: checkboxes, buttons, Perioada, menus."""

from __future__ import annotations

from datetime import date

import pytest

from emsys_rpa.errors import ElementNotFoundError
from emsys_rpa.pages import alerts, invoices
from emsys_rpa.pages.invoices import fill_period
from emsys_rpa.pages.locate import Finder
from emsys_rpa.pages.menu import ALERTS_PATH, INVOICES_PATH, open_menu
from emsys_rpa.pages.sending import SendingScreen

from .conftest import Kit

pytestmark = pytest.mark.browser

# Each page has a decoy box before and after the Fundal one: only #fundal may be ticked.
FUNDAL_MARKUPS = {
    "label-for": """<input type=checkbox id=sms><label for=sms>Prin SMS</label>
        <input type=checkbox id=fundal><label for=fundal>Fundal</label>
        <input type=checkbox id=other><label for=other>Altceva</label>""",
    "wrapping-label": """<label><input type=checkbox id=sms> Prin SMS</label>
        <label><input type=checkbox id=fundal> Fundal</label>
        <label><input type=checkbox id=other> Altceva</label>""",
    "aria-label": """<input type=checkbox id=sms aria-label="Prin SMS">
        <input type=checkbox id=fundal aria-label="FUNDAL">
        <input type=checkbox id=other aria-label="Altceva">""",
    "bare-text-after": """<div><input type=checkbox id=sms> Prin SMS<br>
        <input type=checkbox id=fundal> Fundal<br>
        <input type=checkbox id=other> Altceva</div>""",
    "bold-text-after": """<div><input type=checkbox id=sms><b>Prin SMS</b>
        <input type=checkbox id=fundal><b> Fundal </b>
        <input type=checkbox id=other><b>Altceva</b></div>""",
    "cell-after": """<table><tr><td><input type=checkbox id=sms></td><td>Prin SMS</td></tr>
        <tr><td><input type=checkbox id=fundal></td><td>Fundal</td></tr>
        <tr><td><input type=checkbox id=other></td><td>Altceva</td></tr></table>""",
    "cell-before": """<table><tr><td>Prin SMS</td><td><input type=checkbox id=sms></td></tr>
        <tr><td>Fundal:</td><td><input type=checkbox id=fundal></td></tr>
        <tr><td>Altceva</td><td><input type=checkbox id=other></td></tr></table>""",
    "styled-hidden-input": """<style>input { display: none } .box::before { content: '☐' }
        input:checked + .box::before { content: '☑' }</style>
        <label><input type=checkbox id=sms><span class=box></span>Prin SMS</label>
        <label><input type=checkbox id=fundal><span class=box></span>Fundal</label>
        <label><input type=checkbox id=other><span class=box></span>Altceva</label>""",
    "aria-checkbox": """<div role=checkbox id=sms aria-checked=false tabindex=0>Prin SMS</div>
        <div role=checkbox id=fundal aria-checked=false tabindex=0
             onclick="this.setAttribute('aria-checked', 'true')">Fundal</div>""",
}


@pytest.mark.parametrize("markup", sorted(FUNDAL_MARKUPS))
def test_fundal_is_found_whatever_its_label_looks_like(kit: Kit, markup: str) -> None:
    kit.page.set_content(FUNDAL_MARKUPS[markup])
    SendingScreen(kit.finder, kit.dialogs, kit.windows, alerts.ALERTS).tick_background()
    ticked = kit.page.evaluate(
        "() => Array.from(document.querySelectorAll('[id]')).filter(e => e.checked ||"
        " e.getAttribute('aria-checked') === 'true').map(e => e.id)"
    )
    assert ticked == ["fundal"]


BUTTON_MARKUPS = [
    "<button>Configurează trimitere alertă</button>",
    "<button>  configureaza   TRIMITERE alerta </button>",
    "<input type=button value='Configurează trimitere alertă'>",
    "<input type=submit value='Configureaza trimitere alerta'>",
    "<a href='#' onclick='return false'>Configurează trimitere alertă</a>",
    "<span onclick='void 0' style='cursor:pointer'>Configurează trimitere alertă</span>",
    "<button><img alt='' src='data:,'>&#9993; Configurează trimitere alertă</button>",
    "<button title='Configurează trimitere alertă'>&#9881;</button>",
]


@pytest.mark.parametrize("markup", BUTTON_MARKUPS)
def test_buttons_are_found_by_name_in_any_spelling(kit: Kit, markup: str) -> None:
    kit.page.set_content(f"<p>Alerte</p><button>Istoric alerte</button>{markup}")
    found = kit.finder.find(alerts.CONFIGURE)
    assert "Istoric" not in (found.locator.text_content() or "")


def test_a_missing_control_names_its_selectors_key(kit: Kit) -> None:
    kit.page.set_content("<button>Altceva</button>")
    with pytest.raises(ElementNotFoundError) as caught:
        kit.finder.find(alerts.SEND, timeout_s=0.5)
    assert "alerts_send" in str(caught.value) and "Trimite alerta" in str(caught.value)


def test_a_selectors_override_wins(kit: Kit) -> None:
    kit.page.set_content("<button>Trimite alerta</button><button id=real>Expediază</button>")
    finder = Finder(kit.page.context, {"alerts_send": "#real"}, timeout_s=1)
    assert finder.find(alerts.SEND).locator.get_attribute("id") == "real"


def test_a_control_drawn_later_is_waited_for(kit: Kit) -> None:
    kit.page.set_content(
        "<script>setTimeout(() => document.body.insertAdjacentHTML('beforeend',"
        " '<button>Trimite factura</button>'), 700)</script>"
    )
    assert kit.finder.find(invoices.SEND).locator.is_visible()


PERIOD_MARKUPS = {
    "bare": "<p>Perioada: <input id=a> - <input id=b></p><p>Client <input id=c></p>",
    "labels": """<label for=a>Perioadă de la</label> <input id=a>
        <label for=b>până la</label> <input id=b> <label for=c>Client</label><input id=c>""",
    "table": """<table><tr><td>Client</td><td><input id=c></td></tr>
        <tr><td>Perioada</td><td><input id=a></td><td><input id=b></td></tr></table>""",
}


@pytest.mark.parametrize("markup", sorted(PERIOD_MARKUPS))
def test_perioada_is_filled_in_the_portal_format(kit: Kit, markup: str) -> None:
    kit.page.set_content(PERIOD_MARKUPS[markup])
    typed = fill_period(kit.finder, date(2026, 10, 28), date(2026, 11, 28), "%d/%m/%Y")
    assert typed == ("28/10/2026", "28/11/2026")
    assert [kit.page.input_value(f"#{i}") for i in "abc"] == ["28/10/2026", "28/11/2026", ""]


def test_perioada_in_date_inputs_gets_iso_dates(kit: Kit) -> None:
    kit.page.set_content("Perioada <input type=date id=a> <input type=date id=b>")
    fill_period(kit.finder, date(2026, 10, 28), date(2026, 11, 28), "%d/%m/%Y")
    assert [kit.page.input_value(f"#{i}") for i in "ab"] == ["2026-10-28", "2026-11-28"]


HOVER_MENU = """
<style>
  .menu li ul { display: none; } .menu li:hover > ul { display: block; }
</style>
<ul class=menu>
  <li><a href='#'>Acasă</a></li>
  <li><a href='#'>Funcţionalităţi</a>
    <ul>
      <li><a href='#' onclick="show('alerte')">Alerte</a></li>
      <li><a href='#'>Transmitere facturi</a>
        <ul><li><a href='#' onclick="show('facturi')">Transmitere Facturi prin E-mail/SMS</a>
        </li></ul>
      </li>
    </ul>
  </li>
</ul>
<h1 id=title>Transmitere Facturi prin E-mail/SMS</h1><h2>Alerte</h2><div id=screen></div>
<script>
function show(which) {
  document.getElementById('screen').innerHTML = which === 'alerte'
    ? '<button>Configurează trimitere alertă</button>'
    : '<button>Configurează transmiterea facturii</button>';
  return false;
}
</script>
"""


def test_hover_menus_are_walked_past_headings_with_the_same_text(kit: Kit) -> None:
    kit.page.set_content(HOVER_MENU)
    open_menu(kit.finder, INVOICES_PATH, arrived=invoices.CONFIGURE)
    open_menu(kit.finder, ALERTS_PATH, arrived=alerts.CONFIGURE)
    assert kit.page.get_by_role("button").inner_text() == "Configurează trimitere alertă"


CLICK_MENU = """
<nav><span id=top onclick="document.getElementById('sub').hidden = false">Functionalitati</span>
<div id=sub hidden><a href='#' onclick="document.getElementById('s').hidden=false">Alerte</a></div>
</nav><div id=s hidden><button>Configureaza trimitere alerta</button></div>
"""


def test_menus_that_open_on_click(kit: Kit) -> None:
    kit.page.set_content(CLICK_MENU)
    open_menu(kit.finder, ALERTS_PATH, arrived=alerts.CONFIGURE)
    assert kit.page.locator("#s").is_visible()
