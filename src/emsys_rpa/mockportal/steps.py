"""The clerk's steps as the portal sees them: the names faults are armed at (``at=send:drop``).

A portal request is named ``SCREEN.STEP`` on the two work screens and their windows
(``alerts.send``, ``invoices.history``) and ``STEP`` elsewhere (``login``, ``home``); see
recognise.py for how the portal tells them apart.

Which steps reach the portal depends on the variant: with ``windows=dialog,updates=ajax`` the
windows open and close in the browser alone, so ``configure``, ``method`` and ``close`` never
arrive, and an HTML message's OK is posted only with ``updates=postback``.
"""

from __future__ import annotations

from typing import Final

LOGOUT_PATH: Final = "/Logout.aspx"

# Step name: what the clerk does (README "Mock portal" → Faults armed at a step).
STEPS: Final = {
    "login_page": "open the login page (GET /Login.aspx or /)",
    "login": "submit the login form",
    "home": "the home page after login",
    "screen": "open Alerte or Transmitere Facturi (menu link)",
    "tab": "switch to a screen's first tab",
    "history": "open the history tab (Istoric alerte, Istoric facturi E-mail/SMS)",
    "configure": "open the configuration window (Configurează trimitere …)",
    "method": "open Alegere modalitate transmitere alerte",
    "send": "press Trimite alerta / Trimite factura",
    "ok": "press OK on the information message",
    "close": "close a window (X, Renunț)",
    "page": "a history pager link",
    "sort": "a history column header (sort)",
    "refresh": "press Reîmprospătează",
    "logout": "Deconectare",
    "other": "any other portal page or event",
}
# Names that match several steps (in a fault's ``at=``, never in the request log).
GROUPS: Final = {"any": frozenset(STEPS), "grid": frozenset({"page", "sort"})}
SCREENS: Final = ("alerts", "invoices")


def step_matches(pattern_screen: str | None, pattern_step: str, step: str) -> bool:
    """Whether a request's step (``alerts.send``) is one a fault's ``at=`` names."""
    screen, _, name = step.rpartition(".")
    if pattern_screen is not None and pattern_screen != screen:
        return False
    return name in GROUPS.get(pattern_step, frozenset({pattern_step}))
