"""A grid's pager as a clerk reads it, and where to click next: pure, no browser.

Pagers come in many shapes: « Prima ‹ Anterioară 1 2 3 Următoarea › Ultima »; GridView's
numeric blocks with a ``...`` link on *both* sides (``< ... 11 12 … 20 ... >``); image buttons
named only by their title; a page box ("Pagina [3] din 57" + Mergi); previous/next words only;
a lone ``»`` that is "next" in one pager and "last" in another. ``classify`` turns the texts
the page shows into a ``Pager``; its methods say which control moves towards the end, or one
page back or forward, without ever going back to a page already seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from emsys_rpa.textmatch import fold, folded_source


class Kind(StrEnum):
    NUMBER = "number"
    MORE = "more"  # "...": the neighbouring block of page numbers
    FIRST = "first"
    PREV = "prev"
    NEXT = "next"
    LAST = "last"
    FORWARD = "forward"  # a lone "»": next in one pager, last in another
    BACKWARD = "backward"  # a lone "«": previous or first
    GO = "go"  # the button beside a page box


# Pager words and symbols: (symbols alone, words that may carry arrows: "Ultima »").
_PAGER: dict[Kind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Kind.FIRST: (
        ("««", "<<", "|<", "⏮"),
        ("Prima", "Prima pagină", "Primul", "Pagina întâi", "First", "First page"),
    ),
    Kind.LAST: (
        ("»»", ">>", ">|", "⏭"),
        ("Ultima", "Ultima pagină", "Ultimul", "Last", "Last page"),
    ),
    Kind.NEXT: (
        (">", "›", "→"),
        (
            "Următoarea",
            "Următor",
            "Pagina următoare",
            "Următoarea pagină",
            "Înainte",
            "Next",
            "Next page",
        ),
    ),
    Kind.PREV: (
        ("<", "‹", "←"),
        (
            "Anterioara",
            "Anterior",
            "Pagina anterioară",
            "Precedenta",
            "Pagina precedentă",
            "Înapoi",
            "Prev",
            "Previous",
            "Previous page",
        ),
    ),
    Kind.FORWARD: (("»",), ()),
    Kind.BACKWARD: (("«",), ()),
    Kind.GO: ((), ("Mergi", "Du-te", "Go", "OK", "Salt", "Afișează")),
}
_ARROWS = "[\\s«»‹›<>|⏮⏭←→]*"
_COUNTER = re.compile(r"(?:pagina|page)\s*(\d+)\s*(?:din|de|of|/)\s*(\d+)")
_MORE = ("...", "…", "..")


def pager_regex(which: Kind) -> re.Pattern[str]:
    """Name of a pager control in *folded* text (``fold``): a symbol alone, or a word with
    arrows."""
    symbols, words = _PAGER[which]
    parts = []
    if symbols:
        parts.append("^\\s*(?:" + "|".join(re.escape(s) for s in symbols) + ")\\s*$")
    if words:
        worded = "|".join(folded_source(w) for w in words)
        parts.append(f"^{_ARROWS}(?:{worded}){_ARROWS}$")
    return re.compile("|".join(parts))


_ORDER = (Kind.FORWARD, Kind.BACKWARD, Kind.LAST, Kind.FIRST, Kind.NEXT, Kind.PREV, Kind.GO)
_PATTERNS = {kind: pager_regex(kind) for kind in _ORDER}


def kind_of(text: str, title: str = "") -> tuple[Kind, int | None] | None:
    """What a pager control is, from its text (else its title / alt text)."""
    shown = " ".join(text.split())
    if shown.isdigit():
        return Kind.NUMBER, int(shown)
    if shown in _MORE:
        return Kind.MORE, None
    for said in (shown, " ".join(title.split())):
        if not said:
            continue
        folded = fold(said)
        for kind in _ORDER:
            if _PATTERNS[kind].search(folded):
                return kind, None
    return None


@dataclass(frozen=True)
class Control:
    kind: Kind
    number: int | None
    css: str
    position: int  # order in the pager, left to right
    disabled: bool = False


@dataclass(frozen=True)
class Pager:
    controls: tuple[Control, ...] = ()
    current: int | None = None
    total: int | None = None
    box: str | None = None  # a page box ("Pagina [3] din 57"), its CSS

    def of(self, *kinds: Kind) -> list[Control]:
        return [c for c in self.controls if c.kind in kinds and not c.disabled]

    @property
    def numbers(self) -> list[Control]:
        return self.of(Kind.NUMBER)

    @property
    def moves_at_all(self) -> bool:
        return any(c.kind is not Kind.GO for c in self.of(*Kind)) or self.box is not None

    def at_end(self) -> bool:
        """On the last page: the counter says so, or nothing leads further."""
        if self.current is not None and self.total is not None:
            return self.current >= self.total
        if self.of(Kind.NEXT, Kind.LAST, Kind.FORWARD) or self.forward_more() is not None:
            return False
        return not any(self._beyond(c) for c in self.numbers)

    def _beyond(self, control: Control) -> bool:
        assert control.number is not None
        return self.current is None or control.number > self.current

    def forward_more(self) -> Control | None:
        """The "..." after the page numbers (the next block), never the one before them."""
        numbers = self.numbers
        if not numbers:
            return None
        last_number = max(c.position for c in numbers)
        return next((c for c in self.of(Kind.MORE) if c.position > last_number), None)

    def backward_more(self) -> Control | None:
        numbers = self.numbers
        if not numbers:
            return None
        first_number = min(c.position for c in numbers)
        return next((c for c in self.of(Kind.MORE) if c.position < first_number), None)

    def towards_end(self, seen: Iterable[int], *, forward_is_next: bool = False) -> Control | None:
        """The control that goes furthest towards the last page without going back.

        Ultima / Last first; then the next block ("..." after the numbers); then the highest
        page number beyond the current one not yet seen; then Next; a lone "»" last (it may be
        next or last).
        """
        last = self.of(Kind.LAST)
        if last:
            return last[0]
        more = self.forward_more()
        seen = set(seen)
        ahead = [c for c in self.numbers if self._beyond(c) and c.number not in seen]
        if more is not None and (not ahead or self.current is None or not self.numbers):
            return more
        if ahead:
            best = max(ahead, key=lambda c: c.number or 0)
            if more is not None and best.number == max(c.number or 0 for c in self.numbers):
                return more  # the block after goes further than its last number
            return best
        following = self.of(Kind.NEXT) or self.of(Kind.FORWARD)
        if forward_is_next:
            following = self.of(Kind.NEXT, Kind.FORWARD)
        return following[0] if following else None

    def at_start(self) -> bool:
        """On the first page: the counter says so, or nothing leads back."""
        if self.current is not None:
            return self.current <= 1
        if self.of(Kind.PREV, Kind.FIRST, Kind.BACKWARD) or self.backward_more() is not None:
            return False
        return not self.numbers

    def towards_start(self) -> Control | None:
        """The control that goes furthest towards the first page: Prima / First, page 1,
        the block before, Previous; a lone "«" last (it may be previous or first)."""
        first = self.of(Kind.FIRST) or [c for c in self.numbers if c.number == 1]
        if first:
            return first[0]
        more = self.backward_more()
        if more is not None:
            return more
        if self.current is not None:
            behind = [c for c in self.numbers if (c.number or 0) < self.current]
            if behind:
                return min(behind, key=lambda c: c.number or 0)
        back = self.of(Kind.PREV) or self.of(Kind.BACKWARD)
        return back[0] if back else None

    def last_in_sight(self) -> Control | None:
        """The last page's own number, when it is shown (no block after it, nothing beyond)."""
        if self.current is None or self.forward_more() is not None or self.of(Kind.LAST):
            return None
        ahead = [c for c in self.numbers if (c.number or 0) > self.current]
        if not ahead or (self.total is not None and max(c.number or 0 for c in ahead) < self.total):
            return None
        return max(ahead, key=lambda c: c.number or 0)

    def one_back(self) -> Control | None:
        """The page before this one: Previous, the number before, the block before."""
        prev = self.of(Kind.PREV)
        if prev:
            return prev[0]
        if self.current is not None:
            number = [c for c in self.numbers if c.number == self.current - 1]
            if number:
                return number[0]
            return self.backward_more()
        return None

    def one_forward(self, *, forward_is_next: bool = False) -> Control | None:
        """The page after this one: Next, the number after, the block after."""
        following = self.of(Kind.NEXT)
        if forward_is_next:
            following += self.of(Kind.FORWARD)
        if following:
            return following[0]
        if self.current is not None:
            number = [c for c in self.numbers if c.number == self.current + 1]
            if number:
                return number[0]
            return self.forward_more()
        return None

    def go(self) -> Control | None:
        found = self.of(Kind.GO)
        return found[0] if found else None


def classify(scopes: Sequence[Mapping[str, Any]]) -> Pager:
    """The pager among the places one may be drawn (read by ``js/grid.js``): the first one
    holding pager controls. A pager drawn above and below the grid is read once."""
    for scope in scopes:
        controls: list[Control] = []
        for position, raw in enumerate(scope["controls"]):
            kind = kind_of(str(raw["text"]), str(raw["title"]))
            if kind is None:
                continue
            controls.append(
                Control(kind[0], kind[1], str(raw["css"]), position, bool(raw["disabled"]))
            )
        box = scope.get("box")
        if not any(c.kind is not Kind.GO for c in controls) and not box:
            continue
        current, total = None, None
        counter = _COUNTER.search(fold(str(scope["text"])))
        if counter:
            current, total = int(counter.group(1)), int(counter.group(2))
        plain = [int(n) for n in scope["current"]]
        if current is None and len(plain) == 1:
            current = plain[0]
        return Pager(tuple(controls), current, total, str(box) if box else None)
    return Pager()
