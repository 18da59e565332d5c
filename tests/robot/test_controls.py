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

SR_ONLY_STYLE = """<style>
  .chk { position: relative; display: inline-block; margin-right: 12px }
  .sr-only { position: absolute; left: 3px; top: 3px; width: 1px; height: 1px; padding: 0;
             margin: 0; overflow: hidden; clip: rect(0 0 0 0); border: 0 }
  .chk label { position: relative; padding-left: 22px; cursor: pointer }
  .chk label::before { content: ''; position: absolute; left: 0; top: 0; width: 14px;
                       height: 14px; border: 1px solid #333; background: white }
  .chk input:checked + label::before { background: #06c }
</style>"""

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
    # Issue 13: a visually hidden input (1×1, clipped) under the box its <label for> draws.
    "sr-only-under-label": SR_ONLY_STYLE
    + "".join(
        f"<span class=chk><input type=checkbox id={i} class=sr-only>"
        f"<label for={i}>{t}</label></span>"
        for i, t in (("sms", "Prin SMS"), ("fundal", "Fundal"), ("other", "Altceva"))
    ),
    # A transparent input laid over a drawn box, its label apart.
    "transparent-input": """<style>.o { position: relative; display: inline-block; width: 16px;
          height: 16px; border: 1px solid #333 } .o input { position: absolute; inset: 0;
          margin: 0; opacity: 0; width: 16px; height: 16px }</style>
        <span class=o><input type=checkbox id=sms></span><label for=sms>Prin SMS</label><br>
        <span class=o><input type=checkbox id=fundal></span><label for=fundal>Fundal</label>""",
    # An ARIA checkbox without a name, its text beside it.
    "aria-checkbox-text-beside": """<style>[role=checkbox] { display: inline-block; width: 14px;
          height: 14px; border: 1px solid }</style>
        <span role=checkbox id=sms aria-checked=false tabindex=0
              onclick="this.setAttribute('aria-checked', 'true')"></span> <span>Prin SMS</span><br>
        <span role=checkbox id=fundal aria-checked=false tabindex=0
              onclick="this.setAttribute('aria-checked', 'true')"></span> <span>Fundal</span>""",
    # A box with an empty label of its own (drawn by CSS), its word in the next cell.
    "empty-label-word-in-next-cell": """<table><tr><td><input type=checkbox id=sms><label
          for=sms>&nbsp;</label></td><td>Prin SMS</td></tr>
        <tr><td><input type=checkbox id=fundal><label for=fundal>&nbsp;</label></td>
          <td><span>Fundal</span></td></tr></table>""",
    # A toggle button.
    "toggle-button": """<button type=button id=sms aria-pressed=false>Prin SMS</button>
        <button type=button id=fundal aria-pressed=false
                onclick="this.setAttribute('aria-pressed', 'true')">Fundal</button>""",
}


@pytest.mark.parametrize("markup", sorted(FUNDAL_MARKUPS))
def test_fundal_is_found_whatever_its_label_looks_like(kit: Kit, markup: str) -> None:
    kit.page.set_content(FUNDAL_MARKUPS[markup])
    SendingScreen(kit.finder, kit.dialogs, kit.windows, alerts.ALERTS).tick_background()
    ticked = kit.page.evaluate(
        "() => Array.from(document.querySelectorAll('[id]')).filter(e => e.checked ||"
        " e.getAttribute('aria-checked') === 'true' || e.getAttribute('aria-pressed') === 'true')"
        ".map(e => e.id)"
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
    # An image button named only by its alt text (the words are drawn in the image).
    "<input type=image alt='Configurează trimitere alertă' src='data:,' width=80 height=20>",
    # A div acting as a button.
    "<div role=button tabindex=0>Configurează trimitere alertă</div>",
    # An ASP.NET LinkButton.
    "<a href=\"javascript:__doPostBack('ctl00$btnConfig','')\">Configurează trimitere alertă</a>",
]


