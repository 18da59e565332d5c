"""Recognise which step of the procedure a portal request is, from its path and its event."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from emsys_rpa.mockportal.pages import (
    ALERT_CONFIG_WINDOW,
    ALERT_MODE_WINDOW,
    ALERTS,
    ALERTS_PATH,
    HOME_PATH,
    INVOICE_WINDOW,
    INVOICES,
    INVOICES_PATH,
    LOGIN_PATH,
    T_CLOSE,
    T_GRID,
    T_MODE,
    T_OK,
    T_OPEN,
    T_REFRESH,
    T_SEND,
    T_TABS,
)
from emsys_rpa.mockportal.steps import LOGOUT_PATH

_SCREEN_OF_PATH: Final = {
    ALERTS_PATH: "alerts",
    ALERT_CONFIG_WINDOW: "alerts",
    ALERT_MODE_WINDOW: "alerts",
    INVOICES_PATH: "invoices",
    INVOICE_WINDOW: "invoices",
}
_WINDOW_STEP: Final = {
    ALERT_CONFIG_WINDOW: "configure",
    ALERT_MODE_WINDOW: "method",
    INVOICE_WINDOW: "configure",
}
_EVENT_STEP: Final = {
    T_SEND: "send",
    T_OK: "ok",
    T_CLOSE: "close",
    T_OPEN: "configure",
    T_MODE: "method",
    T_REFRESH: "refresh",
}
_HISTORY_TABS: Final = {ALERTS.history_tab, INVOICES.history_tab}


def classify(method: str, path: str, query: Mapping[str, str], form: Mapping[str, str]) -> str:
    """The step a portal request belongs to, e.g. ``alerts.send`` or ``login``."""
    if path in {"/", LOGIN_PATH}:
        return "login" if method == "POST" else "login_page"
    if path == HOME_PATH:
        return "home"
    if path == LOGOUT_PATH:
        return "logout"
    screen = _SCREEN_OF_PATH.get(path)
    if screen is None:
        return "other"
    return f"{screen}.{_screen_step(path, query, form)}"


def _screen_step(path: str, query: Mapping[str, str], form: Mapping[str, str]) -> str:
    target = form.get("__EVENTTARGET", "")
    argument = form.get("__EVENTARGUMENT", "")
    if target == T_TABS:
        return "history" if argument in _HISTORY_TABS else "tab"
    if target == T_GRID:
        kind = argument.partition("$")[0]
        return {"Page": "page", "Sort": "sort"}.get(kind, "other")
    if target:
        return _EVENT_STEP.get(target, "other")
    if path in _WINDOW_STEP:
        return _WINDOW_STEP[path]
    return "history" if query.get("tab") in _HISTORY_TABS else "screen"
