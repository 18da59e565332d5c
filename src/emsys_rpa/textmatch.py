"""Matching Romanian labels the way a person reads them: diacritics, case and spacing ignored.

The manual writes the same label with and without diacritics ("Funcționalități" and
"Functionalitati"), and Romanian text in the wild mixes comma-below letters (ș ț) with cedilla
ones (ş ţ). ``label_regex`` turns a label into a pattern that accepts every such spelling.

The pattern is sent to the browser by Playwright (``get_by_role(name=...)``, ``has_text=...``),
which rebuilds it there as ``new RegExp(source, flags)``: it must therefore be valid in both
Python's ``re`` and JavaScript (without the ``u`` flag). It only uses literal characters,
character classes, ``\\s``, ``(?:…)``, ``|``, ``^``/``$`` and escapes of syntax characters, which
mean the same in both.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable

# Each base letter (after folding) and every way it is written on Romanian screens, both cases.
# Decomposed spellings (base letter + combining mark) are covered by the optional mark class.
_VARIANTS: dict[str, str] = {
    "a": "aăâàáAĂÂÀÁ",
    "i": "iîíIÎÍ",
    "s": "sșşSȘŞ",
    "t": "tțţTȚŢ",
    "e": "eéèEÉÈ",
    "o": "oóòOÓÒ",
    "u": "uúùUÚÙ",
}
# Combining marks a decomposed "s" + U+0326 (or a, i + U+0302/U+0306) leaves behind.
_COMBINING = "[\\u0300-\\u036f]?"
# Characters with a meaning in regex syntax, escaped identically in Python and JavaScript.
_SYNTAX = set("^$\\.*+?()[]{}|/")
_DASHES = "-\u2010\u2011\u2012\u2013\u2014"

# Close controls of a window: the "X" family and the words a portal puts on such a button.
CLOSE_WORDS = ("x", "×", "✕", "✖", "╳", "Închide", "Inchide", "Close", "Închidere")
CANCEL_WORDS = ("Renunț", "Renunta", "Renunțare", "Anulează", "Anulare", "Cancel")


# The one folding table: every way a letter is written on Romanian screens, to the letter it is
# compared as. ``fold`` (Python), ``FOLD_JS`` (in the page) and the XPath predicates are all
# made from it, so the three agree on every character it lists.
FOLD_TABLE: dict[str, str] = {
    **{ch: base for base, spellings in _VARIANTS.items() for ch in spellings if ch != base},
    **{chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)},
    "\u00a0": " ",
}
_FOLD = str.maketrans(FOLD_TABLE)


def fold(text: str) -> str:
    """Lower-case, diacritics removed, runs of whitespace collapsed: for comparing read-backs.

    The table first; then, for letters it does not list, Unicode decomposition without the
    marks (the same steps as ``FOLD_JS``).
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


# ``fold`` for scripts run in the page: ``const fold = s => …`` (paste it into the script).
FOLD_JS = (
    "const FOLD_TABLE = "
    + json.dumps(FOLD_TABLE, ensure_ascii=True)
    + ";\nconst fold = s => Array.from(s || '').map(c => FOLD_TABLE[c] || c).join('')"
    ".normalize('NFKD').replace(/[\\u0300-\\u036f]/g, '').toLowerCase()"
    ".replace(/\\s+/g, ' ').trim();\n"
)


# "E-mail", "E - mail", "Email": a dash is optional and may be any dash.
_DASH_PATTERN = f"\\s*[{_DASHES}]?\\s*"


def _char_pattern(ch: str) -> str:
    if ch in _VARIANTS:
        return f"[{_VARIANTS[ch]}]{_COMBINING}"
    if ch.isalpha():
        return f"[{ch}{ch.upper()}]" if ch.upper() != ch else ch
    if ch in _DASHES:
        return _DASH_PATTERN
    if ch in _SYNTAX:
        return "\\" + ch
    return ch


def _folded_char(ch: str) -> str:
    return _DASH_PATTERN if ch in _DASHES else re.escape(ch)


def _source(label: str, char: Callable[[str], str]) -> str:
    """``label`` folded, each character as ``char`` spells it, words joined by any spacing."""
    words = fold(label).split(" ")
    return "\\s+".join("".join(char(ch) for ch in word) for word in words if word)


def pattern_source(label: str) -> str:
    """The regex source (no anchors) matching ``label`` in any spelling; JS-compatible."""
    return _source(label, _char_pattern)


def folded_source(label: str) -> str:
    """The regex source matching ``label`` in text already passed through ``fold``.

    For matching in Python what was read back from the page: folding the text once is far
    cheaper than compiling ``pattern_source``'s character classes (~3 ms a label).
    """
    return _source(label, _folded_char)


def label_regex(*labels: str, exact: bool = False) -> re.Pattern[str]:
    """A case-insensitive pattern matching any of ``labels``, tolerant of diacritics and spaces.

    ``exact``: the whole text must be the label (surrounding whitespace allowed); otherwise the
    label may appear anywhere in the text.
    """
    if not labels:
        raise ValueError("label_regex needs at least one label")
    alternatives = [pattern_source(label) for label in labels]
    body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    if exact:
        body = f"^\\s*{body}\\s*$"
    # Every letter is spelt in both cases already: without the flag the pattern compiles in
    # half the time (~3 ms instead of ~6 for a four-label pattern) and matches the same.
    return re.compile(body)


# XPath 1.0 has no regex and no lower-case(): translate() maps the table's letters instead.
_XPATH_FROM = "".join(FOLD_TABLE)
_XPATH_TO = "".join(FOLD_TABLE.values())


def xpath_folded_contains(expr: str, label: str) -> str:
    """An XPath 1.0 predicate: the folded text of ``expr`` contains the folded ``label``.

    ``label`` must not contain both quote characters (portal labels never do).
    """
    needle = fold(label)
    quote = "'" if "'" not in needle else '"'
    return (
        f"contains(normalize-space(translate({expr}, '{_XPATH_FROM}', '{_XPATH_TO}')), "
        f"{quote}{needle}{quote})"
    )


def xpath_folded_any(expr: str, labels: Iterable[str]) -> str:
    return "(" + " or ".join(xpath_folded_contains(expr, label) for label in labels) + ")"
