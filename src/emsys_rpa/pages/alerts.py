"""The Alerte screen (Funcționalități → Alerte) and its two windows."""

from __future__ import annotations

from emsys_rpa.history import SEND_DATE_HEADERS
from emsys_rpa.pages.locate import Target, checkbox, clickable
from emsys_rpa.pages.menu import ALERTS_PATH
from emsys_rpa.pages.sending import Screen

CONFIGURE = Target(
    "alerts_configure",
    "the button “Configurează trimitere alertă”",
    clickable("Configurează trimitere alertă", "Configurează trimiterea alertelor"),
)
CHOOSE_METHOD = Target(
    "alerts_choose_method",
    "the button “Alegere modalitate transmitere alerte”",
    clickable("Alegere modalitate transmitere alerte", "Alegere modalitate transmitere"),
)
BACKGROUND = Target("alerts_background", "the “Fundal” checkbox (alerts)", checkbox("Fundal"))
SEND = Target(
    "alerts_send",
    "the button “Trimite alerta”",
    clickable("Trimite alerta", "Trimite alertele", "Trimite alerte"),
)
HISTORY_TAB = Target(
    "alerts_history_tab", "the tab “Istoric alerte”", clickable("Istoric alerte", loose=False)
)

ALERTS = Screen(
    menu=ALERTS_PATH,
    configure=CONFIGURE,
    # The first window is the one holding "Alegere modalitate…", the second holds Fundal.
    windows=(CHOOSE_METHOD, SEND),
    background=BACKGROUND,
    send=SEND,
    history_tab=HISTORY_TAB,
    history_key="alerts_history",
    history_date_headers=SEND_DATE_HEADERS,
)
