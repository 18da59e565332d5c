"""Windows (in-page dialogs, positioned boxes, iframes, popups) and information messages."""

from __future__ import annotations

import pytest

from emsys_rpa.pages import alerts
from emsys_rpa.pages.message import Verdict, await_message, judge
from emsys_rpa.pages.sending import SendingScreen
from emsys_rpa.pages.windows import AFTER_SEND, CANCEL_FIRST, CloseKind

from .conftest import Kit

pytestmark = pytest.mark.browser

CLICKS = "<script>window.clicks = []; function note(x) { window.clicks.push(x); }</script>"

NESTED_DIALOGS = (
    CLICKS
    + """
<div role=dialog id=w1 style="border:1px solid">
  <div>Configurare trimitere alertă
    <button aria-label=Close onclick="note('x1'); w1.hidden = true">×</button></div>
  <button onclick="w2.hidden = false">Alegere modalitate transmitere alerte</button>
  <button onclick="note('cancel1'); w1.hidden = true">Renunţ</button>
  <div role=dialog id=w2 hidden>
    <span>Alegere modalitate</span><a href='#' onclick="note('x2'); w2.hidden = true">X</a>
    <label><input type=checkbox> Fundal</label>
    <button>Trimite alerta</button>
    <button onclick="note('cancel2'); w2.hidden = true">Renunt</button>
  </div>
</div>"""
)


def test_nested_dialogs_close_innermost_first_with_x_after_a_send(kit: Kit) -> None:
    kit.page.set_content(NESTED_DIALOGS)
    kit.page.get_by_text("Alegere modalitate transmitere alerte").click()
    kit.windows.close(alerts.SEND)
    assert kit.page.evaluate("window.clicks") == ["x2"]
    assert kit.page.locator("#w1").is_visible()
    kit.windows.close(alerts.CHOOSE_METHOD)
    assert kit.page.evaluate("window.clicks") == ["x2", "x1"]


def test_dry_run_cancels_with_renunt(kit: Kit) -> None:
    kit.page.set_content(NESTED_DIALOGS)
    kit.page.get_by_text("Alegere modalitate transmitere alerte").click()
    screen = SendingScreen(kit.finder, kit.dialogs, kit.windows, alerts.ALERTS)
    screen.close_windows(cancel=True)
    assert kit.page.evaluate("window.clicks") == ["cancel2", "cancel1"]


POSITIONED_BOX = (
    CLICKS
    + """
<p>Some page text <a href='#'>X</a></p>
<div id=box style="position:absolute; top:80px; left:40px; width:400px; height:200px;
     background:#eee">
  <div style="background:navy; color:white">Informații
    <span style="float:right; cursor:pointer" onclick="note('x'); box.remove()">&times;</span>
  </div>
  <label><input type=checkbox> Fundal</label> <button>Trimite factura</button>
</div>"""
)


def test_a_positioned_box_is_a_window_and_its_own_x_is_used(kit: Kit) -> None:
    kit.page.set_content(POSITIONED_BOX)
    kit.windows.close(alerts.BACKGROUND)
    assert kit.page.evaluate("window.clicks") == ["x"]
    assert kit.page.locator("#box").count() == 0


IFRAME_WINDOW = (
    CLICKS
    + """
<div id=win style="position:fixed; top:50px; left:50px; width:500px; height:300px">
  <div>Alegere modalitate <a href='#' title="Închide" onclick="note('x'); win.remove()">
    <img alt="" src="data:," width=16 height=16></a></div>
  <iframe style="width:480px; height:240px" srcdoc="
    <input type=checkbox id=f><span>Fundal</span>
    <button onclick='parent.note(&quot;sent&quot;)'>Trimite alerta</button>"></iframe>
</div>"""
)


