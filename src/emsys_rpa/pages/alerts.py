"""The Alerte screen (Funcționalități → Alerte) and its two windows."""

from __future__ import annotations

from emsys_rpa.history import SEND_DATE_HEADERS
from emsys_rpa.pages.locate import Target, checkbox, clickable, tab
from emsys_rpa.pages.menu import ALERTS_PATH
from emsys_rpa.pages.sending import Screen

SEND_LABEL = "Trimite alerta"
HISTORY_LABEL = "Istoric alerte"

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
    f"the button “{SEND_LABEL}”",
    clickable(SEND_LABEL, "Trimite alertele", "Trimite alerte"),
)
HISTORY_TAB = Target("alerts_history_tab", f"the tab “{HISTORY_LABEL}”", tab(HISTORY_LABEL))

ALERTS = Screen(
    send_label=SEND_LABEL,
    history_label=HISTORY_LABEL,
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
