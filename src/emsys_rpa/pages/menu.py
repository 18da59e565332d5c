"""The portal's menu: Funcționalități → Alerte, Funcționalități → Transmitere facturi → ….

Menus open on hover, on click, or are always visible; the robot hovers first, clicks if the next
entry is still hidden, and knows it arrived when the screen's own first control is visible.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress

import structlog
from playwright.sync_api import Error as PlaywrightError

from emsys_rpa.pages.locate import Finder, Found, Look, Target, menu_entry

log = structlog.get_logger("emsys_rpa.pages.menu")

FUNCTIONALITIES = Target(
    "menu_functionalitati",
    "the menu entry “Funcționalități”",
    menu_entry("Funcționalități"),
)
ALERTS = Target("menu_alerte", "the menu entry “Alerte”", menu_entry("Alerte"))
INVOICE_SENDING = Target(
    "menu_transmitere_facturi",
    "the menu entry “Transmitere facturi”",
    menu_entry("Transmitere facturi"),
)
INVOICES_BY_EMAIL = Target(
    "menu_transmitere_facturi_email",
    "the menu entry “Transmitere Facturi prin E-mail/SMS”",
    menu_entry("Transmitere Facturi prin E-mail/SMS", "Transmitere Facturi prin E-mail"),
)

ALERTS_PATH = (FUNCTIONALITIES, ALERTS)
INVOICES_PATH = (FUNCTIONALITIES, INVOICE_SENDING, INVOICES_BY_EMAIL)

# How long a hover-opened submenu gets to appear before the entry is clicked instead.
_REVEAL_S = 1.5


def open_menu(finder: Finder, path: Sequence[Target], *, arrived: Target) -> None:
    """Walk ``path`` and wait for ``arrived``; a second walk if the first click led nowhere."""
    for attempt in (1, 2):
        _walk(finder, path, force_expand=attempt > 1)
        if attempt == 1:
            if finder.wait_for(arrived) is not None:
                return
            log.info("menu: screen did not open, walking the menu again", target=arrived.what)
        else:
            finder.find(arrived)


def _walk(finder: Finder, path: Sequence[Target], *, force_expand: bool) -> None:
    # The entry the previous level's hover revealed: already found, not looked for again.
    revealed: Found | None = None
    for index, entry in enumerate(path):
        following = path[index + 1] if index + 1 < len(path) else None
        if following is not None and not force_expand:
            shown, seen = _submenu_shown(finder, entry, following.roles_only(), revealed)
            if shown:
                revealed = None
                continue  # the submenu is already open (or always visible)
            revealed = seen
        if following is None:
            # A menu drawn without links is clicked by its text.
            found = (
                revealed
                or finder.wait_for(entry.roles_only(), timeout_s=_REVEAL_S)
                or finder.find(entry)
            )
            log.info("menu", click=entry.what)
            found.locator.click()
            return
        found = revealed or finder.find(entry)
        with suppress(PlaywrightError):
            _point_at(found)
        revealed = finder.wait_for(following.roles_only(), timeout_s=_REVEAL_S)
        if revealed is None:
            found.locator.click()


def _submenu_shown(
    finder: Finder, entry: Target, following: Target, seen: Found | None
) -> tuple[bool, Found | None]:
    """Is ``following`` shown already, and the ``entry`` (``seen``, if already found)? Both
    in one look where one look covers everything and the entry is still to be found."""
    look = following.find
    if seen is None and isinstance(look, Look) and not finder.override(following.key):
        found, answer = finder.look_with(entry, "perceive", look.args())
        if answer is not None:
            return bool(answer["found"]), found
    return finder.present(following), seen


def _point_at(found: Found) -> None:
    """Move the mouse over ``found``, as a person does to open its submenu.

    When the search just saw that the pointer at its middle reaches it in the window's own
    document, the mouse goes straight there: Playwright's hover would check the same again
    (in view, steady, on top) in several round trips. A hover has no effect of its own — if
    the submenu does not open, the entry is clicked — so this spares nothing that protects.
    """
    if found.middle is not None and found.frame.parent_frame is None:
        found.page.mouse.move(*found.middle)
    else:
        found.locator.hover()