def test_a_window_drawn_as_an_iframe_is_closed_from_outside(kit: Kit) -> None:
    kit.page.set_content(IFRAME_WINDOW)
    found = kit.finder.find(alerts.BACKGROUND)
    assert found.frame is not kit.page.main_frame
    found.locator.click()
    kit.finder.find(alerts.SEND).locator.click()
    kit.windows.close(alerts.SEND)
    assert kit.page.evaluate("window.clicks") == ["sent", "x"]


POPUP_OPENER = """
<button onclick="
  const w = window.open('', 'cfg', 'width=500,height=300');
  w.document.write('<title>Configurare</title><label><input type=checkbox> Fundal</label>'
    + '<button>Trimite alerta</button>'
    + '<button onclick=&quot;window.close()&quot;>Renunț</button>');
  w.document.close();">Configurează trimitere alertă</button>
"""


def test_a_popup_window_is_found_and_closed(kit: Kit) -> None:
    kit.page.set_content(POPUP_OPENER)
    with kit.page.context.expect_page():
        kit.finder.find(alerts.CONFIGURE).locator.click()
    found = kit.finder.find(alerts.BACKGROUND)
    assert found.page is not kit.page
    kit.windows.close(alerts.SEND)
    assert [p for p in kit.page.context.pages if not p.is_closed()] == [kit.page]


def test_a_popup_without_close_button_is_closed_like_the_browser_x(kit: Kit) -> None:
    kit.page.set_content(POPUP_OPENER.replace("window.close()", "void 0").replace("Renunț", "?"))
    with kit.page.context.expect_page():
        kit.finder.find(alerts.CONFIGURE).locator.click()
    kit.windows.close(alerts.SEND)
    assert len(kit.page.context.pages) == 1


SEND_PAGE = """
<script>window.sends = 0;</script>
<div role=dialog><label><input type=checkbox id=f> Fundal</label>
<button onclick="MODE">Trimite alerta</button></div>
<div id=msg hidden style="position:fixed; top:10px; left:10px; width:300px; height:100px">
  <p>Operația a fost programată cu succes.</p>
  <button onclick="msg.hidden = true">OK</button></div>
"""


def _send_page(mode: str) -> str:
    return SEND_PAGE.replace("MODE", mode)


def test_an_alert_message_is_read_and_acknowledged(kit: Kit) -> None:
    kit.page.set_content(
        _send_page("window.sends++; setTimeout(() => alert('Operaţia a fost programată'), 300)")
    )
    screen = SendingScreen(kit.finder, kit.dialogs, kit.windows, alerts.ALERTS)
    message = screen.send(message_timeout_s=5)
    assert message is not None and message.via == "dialog"
    assert message.verdict is Verdict.SUCCESS
    assert kit.page.evaluate("window.sends") == 1


def test_an_html_message_is_read_and_its_ok_pressed(kit: Kit) -> None:
    kit.page.set_content(_send_page("window.sends++; msg.hidden = false"))
    screen = SendingScreen(kit.finder, kit.dialogs, kit.windows, alerts.ALERTS)
    message = screen.send(message_timeout_s=5)
    assert message is not None and message.via == "box"
    assert "programată cu succes" in message.text
    assert not kit.page.locator("#msg").is_visible()


def test_a_success_sentence_already_on_screen_is_not_taken_for_the_answer(kit: Kit) -> None:
    kit.page.set_content(
        "<p>Ultima transmitere: programată cu succes ieri.</p>"
        + _send_page("window.sends++; setTimeout(() => msg.hidden = false, 600)")
    )
    screen = SendingScreen(kit.finder, kit.dialogs, kit.windows, alerts.ALERTS)
    message = screen.send(message_timeout_s=5)
    assert message is not None and message.via == "box"
    assert message.text == "Operația a fost programată cu succes."


def test_a_confirm_before_sending_is_accepted_exactly_once(kit: Kit) -> None:
    kit.page.set_content(
        _send_page(
            "if (confirm('Sigur trimiteți?')) { window.sends++;"
            " if (confirm('Încă o dată?')) window.sends += 100; msg.hidden = false; }"
        )
    )
    screen = SendingScreen(kit.finder, kit.dialogs, kit.windows, alerts.ALERTS)
    message = screen.send(message_timeout_s=5)
    assert message is not None and message.verdict is Verdict.SUCCESS
    assert kit.page.evaluate("window.sends") == 1
    answers = [(d.kind, d.action) for d in kit.dialogs.seen]
    assert answers == [("confirm", "accepted"), ("confirm", "dismissed")]


