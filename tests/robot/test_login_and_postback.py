"""Login screens we have never seen, and a portal that reloads the whole page on every click."""

from __future__ import annotations

import html

import pytest
from pydantic import SecretStr

from emsys_rpa.errors import AccountLockedError, LoginRejectedError
from emsys_rpa.pages import alerts
from emsys_rpa.pages.locate import Target
from emsys_rpa.pages.login import LoginPage
from emsys_rpa.pages.menu import FUNCTIONALITIES
from emsys_rpa.pages.sending import SendingScreen

from .conftest import Kit, TinyServer

pytestmark = pytest.mark.browser

PASSWORD = "S3cret-Pa55word!"

LOGIN_FORM = """
<form method=post action=/login>
  {fields}
  <input type=submit value="Autentificare">
</form>
<p style="color:red">{error}</p>
"""
LABELLED = """<label for=u>Nume utilizator</label><input id=u name=u>
  <label for=p>Parolă</label><input id=p name=p type=password>"""
UNLABELLED = """<table><tr><td>👤</td><td><input name=u></td></tr>
  <tr><td>🔒</td><td><input name=p type=password></td></tr></table>"""
HOME = "<nav><a href=/x>Funcţionalităţi</a> <a href=/logout>Deconectare</a></nav>"


def _login_site(server: TinyServer, fields: str, refusal: str) -> None:
    def login(method: str, form: dict[str, list[str]]) -> str:
        if method == "POST":
            if form.get("u") == ["robot"] and form.get("p") == [PASSWORD]:
                return HOME
            return LOGIN_FORM.format(fields=fields, error=html.escape(refusal))
        return LOGIN_FORM.format(fields=fields, error="")

    server.routes["/login"] = login


@pytest.mark.parametrize("fields", [LABELLED, UNLABELLED], ids=["labelled", "unlabelled"])
def test_login_with_or_without_labels(kit: Kit, tiny_server: TinyServer, fields: str) -> None:
    _login_site(tiny_server, fields, "Utilizator sau parolă incorectă")
    kit.page.goto(tiny_server.url + "/login")
    LoginPage(kit.finder, kit.page, timeout_s=3).login(
        "robot", SecretStr(PASSWORD), signed_in=FUNCTIONALITIES, timeout_s=5
    )
    assert tiny_server.posts[-1] == {"u": ["robot"], "p": [PASSWORD]}
    assert kit.page.get_by_role("link", name="Deconectare").is_visible()


@pytest.mark.parametrize(
    ("refusal", "error"),
    [
        ("Utilizator sau parolă incorectă", LoginRejectedError),
        ("Contul este blocat. Contactați administratorul.", AccountLockedError),
    ],
)
def test_a_refused_login_says_what_the_portal_said(
    kit: Kit, tiny_server: TinyServer, refusal: str, error: type[Exception]
) -> None:
    _login_site(tiny_server, LABELLED, refusal)
    kit.page.goto(tiny_server.url + "/login")
    wrong = SecretStr("not-" + PASSWORD)
    with pytest.raises(error) as caught:
        LoginPage(kit.finder, kit.page, timeout_s=3).login(
            "robot", wrong, signed_in=FUNCTIONALITIES, timeout_s=5
        )
    assert refusal.split(".")[0] in str(caught.value)
    assert wrong.get_secret_value() not in str(caught.value)


# A postback portal: every click submits the form and the server draws the next page.
POSTBACK_PAGE = """
<form method=post action=/alerte>
  <h2>Alerte</h2>
  <input type=hidden name=step value="{step}">
  {body}
</form>
"""


def _postback_site(server: TinyServer, sends: list[int]) -> None:
    def alerte(method: str, form: dict[str, list[str]]) -> str:
        action = (form.get("action") or [""])[0]
        fundal = "fundal" in form
        if action == "send":
            sends.append(1)
            body = "<script>alert('Operaţia a fost programată cu succes.')</script>"
            body += "<div style='position:absolute;width:300px;height:100px'>Alegere modalitate"
            body += " <button name=action value=close>X</button></div>"
            return POSTBACK_PAGE.format(step="done", body=body)
        if action in ("choose", "tick") or (form.get("step") == ["choose"] and not action):
            checked = "checked" if fundal else ""
            body = f"""<div style='position:absolute;width:400px;height:150px'>
              <span>Alegere modalitate transmitere</span>
              <button name=action value=close>X</button><br>
              <input type=checkbox name=fundal {checked} onclick="this.form.submit()">Fundal
              <button name=action value=send>Trimite alerta</button>
              <button name=action value=close>Renunt</button></div>"""
            return POSTBACK_PAGE.format(step="choose", body=body)
        body = "<button name=action value=choose>Configureaza trimitere alerta</button>"
        return POSTBACK_PAGE.format(step="start", body=body)

    server.routes["/alerte"] = alerte


def test_a_full_postback_portal_gets_exactly_one_send_with_fundal(
    kit: Kit, tiny_server: TinyServer
) -> None:
    sends: list[int] = []
    _postback_site(tiny_server, sends)
    kit.page.goto(tiny_server.url + "/alerte")
    screen = SendingScreen(kit.finder, kit.dialogs, kit.windows, alerts.ALERTS)
    kit.finder.find(alerts.CONFIGURE).locator.click()
    screen.tick_background()
    message = screen.send(message_timeout_s=5)
    assert message is not None and message.via == "dialog"
    assert sends == [1]
    send_post = next(p for p in tiny_server.posts if p.get("action") == ["send"])
    assert "fundal" in send_post
    window = Target("w", "the window", lambda scope: [scope.get_by_text("Alegere modalitate")])
    kit.windows.close(window)
    assert sends == [1]
    assert kit.page.get_by_role("button", name="Configureaza trimitere alerta").is_visible()
