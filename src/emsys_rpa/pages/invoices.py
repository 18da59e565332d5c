"""The Transmitere Facturi prin E-mail/SMS screen: Perioada, one window, Istoric facturi."""

from __future__ import annotations

from datetime import date

import structlog
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from emsys_rpa.errors import ElementNotFoundError
from emsys_rpa.history import SEND_DATE_HEADERS
from emsys_rpa.pages.locate import (
    TEXT_INPUT,
    Builder,
    Finder,
    Scope,
    Target,
    checkbox,
    clickable,
)
from emsys_rpa.pages.menu import INVOICES_PATH
from emsys_rpa.pages.sending import Screen
from emsys_rpa.textmatch import fold, label_regex, xpath_folded_contains

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
    clickable(HISTORY_LABEL, "Istoric facturi", loose=False),
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

_TEXTISH = "input[not(@type) or @type='text' or @type='date' or @type='search' or @type='tel']"
_PERIOD_TEXT = f"(//text()[{xpath_folded_contains('.', 'Perioada')}])[1]"


def _period_input(position: int, labels: tuple[str, ...]) -> Builder:
    def build(scope: Scope) -> list[Locator]:
        exact = label_regex(*labels, exact=True)
        return [
            scope.get_by_label(exact).and_(scope.locator(TEXT_INPUT)),
            # The n-th input after the word "Perioada": "Perioada [from] - [to]".
            scope.locator(f"xpath={_PERIOD_TEXT}/following::{_TEXTISH}[{position}]"),
        ]

    return build


PERIOD_FROM = Target(
    "invoices_period_from",
    "the first date field of “Perioada”",
    _period_input(
        1,
        ("Perioada", "Perioada de la", "De la", "Data de început", "Data început", "Început"),
    ),
)
PERIOD_TO = Target(
    "invoices_period_to",
    "the second date field of “Perioada”",
    _period_input(
        2,
        ("Perioada până la", "Până la", "La", "Data de sfârșit", "Data sfârșit", "Sfârșit"),
    ),
)


def fill_period(finder: Finder, start: str, end: str, iso: tuple[date, date]) -> None:
    """Type both ends of Perioada and read them back; a postback may not keep a value."""
    for attempt in range(3):
        for target, typed, day in ((PERIOD_FROM, start, iso[0]), (PERIOD_TO, end, iso[1])):
            field = finder.find(target).locator
            _type_date(field, typed, day)
        values = [finder.find(t).locator.input_value() for t in (PERIOD_FROM, PERIOD_TO)]
        if _same_dates(values, (start, end), iso):
            log.info("Perioada filled", period_from=start, period_to=end)
            return
        log.info("Perioada read back differently, typing again", attempt=attempt + 1, got=values)
    raise ElementNotFoundError(
        f"Perioada does not keep the dates {start} – {end} (it shows {values})",
        hint="set invoices_period_from / invoices_period_to under [selectors], "
        "or portal.date_format",
    )


def _type_date(field: Locator, typed: str, day: date) -> None:
    kind = (field.get_attribute("type") or "text").lower()
    value = day.isoformat() if kind == "date" else typed
    field.fill(value)
    if field.input_value() != value:
        # A masked/date-picker input that rewrites what fill() put in: type it key by key.
        try:
            field.click()
            field.press("ControlOrMeta+a")
            field.press_sequentially(value)
        except PlaywrightError:
            return


def _same_dates(values: list[str], typed: tuple[str, str], iso: tuple[date, date]) -> bool:
    return all(
        fold(v) in (fold(t), d.isoformat()) for v, t, d in zip(values, typed, iso, strict=True)
    )