def test_a_confirm_nobody_expects_is_refused(kit: Kit) -> None:
    kit.page.set_content("<button onclick='window.r = confirm(\"Ștergeți?\")'>Șterge</button>")
    kit.page.get_by_role("button").click()
    assert kit.page.evaluate("window.r") is False
    assert kit.dialogs.seen[-1].message == "Ștergeți?"


def test_no_message_means_none(kit: Kit) -> None:
    kit.page.set_content(_send_page("window.sends++"))
    screen = SendingScreen(kit.finder, kit.dialogs, kit.windows, alerts.ALERTS)
    assert screen.send(message_timeout_s=1) is None


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("Operaţia a fost programată cu succes.", Verdict.SUCCESS),
        ("Transmiterea a fost planificata", Verdict.SUCCESS),
        ("Eroare: nu s-a putut programa transmiterea", Verdict.FAILURE),
        ("Informare", Verdict.UNCLEAR),
    ],
)
def test_messages_are_judged_by_their_words(text: str, verdict: Verdict) -> None:
    assert judge(text) is verdict


THREE_WAYS_OUT = (
    CLICKS
    + """
<div role=dialog id=w>
  <span>Alegere modalitate</span>
  <button onclick="note('close'); w.hidden = true">Închide</button>
  <button onclick="note('cancel'); w.hidden = true">Renunț</button>
  <button aria-label=Close onclick="note('x'); w.hidden = true">×</button>
  <label><input type=checkbox> Fundal</label> <button>Trimite alerta</button>
</div>"""
)


@pytest.mark.parametrize(
    ("order", "clicked"), [(CANCEL_FIRST, "cancel"), (AFTER_SEND, "x")], ids=["cancel", "send"]
)
def test_the_order_not_the_page_decides_which_way_out(
    kit: Kit, order: tuple[CloseKind, ...], clicked: str
) -> None:
    # Renunț and X both after Închide on the page: the order alone picks one.
    kit.page.set_content(THREE_WAYS_OUT)
    kit.windows.close(alerts.SEND, order=order)
    assert kit.page.evaluate("window.clicks") == [clicked]
    assert not kit.page.locator("#w").is_visible()


_BADGE = "display:inline-block;width:22px;border-radius:11px;background:#2f79c0;color:#fff"


@pytest.mark.parametrize(
    "box",
    [
        # A badge floated beside the words, as RadWindow-style boxes draw their icon.
        '<div class=t>Informare</div><div><span style="float:left;width:22px">i</span>'
        "<span>Operația a fost programată cu succes.</span></div>",
        f'<p><span style="{_BADGE}">i</span><span>Operația a fost programată cu succes.</span></p>',
        '<div>Informare</div><p><i class="fa fa-info">!</i>'
        "Operația a fost programată cu succes.</p>",
        "<div>Informare</div><p><span aria-hidden=true>ℹ</span> Operația a fost programată"
        " cu succes.</p>",
    ],
    ids=["float", "badge", "i-tag", "aria-hidden"],
)
def test_the_message_is_read_without_its_icon(kit: Kit, box: str) -> None:
    kit.page.set_content(
        f'<div role=dialog id=m>{box}<button onclick="m.hidden = true">OK</button></div>'
    )
    message = await_message(kit.finder, kit.dialogs, kit.dialogs.mark(), timeout_s=5)
    assert message is not None
    assert message.text.endswith("Operația a fost programată cu succes."), message.text
    assert message.text in (
        "Operația a fost programată cu succes.",
        "Informare Operația a fost programată cu succes.",
    ), message.text
    assert message.verdict is Verdict.SUCCESS