@pytest.mark.parametrize("markup", BUTTON_MARKUPS)
def test_buttons_are_found_by_name_in_any_spelling(kit: Kit, markup: str) -> None:
    kit.page.set_content(f"<p>Alerte</p><button>Istoric alerte</button>{markup}")
    found = kit.finder.find(alerts.CONFIGURE)
    # The very element of the markup (the last one on the page), not another control.
    assert found.locator.evaluate("e => e === document.body.lastElementChild"), markup


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
    # No label anywhere, a wrong period already in the boxes: the boxes holding dates.
    "unlabelled-dates": """<table><tr><td></td><td><input id=a value=01/09/2026>
        <input id=b value=30/09/2026></td></tr><tr><td>Client</td><td><input id=c></td></tr>
        </table>""",
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


def test_a_hover_menu_opens_by_pointing_alone(kit: Kit) -> None:
    """The robot points at the entries that open submenus and clicks only the last one: a
    parent entry that does something when clicked (here: counts) is never clicked."""
    counted = "<a href='#' onclick='window.parentClicks = (window.parentClicks || 0) + 1'>"
    page = HOVER_MENU
    for parent in ("Funcţionalităţi", "Transmitere facturi"):
        page = page.replace(f"<a href='#'>{parent}</a>", f"{counted}{parent}</a>")
    assert page.count(counted) == 2
    kit.page.set_content(page)
    open_menu(kit.finder, INVOICES_PATH, arrived=invoices.CONFIGURE)
    open_menu(kit.finder, ALERTS_PATH, arrived=alerts.CONFIGURE)
    assert kit.page.get_by_role("button").inner_text() == "Configurează trimitere alertă"
    assert kit.page.evaluate("window.parentClicks || 0") == 0


CLICK_MENU = """
<nav><span id=top onclick="document.getElementById('sub').hidden = false">Functionalitati</span>
<div id=sub hidden><a href='#' onclick="document.getElementById('s').hidden=false">Alerte</a></div>
</nav><div id=s hidden><button>Configureaza trimitere alerta</button></div>
"""


def test_menus_that_open_on_click(kit: Kit) -> None:
    kit.page.set_content(CLICK_MENU)
    open_menu(kit.finder, ALERTS_PATH, arrived=alerts.CONFIGURE)
    assert kit.page.locator("#s").is_visible()


# The date format comes from the page: a hint beside the boxes, the value already in them, a
# mask, a date picker's empty text. The configured format (dd/mm/yyyy) is used only when the
# page says nothing.
PAGE_FORMATS = {
    "hint-dotted": ("Perioada <input id=a> - <input id=b> <span>(zz.ll.aaaa)</span>", "28.10.2026"),
    "hint-iso": (
        "<p>Perioada <input id=a> <input id=b></p><p>Format: aaaa-ll-zz</p>",
        "2026-10-28",
    ),
    "value-dotted": (
        "<table><tr><td>Perioada</td><td><input id=a value=01.09.2026>"
        " <input id=b value=30.09.2026></td></tr></table>",
        "28.10.2026",
    ),
    "mask": (
        """<script>function mask(b) { const d = b.value.replace(/\\D/g, '').slice(0, 8);
             const s = d + '________'.slice(d.length);
             b.value = s.slice(0, 2) + '/' + s.slice(2, 4) + '/' + s.slice(4); }</script>
        Perioada <input id=a oninput=mask(this) onfocus=mask(this)>
        <input id=b oninput=mask(this) onfocus=mask(this)> (zz/ll/aaaa)""",
        "28/10/2026",
    ),
    "picker-empty-text": (
        """<script>
        function commit(b) { const m = /^(\\d\\d)\\.(\\d\\d)\\.(\\d{4})$/.exec(b.value);
          b.nextElementSibling.value = m ? m[3] + '-' + m[2] + '-' + m[1] : ''; }
        function focusBox(b) { if (b.dataset.empty) { b.value = ''; delete b.dataset.empty; } }
        </script>
        <label for=a>Perioada</label>
        <input id=a value=zz.ll.aaaa data-empty=1 onfocus=focusBox(this) onblur=commit(this)><input
          type=hidden id=a_iso> <label for=b>până la</label>
        <input id=b value=zz.ll.aaaa data-empty=1 onfocus=focusBox(this) onblur=commit(this)><input
          type=hidden id=b_iso>""",
        "28.10.2026",
    ),
    # A picker that only shows its empty text ("Perioada de la") and says nothing about the
    # format: a wrong one turns the text red, so the usual formats are tried in turn.
    "picker-says-nothing": (
        """<style>.bad { color: #c00 }</style><script>
        function commit(b) { const m = /^(\\d\\d)\\.(\\d\\d)\\.(\\d{4})$/.exec(b.value);
          b.className = m || !b.value ? '' : 'bad';
          b.nextElementSibling.value = m ? m[3] + '-' + m[2] + '-' + m[1] : ''; }
        function focusBox(b) { if (b.dataset.empty) { b.value = ''; delete b.dataset.empty; } }
        </script><p>
        <input id=a value="Perioada de la" data-empty=1 onfocus=focusBox(this)
          onblur=commit(this)><input type=hidden id=a_iso>
        <input id=b value="Perioada până la" data-empty=1 onfocus=focusBox(this)
          onblur=commit(this)><input type=hidden id=b_iso></p>""",
        "28.10.2026",
    ),
}


