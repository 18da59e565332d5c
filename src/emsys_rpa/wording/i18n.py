"""The language a person reads: gettext catalogues for sentences, Babel for dates and numbers.

The catalogue is ``emsys_rpa/locale/<lang>/LC_MESSAGES/emsys_rpa.po`` (a translator edits it)
and its compiled ``.mo`` beside it, both shipped as package data; ``make po`` extracts the
messages and updates and compiles the catalogues with Babel. English is the source language: it
needs no catalogue. Logs, ``summary.json`` and the ledger stay English (they are read by
programs and by whoever debugs them); only what a person reads is translated.

The language is chosen once per process, at the edge (``--lang``, ``[ui] language``, else the
system locale), and every sentence is translated when it is written, never at import time.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Final

DOMAIN: Final = "emsys_rpa"
LOCALE_DIR: Final = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES: Final = ("ro", "en")
DEFAULT_LANGUAGE: Final = "en"
# The locale variables, in the order POSIX consults them for messages.
_LOCALE_VARS: Final = ("LC_ALL", "LC_MESSAGES", "LANG")

_state: dict[str, object] = {
    "language": DEFAULT_LANGUAGE,
    "translations": gettext.NullTranslations(),
}


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """``ro`` when the system locale is Romanian (``ro_RO.UTF-8``, ``ro``), else ``en``."""
    env = os.environ if environ is None else environ
    for name in _LOCALE_VARS:
        value = env.get(name, "")
        if value:
            return "ro" if value.lower().startswith("ro") else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def set_language(language: str | None) -> str:
    """Use ``language`` (None: the system's) for everything written from now on."""
    chosen = (language or system_language()).lower()
    if chosen not in LANGUAGES:
        chosen = DEFAULT_LANGUAGE
    translations: gettext.NullTranslations = gettext.NullTranslations()
    if chosen != DEFAULT_LANGUAGE:
        translations = gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[chosen], fallback=True
        )
    _state["language"] = chosen
    _state["translations"] = translations
    return chosen


def language() -> str:
    """The language in use: ``ro`` or ``en``."""
    return str(_state["language"])


def _translations() -> gettext.NullTranslations:
    found = _state["translations"]
    assert isinstance(found, gettext.NullTranslations)
    return found


def _(message: str) -> str:
    """``message`` (English, the catalogue's key) in the language in use."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the language in use (Romanian has three)."""
    return _translations().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it yet (it is translated later)."""
    return message
