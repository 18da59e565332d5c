"""Perioada's date boxes, one kind per ``dates`` variant: what they show and what they accept.

Every kind but the historic ``slash`` one is strict: the server parses exactly the format its
page shows (the hint beside the box, or the date picker's display format) and refuses any
other with a red message, so a date typed the wrong way round is never silently taken for
another day. ``picker`` is Telerik's RadDatePicker: the visible box is only for display and
typing; a hidden companion input carries the ISO value, and that is what the server reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final

from emsys_rpa.mockportal.clock import parse_ro_date

ERR_PERIOD: Final = "Perioada nu este completată corect (zz/ll/aaaa)."
P: Final = "ctl00$MainContent$"


@dataclass(frozen=True)
class DateKind:
    name: str
    hint: str  # the format as the page spells it for a person (zz = day, ll = month, aaaa = year)
    display: str  # strftime of what the box shows
    # What the server accepts (for the picker: its companion's ISO value); None: the lenient
    # historic parser.
    strict: re.Pattern[str] | None
    order: str = "dmy"  # the order of the three numbers in ``strict``'s groups

    @property
    def error(self) -> str:
        return ERR_PERIOD.replace("zz/ll/aaaa", self.hint)

    @property
    def picker(self) -> bool:
        return self.name == "picker"

    def field_names(self) -> dict[str, str]:
        """The form fields the server reads for the two ends of Perioada."""
        if self.picker:
            return {"de": P + "rdpPerioadaDeLa", "pana": P + "rdpPerioadaPanaLa"}
        return {"de": P + "txtPerioadaDeLa", "pana": P + "txtPerioadaPanaLa"}

    def parse_posted(self, text: str) -> date | None:
        """A posted value (the companion's ISO value for the picker); None if refused."""
        if self.strict is None:
            return parse_ro_date(text)
        found = self.strict.fullmatch(text.strip())
        if found is None:
            return None
        numbers = dict(zip(self.order, found.groups(), strict=True))
        try:
            return date(int(numbers["y"]), int(numbers["m"]), int(numbers["d"]))
        except ValueError:
            return None

    def posted(self, day: date) -> str:
        """What the browser posts for ``day`` (the picker posts its ISO companion)."""
        return day.isoformat() if self.picker else day.strftime(self.display)

    def shown(self, posted: str) -> str:
        """A posted value as the page shows it again (the picker turns ISO into its format)."""
        if self.picker:
            day = self.parse_posted(posted)
            return day.strftime(self.display) if day else ""
        return posted


ISO: Final = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
DOTTED: Final = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
MASKED: Final = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
# The picker's companion always holds yyyy-mm-dd, two digits each (what RadDatePicker writes).
COMPANION: Final = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

DATE_KINDS: Final = {
    "slash": DateKind("slash", "zz/ll/aaaa", "%d/%m/%Y", None),
    "dot": DateKind("dot", "zz.ll.aaaa", "%d.%m.%Y", DOTTED),
    "iso": DateKind("iso", "aaaa-ll-zz", "%Y-%m-%d", ISO, "ymd"),
    "mask": DateKind("mask", "zz/ll/aaaa", "%d/%m/%Y", MASKED),
    "picker": DateKind("picker", "zz.ll.aaaa", "%d.%m.%Y", COMPANION, "ymd"),
}