@pytest.mark.parametrize("markup", sorted(PAGE_FORMATS))
def test_perioada_is_typed_in_the_format_the_page_shows(kit: Kit, markup: str) -> None:
    html, expected = PAGE_FORMATS[markup]
    kit.page.set_content(html)
    typed = fill_period(kit.finder, date(2026, 10, 28), date(2026, 11, 28), "%d/%m/%Y")
    assert typed[0] == expected
    assert kit.page.input_value("#a") == expected
    if markup.startswith("picker"):
        # The picker took it: what the server reads is the companion's ISO value.
        assert kit.page.input_value("#a_iso") == "2026-10-28"
        assert kit.page.input_value("#b_iso") == "2026-11-28"


def test_what_worked_last_time_is_tried_first_and_a_change_is_noted(kit: Kit) -> None:
    kit.page.set_content(
        "<button id=named>Trimite alerta</button><span id=titled title='Trimite alerta'>✉</span>"
    )
    learned = Finder(kit.page.context, {}, timeout_s=1, learned={"alerts_send": "title"})
    found = learned.find(alerts.SEND)
    assert found.locator.get_attribute("id") == "titled" and learned.changed == {}
    kit.page.set_content("<button id=named>Trimite alerta</button>")
    assert learned.find(alerts.SEND).locator.get_attribute("id") == "named"
    assert learned.changed == {"alerts_send": ("title", "name")}
    assert learned.used == {"alerts_send": "name"}


RADMENU = """
<style> .rmSlide { display: none } .rmItem:hover > .rmSlide { display: block } </style>
<div class=RadMenu><ul class=rmRootGroup>
  <li class=rmItem><a class=rmLink href=#><span class=rmText>Acasă</span></a></li>
  <li class=rmItem><a class=rmLink href=#><span class=rmText>FUNCŢIONALITĂŢI</span></a>
    <div class=rmSlide><ul class=rmVertical>
      <li class=rmItem><a class=rmLink href=#><span class=rmText>Istoric alerte</span></a></li>
      <li class=rmItem><a class=rmLink href=#><span class=rmText>Alerte SMS</span></a></li>
      <li class=rmItem><a class=rmLink href=# onclick="s.hidden = false; return false"><span
        class=rmText>Alerte</span></a></li>
    </ul></div></li>
</ul></div>
<div id=s hidden><button>Configurează trimitere alertă</button></div>
"""


def test_a_telerik_style_menu_with_decoys_and_capitals(kit: Kit) -> None:
    kit.page.set_content(RADMENU)
    open_menu(kit.finder, ALERTS_PATH, arrived=alerts.CONFIGURE)
    assert kit.page.locator("#s").is_visible()
