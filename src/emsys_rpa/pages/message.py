"""The information message after Trimite: a native alert() or an HTML box with an OK button.

The robot does not know which one the portal uses. It waits for whichever comes first: a native
dialog (already answered by the ``DialogKeeper``, which keeps its text), a visible OK button (the
box's text is read, then OK pressed), or a success sentence shown without any button.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import structlog
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from emsys_rpa.pages.dialogs import DialogKeeper
from emsys_rpa.pages.locate import Finder, Found, Scope, Target, clickable
from emsys_rpa.pages.wait import poll
from emsys_rpa.redaction import scrub_text
from emsys_rpa.textmatch import fold, label_regex

log = structlog.get_logger("emsys_rpa.pages.message")

# Folded words by which the message says how it went.
_SUCCESS = re.compile(r"succes|programat|planificat|inregistrat|a fost (trimis|lansat|pornit)")
_FAILURE = re.compile(r"eroare|error|esuat|nu s-?a putut|imposibil|invalid|nu a fost|failed")


class Verdict(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    UNCLEAR = "unclear"


@dataclass(frozen=True)
class InfoMessage:
    text: str
    via: str  # "dialog" | "box" | "page"
    verdict: Verdict


def judge(text: str) -> Verdict:
    folded = fold(text)
    if _FAILURE.search(folded):
        return Verdict.FAILURE
    if _SUCCESS.search(folded):
        return Verdict.SUCCESS
    return Verdict.UNCLEAR


MESSAGE_OK = Target(
    "message_ok", "the OK button of the information message", clickable("OK", loose=False)
)


def _success_text(scope: Scope) -> list[Locator]:
    pattern = label_regex(
        "programată cu succes", "programat cu succes", "a fost programată", "cu succes"
    )
    return [scope.get_by_role("alert").filter(has_text=pattern), scope.get_by_text(pattern)]


MESSAGE_TEXT = Target(
    "message_text", "the information message (“…programată cu succes”)", _success_text
)


def await_message(
    finder: Finder,
    dialogs: DialogKeeper,
    mark: int,
    *,
    timeout_s: float,
    page_text: bool = True,
    on_shown: Callable[[], None] = lambda: None,
) -> InfoMessage | None:
    """Wait for the information message that follows the click made after ``mark``.

    ``page_text=False`` ignores success sentences written on the page without an OK button
    (use it when such a sentence was already there before the click: it is not the answer).
    Returns None if nothing recognisable appeared within ``timeout_s``, or if the login form
    came back meanwhile (the session expired: no message is coming, and only the history can
    tell whether the click counted). The caller then cannot tell whether the portal scheduled
    the job. ``on_shown`` runs while an HTML message is on screen, before OK is pressed.
    """

    def check() -> InfoMessage | None:
        for seen in dialogs.since(mark):
            if seen.kind == "alert":
                log.info("information message", via="dialog", text=seen.message)
                return InfoMessage(seen.message, "dialog", judge(seen.message))
        found = finder.locate(MESSAGE_OK)
        if found is not None:
            on_shown()
            return _acknowledge(finder, found)
        found = finder.locate(MESSAGE_TEXT) if page_text else None
        if found is not None:
            # A box shows its sentence and its OK together: a sentence with an OK beside it is
            # a box that appeared between the two looks, and its OK is pressed.
            ok = finder.locate(MESSAGE_OK)
            if ok is not None:
                on_shown()
                return _acknowledge(finder, ok)
            on_shown()
            text = scrub_text(found.locator.inner_text())
            log.info("information message", via="page", text=text)
            return InfoMessage(text, "page", judge(text))
        if finder.login_form_shown():
            raise _SessionGone
        return None

    def idle(wait_ms: float) -> None:
        pages = finder.pages()
        if pages:
            try:
                ok = pages[0].get_by_role("button", name=label_regex("OK", exact=True))
                ok.filter(visible=True).first.wait_for(state="attached", timeout=wait_ms)
            except PlaywrightError:
                pass

    try:
        # An HTML box is usually on its way: let the page watch for its OK first.
        early = finder.seen_soon(MESSAGE_OK) if not dialogs.since(mark) else None
        if early is not None:
            on_shown()
            return _acknowledge(finder, early)
        return poll(check, timeout_s=timeout_s, idle=idle)
    except _SessionGone:
        log.warning("no information message: the login form is back (the session expired)")
        return None


class _SessionGone(Exception):
    """The login form is back while waiting for the message: stop waiting."""


def _acknowledge(finder: Finder, found: Found) -> InfoMessage:
    """Read the box around the OK button ``found``, then press OK."""
    ok = found.locator
    try:
        text = str(found.run("boxtext"))
    except PlaywrightError:
        text = ""
    text = scrub_text(" ".join(re.sub(r"\s*\bOK\s*$", "", text).split()))
    try:
        ok.click()
    except PlaywrightError:
        # A popup whose OK closes it: Playwright's wait after the click meets a closed page.
        if not ok.page.is_closed():
            raise
    finder.wait_gone(MESSAGE_OK, timeout_s=5)
    log.info("information message", via="box", text=text)
    return InfoMessage(text, "box", judge(text))
