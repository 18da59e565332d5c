"""Playwright page objects for EMSYS Portal Administrator, found by visible text and role.

``SELECTOR_KEYS`` lists every ``[selectors]`` key the page objects honour and how the control
is found when the key is not set; ``config.example.toml`` documents the same keys.
"""

from __future__ import annotations

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
    "alerts_background": "checkbox “Fundal” in the alerts window",
    "alerts_send": "button “Trimite alerta”",
    "alerts_history_tab": "tab “Istoric alerte”",
    # Transmitere Facturi
    "invoices_period_from": "first date input after “Perioada” (or labelled De la)",
    "invoices_period_to": "second date input after “Perioada” (or labelled Până la)",
    "invoices_configure": "button “Configurează transmiterea facturii”",
    "invoices_background": "checkbox “Fundal” in the invoices window",
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
    "alerts_history_next_page": "pager link Următoarea / › / »",
    "alerts_history_prev_page": "pager link Anterioara / ‹ / «",
    "alerts_history_last_page": "pager link Ultima / »» (else the highest page number)",
    "invoices_history_table": "(CSS only) the visible table or ARIA grid with a send-date column",
    "invoices_history_date_header": "column title, not a selector: Data trimitere E-mail",
    "invoices_history_next_page": "pager link Următoarea / › / »",
    "invoices_history_prev_page": "pager link Anterioara / ‹ / «",
    "invoices_history_last_page": "pager link Ultima / »» (else the highest page number)",
}
