"""Every ``[selectors]`` key the page objects honour, and how each control is found without it.

``config.example.toml`` documents the same keys; settings reject any other key, naming the
nearest valid one (a typo must not silently leave the built-in search in place).
"""

from __future__ import annotations

import difflib

SELECTOR_KEYS: dict[str, str] = {
    # Login screen
    "login_username": "field labelled Utilizator / Nume utilizator / User / E-mail, else the "
    "login form's only text input",
    "login_password": "the login form's password input",
    "login_submit": "button Autentificare / Conectare / Login, else the form's submit button",
    "login_error": "role=alert or text such as “incorect”, “invalid”, “blocat”",
    "logout": "link or button Deconectare / Ieșire / Logout",
    # Menu
    "menu_functionalitati": "menu entry “Funcționalități”",
    "menu_alerte": "menu entry “Alerte”",
    "menu_transmitere_facturi": "menu entry “Transmitere facturi”",
    "menu_transmitere_facturi_email": "menu entry “Transmitere Facturi prin E-mail/SMS”",
    # Alerte
    "alerts_configure": "button “Configurează trimitere alertă”",
    "alerts_choose_method": "button “Alegere modalitate transmitere alerte”",
    "alerts_background": "checkbox-like control next to “Fundal” in the alerts window (its "
    "label is clicked when drawn over a hidden box)",
    "alerts_send": "button “Trimite alerta”",
    "alerts_history_tab": "tab “Istoric alerte”",
    # Transmitere Facturi
    "invoices_period_from": "text box labelled Perioada / De la (label or placeholder), else "
    "the first visible text box in the row of “Perioada”",
    "invoices_period_to": "text box labelled Până la (label or placeholder), else the second "
    "visible text box in the row of “Perioada”",
    "invoices_configure": "button “Configurează transmiterea facturii”",
    "invoices_background": "checkbox-like control next to “Fundal” in the invoices window (its "
    "label is clicked when drawn over a hidden box)",
    "invoices_send": "button “Trimite factura”",
    "invoices_history_tab": "tab “Istoric facturi E-mail/SMS”",
    # Windows and the information message
    "window_close": "inside the window: X / × / Închide, else Renunț",
    "message_ok": "button “OK” of the information message (a native alert needs none)",
    "message_text": "text “…programată cu succes” shown without an OK button",
    # History grids (alerts_history_* and invoices_history_*)
    "history_refresh": "button Reîmprospătează / Actualizează / Refresh, if the screen has one",
    "alerts_history_table": "(CSS only) the visible table or ARIA grid with a send-date column",
    "alerts_history_date_header": "column title, not a selector: Data trimitere, Data "
    "transmitere, …",
    "alerts_history_next_page": "pager control Următoarea / Next / › / >, else the next page "
    "number or the “...” after the numbers",
    "alerts_history_prev_page": "pager control Anterioara / Previous / ‹ / <, else the "
    "previous page number or the “...” before the numbers",
    "alerts_history_last_page": "pager control Ultima / Last / »» (else a page box, sorting by "
    "the send date, or walking forward)",
    "invoices_history_table": "(CSS only) the visible table or ARIA grid with a send-date column",
    "invoices_history_date_header": "column title, not a selector: Data trimitere E-mail",
    "invoices_history_next_page": "pager control Următoarea / Next / › / >, else the next page "
    "number or the “...” after the numbers",
    "invoices_history_prev_page": "pager control Anterioara / Previous / ‹ / <, else the "
    "previous page number or the “...” before the numbers",
    "invoices_history_last_page": "pager control Ultima / Last / »» (else a page box, sorting "
    "by the send date, or walking forward)",
}


def unknown_selector_key(key: str) -> str:
    """The sentence for a ``[selectors]`` key that does not exist, with the nearest valid one."""
    near = difflib.get_close_matches(key, SELECTOR_KEYS, n=1, cutoff=0.6)
    hint = f"; did you mean `{near[0]}`?" if near else "; see config.example.toml for the keys"
    return f"unknown key `{key}`{hint}"
