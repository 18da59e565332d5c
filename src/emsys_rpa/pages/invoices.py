"""The Transmitere Facturi prin E-mail/SMS screen: Perioada, one window, Istoric facturi."""

from __future__ import annotations

from datetime import date
from typing import Any

import structlog
from playwright.sync_api import Error as PlaywrightError

from emsys_rpa.dateformat import page_format
from emsys_rpa.errors import ElementNotFoundError
from emsys_rpa.history import SEND_DATE_HEADERS
from emsys_rpa.pages.locate import Finder, Found, Target, checkbox, clickable, tab, text_box
from emsys_rpa.pages.menu import INVOICES_PATH
from emsys_rpa.pages.sending import Screen
from emsys_rpa.textmatch import fold

log = structlog.get_logger("emsys_rpa.pages.invoices")

SEND_LABEL = "Trimite factura"
HISTORY_LABEL = "Istoric facturi E-mail/SMS"

CONFIGURE = Target(
    "invoices_configure",
    "the button “Configurează transmiterea facturii”",
    clickable("Configurează transmiterea facturii", "Configurează transmiterea facturilor"),
)
BACKGROUND = Target("invoices_background", "the “Fundal” checkbox (invoices)", checkbox("Fundal"))
SEND = Target(
    "invoices_send",
    f"the button “{SEND_LABEL}”",
    clickable(SEND_LABEL, "Trimite facturile", "Trimite facturi"),
)
HISTORY_TAB = Target(
    "invoices_history_tab",
    f"the tab “{HISTORY_LABEL}”",
    tab(HISTORY_LABEL, "Istoric facturi"),
)

INVOICES = Screen(
    send_label=SEND_LABEL,
    history_label=HISTORY_LABEL,
    menu=INVOICES_PATH,
    configure=CONFIGURE,
    windows=(SEND,),
    background=BACKGROUND,
    send=SEND,
    history_tab=HISTORY_TAB,
    history_key="invoices_history",
    history_date_headers=("Data trimitere E-mail", *SEND_DATE_HEADERS),
)

PERIOD_FROM = Target(
    "invoices_period_from",
    "the first date field of “Perioada”",
    text_box(
        "Perioada",
        "Perioada de la",
        "De la",
        "Data de început",
        "Data început",
        "Început",
        near="Perioada",
        nth=0,
    ),
)
PERIOD_TO = Target(
    "invoices_period_to",
    "the second date field of “Perioada”",
    text_box(
        "Perioada până la",
        "Până la",
        "La",
        "Data de sfârșit",
        "Data sfârșit",
        "Sfârșit",
        near="Perioada",
        nth=1,
    ),
)


def date_format_of(field: Found) -> str | None:
    """The format the date box asks for: its value, its mask or the hint beside it; None when
    the page does not say."""
    try:
        seen: Any = field.run("datehint", on_box=True)
    except PlaywrightError:
        seen = None
    if not seen:
        return None
    if seen["type"] == "date":
        return "%Y-%m-%d"
    return page_format(
        seen["value"], (seen["placeholder"], seen["title"], seen["row"], seen["after"])
    )


# A box that is no longer there is looked for anew after this long.
_GONE_MS = 2000
# Formats a clerk tries, in turn, in a box that says nothing about the one it wants.
COMMON_FORMATS = ("%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d-%m-%Y")


def _type_in_its_format(field: Found, day: date, default_format: str) -> str:
    """Type ``day`` as the box asks; if it does not say, as configured, then as a clerk would
    try the usual formats until the box stops showing the date in red."""
    said = date_format_of(field)
    if said is not None:
        if said != default_format:
            log.info("date format read from the page", format=said, configured=default_format)
        formats: tuple[str, ...] = (said,)
    else:
        formats = (default_format, *(f for f in COMMON_FORMATS if f != default_format))
    text = ""
    for form in formats:
        text = day.strftime(form)
        if _type_date(field, text):
            if form != default_format:
                log.info("the date box took another format", format=form)
            return text
    return text


def fill_period(finder: Finder, start: date, end: date, default_format: str) -> tuple[str, str]:
    """Type both ends of Perioada in the format the page asks for and read them back; a
    postback may not keep a value. Returns both ends as typed.

    The boxes are found once: a box known only by the hint shown in it ("Perioada de la")
    cannot be found that way once a date is in it, so the same boxes are used again.
    """
    ends = ((PERIOD_FROM, start), (PERIOD_TO, end))
    fields = [finder.find(target) for target, _ in ends]
    typed = (
        _type_in_its_format(fields[0], start, default_format),
        _type_in_its_format(fields[1], end, default_format),
    )
    values: list[str] = []
    for attempt in range(3):
        read = [_read_back(finder, f, t) for f, (t, _) in zip(fields, ends, strict=True)]
        fields, values = [f for f, _ in read], [v for _, v in read]
        if _same_dates(values, typed, (start, end)):
            log.info("Perioada filled", period_from=typed[0], period_to=typed[1])
            return typed
        log.info("Perioada read back differently, typing again", attempt=attempt + 1, got=values)
        for field, text in zip(fields, typed, strict=True):
            _type_date(field, text)
    raise ElementNotFoundError(
        f"Perioada does not keep the dates {typed[0]} – {typed[1]} (it shows {values})",
        hint="set invoices_period_from / invoices_period_to under [selectors], "
        "or portal.date_format",
    )


def _read_back(finder: Finder, field: Found, target: Target) -> tuple[Found, str]:
    """The box's value now: the same box if it is still shown (a postback redraws it in the
    same place), else the box found anew."""
    try:
        state: Any = field.run("datefield", {"mode": "read"}, on_box=True, timeout_ms=_GONE_MS)
        if state["shown"]:
            return field, str(state["value"])
    except PlaywrightError:
        pass
    field = finder.find(target)
    return field, field.box.input_value()


def _type_date(field: Found, value: str) -> bool:
    """Type ``value`` into the box and leave it; False if the box shows it refuses it."""
    box = field.box
    box.fill(value)
    try:
        state: Any = field.run("datefield", {"mode": "check", "expected": value}, on_box=True)
        if not state["left"]:
            # A masked/date-picker input that rewrote what fill() put in: type it key by key.
            box.click()
            box.press("ControlOrMeta+a")
            box.press_sequentially(value)
            state = field.run("datefield", {"mode": "leave"}, on_box=True)
    except PlaywrightError:
        return True  # the page changed under it (a postback): the read-back will tell
    return not state["refused"]


def _same_dates(values: list[str], typed: tuple[str, str], iso: tuple[date, date]) -> bool:
    return all(
        fold(v) in (fold(t), d.isoformat()) for v, t, d in zip(values, typed, iso, strict=True)
    )
