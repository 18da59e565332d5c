"""The main menu as data, for the menu styles drawn from it (every style but the historic one).

``decoys=yes`` adds entries whose text contains the wanted one, placed before it, as real
portals grow them: "Alerte SMS" and "Istoric alerte" next to "Alerte", "Retransmitere
Facturi prin E-mail/SMS" next to "Transmitere Facturi prin E-mail/SMS".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class MenuItem:
    text: str
    href: str = "javascript:void(0);"
    children: tuple[MenuItem, ...] = ()


# Pages a decoy leads to that the operator may not open (drawn like the other restricted pages).
DECOY_PAGES: Final = {
    "/Alerte/AlerteSMS.aspx": "Alerte SMS",
    "/Facturi/RetransmitereFacturi.aspx": "Retransmitere Facturi prin E-mail/SMS",
    "/Rapoarte/TransmitereFacturi.aspx": "Rapoarte transmitere facturi",
}


def menu_tree(*, decoys: bool) -> tuple[MenuItem, ...]:
    resend = MenuItem("Retransmitere Facturi prin E-mail/SMS", "/Facturi/RetransmitereFacturi.aspx")
    sending = (
        *((resend,) if decoys else ()),
        MenuItem("Transmitere Facturi prin E-mail/SMS", "/Facturi/TransmitereFacturi.aspx"),
        MenuItem("Transmitere Facturi prin poștă", "/Facturi/TransmitereFacturiPosta.aspx"),
    )
    features = (
        MenuItem("Confirmare facturi", "/Facturi/ConfirmareFacturi.aspx"),
        MenuItem("Listare facturi", "/Facturi/ListareFacturi.aspx"),
        *(
            (
                MenuItem("Alerte SMS", "/Alerte/AlerteSMS.aspx"),
                MenuItem("Istoric alerte", "/Alerte/Alerte.aspx?tab=istoric"),
            )
            if decoys
            else ()
        ),
        MenuItem("Alerte", "/Alerte/Alerte.aspx"),
        *(
            (MenuItem("Rapoarte transmitere facturi", "/Rapoarte/TransmitereFacturi.aspx"),)
            if decoys
            else ()
        ),
        MenuItem("Transmitere facturi", children=sending),
    )
    return (
        MenuItem("Acasă", "/Default.aspx"),
        MenuItem("Funcționalități", children=features),
        MenuItem(
            "Rapoarte",
            children=(
                MenuItem("Încasări", "/Rapoarte/Incasari.aspx"),
                MenuItem("Restanțe", "/Rapoarte/Restante.aspx"),
            ),
        ),
        MenuItem(
            "Administrare",
            children=(
                MenuItem("Utilizatori", "/Administrare/Utilizatori.aspx"),
                MenuItem("Parametri aplicație", "/Administrare/Parametri.aspx"),
            ),
        ),
    )
