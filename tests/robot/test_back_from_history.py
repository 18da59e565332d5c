"""After the pre-check in Istoric alerte, the robot returns to the screen as a person would:
by the tab the screen showed (told apart in strips drawn the ways toolkits draw them), by
nothing at all when the button is still shown, and by the menu when the strip says nothing."""

from __future__ import annotations

import pytest

from emsys_rpa.pages import alerts
from emsys_rpa.pages.sending import SendingScreen

from .conftest import Kit, TinyServer

pytestmark = pytest.mark.browser

# The screen redraws its body in place (a partial update): Back would leave the screen.
SCREEN = """<nav><a href="#" onclick="return false">Funcționalități</a>
<a href="#" onclick="show('config'); return false">Alerte</a></nav>
{strip}
<div id=body></div>
<script>
function show(tab) {{
  document.getElementById('body').innerHTML = tab === 'config'
    ? '<table><tr><th>Alerta</th></tr></table><button>Configurează trimitere alertă</button>'
    : '<table><tr><th>Data trimitere</th><th>Alerta</th></tr></table>';
  document.querySelectorAll('[data-tab]').forEach(t => {{
    const on = t.dataset.tab === tab;
    t.setAttribute('class', on ? t.dataset.on : t.dataset.off);
    if (t.hasAttribute('aria-selected')) t.setAttribute('aria-selected', on ? 'true' : 'false');
  }});
  return false;
}}
show('config');
</script>"""

TWO_PLAIN = """<style>.x { background: #fff; font-weight: bold } .y { background: #dde }</style>
<div><a href="#" data-tab=config data-on=x data-off=y onclick="return show('config')"
>Configurare alerte</a> <a href="#" data-tab=istoric data-on=x data-off=y
onclick="return show('istoric')">Istoric alerte</a></div>"""


def _li(tab: str, text: str) -> str:
    return (
        f'<li><a href="#" data-tab={tab} data-on="rtsLink rtsSelected" data-off=rtsLink '
        f"onclick=\"return show('{tab}')\"><span class=rtsOut><span class=rtsIn>"
        f"<span class=rtsTxt>{text}</span></span></span></a></li>"
    )


TELERIK_THREE = (
    "<div class=RadTabStrip><ul style='display:flex; list-style:none'>"
    + _li("setari", "Setări")
    + _li("config", "Configurare")
    + _li("istoric", "Istoric alerte")
    + "</ul></div>"
)
ARIA_THREE = """<div role=tablist>
<span role=tab aria-selected=false data-tab=a data-on=t data-off=t
 onclick="show('a')">Șabloane</span>
<span role=tab aria-selected=true data-tab=config data-on=t data-off=t
 onclick="show('config')">Alerte active</span>
<span role=tab aria-selected=false data-tab=istoric data-on=t data-off=t
 onclick="show('istoric')">Istoric alerte</span></div>"""
THREE_UNMARKED = TELERIK_THREE.replace("rtsSelected", "rtsOn")


def _screen(kit: Kit, tiny_server: TinyServer, strip: str) -> SendingScreen:
    tiny_server.routes["/alerte"] = lambda method, form: SCREEN.format(strip=strip)
    kit.page.goto(tiny_server.url + "/alerte")
    return SendingScreen(kit.finder, kit.dialogs, kit.windows, alerts.ALERTS)


@pytest.mark.parametrize(
    ("strip", "home"),
    [
        (TWO_PLAIN, "Configurare alerte"),
        (TELERIK_THREE, "Configurare"),
        (ARIA_THREE, "Alerte active"),
    ],
    ids=["two-tabs", "telerik-selected-class", "aria-selected"],
)
def test_the_screens_own_tab_brings_its_button_back(
    kit: Kit, tiny_server: TinyServer, strip: str, home: str
) -> None:
    screen = _screen(kit, tiny_server, strip)
    remembered = screen.open_history(remember_home=True)
    assert remembered is not None and remembered.text == home
    configure = kit.page.get_by_role("button", name="Configurează trimitere alertă")
    configure.wait_for(state="detached")

    assert screen.back_from_history(remembered) == "tab"
    assert configure.is_visible()


def test_a_strip_that_does_not_say_which_tab_is_shown_sends_the_robot_by_the_menu(
    kit: Kit, tiny_server: TinyServer
) -> None:
    screen = _screen(kit, tiny_server, THREE_UNMARKED)
    remembered = screen.open_history(remember_home=True)
    assert remembered is None

    assert screen.back_from_history(remembered) == "menu"
    assert kit.page.get_by_role("button", name="Configurează trimitere alertă").is_visible()


def test_a_button_shown_beside_the_history_needs_no_way_back_when_no_tab_is_known(
    kit: Kit, tiny_server: TinyServer
) -> None:
    beside = SCREEN.replace(
        "<div id=body>", "<button>Configurează trimitere alertă</button><div id=body>"
    )
    tiny_server.routes["/alerte"] = lambda method, form: beside.format(strip=THREE_UNMARKED)
    kit.page.goto(tiny_server.url + "/alerte")
    screen = SendingScreen(kit.finder, kit.dialogs, kit.windows, alerts.ALERTS)
    remembered = screen.open_history(remember_home=True)

    assert screen.back_from_history(remembered) == "shown"
    assert kit.page.get_by_text("Data trimitere").is_visible()  # still on the history


# A toolbar, not tabs: two look-alike buttons, one of them destructive.
TOOLBAR = """<div><button type=button data-tab=istoric data-on=b data-off=b
 onclick="show('istoric')">Istoric alerte</button> <button type=button data-tab=sterge data-on=b
 data-off=b onclick="window.wiped = true">Șterge istoricul</button></div>"""


def test_two_look_alike_buttons_are_not_taken_for_tabs(kit: Kit, tiny_server: TinyServer) -> None:
    screen = _screen(kit, tiny_server, TOOLBAR)
    remembered = screen.open_history(remember_home=True)
    assert remembered is None

    assert screen.back_from_history(remembered) == "menu"
    assert kit.page.evaluate("window.wiped === undefined")  # the other button was never pressed
