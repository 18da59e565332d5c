"""Talking to the mock portal over plain HTTP, as its WebForms pages do (for HTTP-level tests)."""

from __future__ import annotations

import re

import httpx

from emsys_rpa.mockportal import MockPortalClient

USER = "ctl00$MainContent$txtUtilizator"
PASSWORD = "ctl00$MainContent$txtParola"
P = "ctl00$MainContent$"
ALERTS = "/Alerte/Alerte.aspx"
INVOICES = "/Facturi/TransmitereFacturi.aspx"


def login(
    http: httpx.Client,
    portal: MockPortalClient,
    password: str | None = None,
    username: str | None = None,
) -> httpx.Response:
    return http.post(
        "/Login.aspx",
        data={USER: username or portal.username, PASSWORD: password or portal.password},
    )


def viewstate(html: str) -> str:
    found = re.search(r'name="__VIEWSTATE" id="__VIEWSTATE" value="([^"]*)"', html)
    assert found is not None
    return found.group(1)


def post_event(
    http: httpx.Client,
    path: str,
    target: str,
    argument: str = "",
    *,
    fields: dict[str, str] | None = None,
    asynchronous: bool = True,
    timeout_s: float = 30,
) -> httpx.Response:
    """Open ``path`` and post one event of it (``__doPostBack(P + target, argument)``)."""
    page = http.get(path)
    form = {
        "__VIEWSTATE": viewstate(page.text),
        "__EVENTTARGET": P + target,
        "__EVENTARGUMENT": argument,
        **(fields or {}),
    }
    if asynchronous:
        form["__ASYNCPOST"] = "true"
    return http.post(path, data=form, timeout=timeout_s)


def send(http: httpx.Client, path: str = ALERTS, **fields: str) -> httpx.Response:
    """Press Trimite with Fundal ticked (invoices: give the period's txtPerioadaDeLa/PanaLa)."""
    return post_event(
        http,
        path,
        "btnTrimite",
        fields={P + "chkFundal": "on", **{P + name: value for name, value in fields.items()}},
    )
