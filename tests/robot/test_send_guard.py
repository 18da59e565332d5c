"""Trimite that cannot be pressed fails before anything is recorded or pressed; Trimite that
can (even scrolled out of view) is pressed exactly once."""

from __future__ import annotations

import pytest

from emsys_rpa.errors import ControlNotOperableError
from emsys_rpa.pages import alerts
from emsys_rpa.pages.sending import SendingScreen

from .conftest import Kit

pytestmark = pytest.mark.browser

MESSAGE = """<div id=msg hidden role=alertdialog><span>Operația a fost programată cu succes.</span>
  <button onclick="msg.hidden = true">OK</button></div>
<script>var presses = 0;</script>"""
SEND = """<button id=send onclick="presses++; msg.hidden = false">Trimite alerta</button>"""

COVERED = f"""<div role=dialog style="position:relative">{SEND}
  <div style="position:absolute; inset:0; background:rgba(0,0,0,.3)">se încarcă…</div>
</div>{MESSAGE}"""
DISABLED = f"<div role=dialog>{SEND.replace('<button ', '<button disabled ')}</div>{MESSAGE}"
FAR_DOWN = f"<div style='height:3000px'></div><div role=dialog>{SEND}</div>{MESSAGE}"


def _send(kit: Kit, intents: list[str]) -> object:
    screen = SendingScreen(kit.finder, kit.dialogs, kit.windows, alerts.ALERTS)
    return screen.send(message_timeout_s=3, before_click=lambda: intents.append("intent"))


@pytest.mark.parametrize("markup", [COVERED, DISABLED], ids=["covered", "disabled"])
def test_a_trimite_that_cannot_be_pressed_fails_before_the_intent(kit: Kit, markup: str) -> None:
    kit.page.set_content(markup)
    kit.page.set_default_timeout(1500)  # the trial click waits this long for it to be enabled
    intents: list[str] = []
    with pytest.raises(ControlNotOperableError, match="could not press"):
        _send(kit, intents)
    assert intents == []
    assert kit.page.evaluate("presses") == 0


def test_a_trimite_out_of_view_is_scrolled_to_and_pressed_once(kit: Kit) -> None:
    kit.page.set_content(FAR_DOWN)
    intents: list[str] = []
    message = _send(kit, intents)
    assert message is not None
    assert intents == ["intent"]
    assert kit.page.evaluate("presses") == 1
