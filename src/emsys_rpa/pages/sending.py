"""What the Alerte and Transmitere Facturi screens have in common.

Both open a configuration window, tick **Fundal**, press **Trimite …** once, acknowledge the
information message, close their windows and show their history on a tab. The screens differ
only in labels, in the number of windows and in Perioada (invoices).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import structlog
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from emsys_rpa.errors import (
    ControlNotOperableError,
    ElementNotFoundError,
    OutcomeUnknownError,
    PortalAnswerError,
)
from emsys_rpa.pages.answer import Answer
from emsys_rpa.pages.dialogs import DialogKeeper
from emsys_rpa.pages.locate import Finder, Found, Target, clickable
from emsys_rpa.pages.menu import open_menu
from emsys_rpa.pages.message import MESSAGE_TEXT, InfoMessage, await_message
from emsys_rpa.pages.operate import click, explain
from emsys_rpa.pages.wait import poll, polling_for
from emsys_rpa.pages.windows import AFTER_SEND, CANCEL_FIRST, Windows
from emsys_rpa.redaction import error_line

log = structlog.get_logger("emsys_rpa.pages.sending")

# A click that did not tick Fundal within this long: try the other part (box or label).
_TRY_S = 2.5
# After the screen's own tab is clicked, at most this long for the screen to show again
# before the menu is used instead.
_HOME_TAB_S = 10.0
_TICKED_JS = """(e) => e.isConnected && (e.tagName === 'INPUT' ? e.checked
  : e.control ? e.control.checked
  : (e.getAttribute('aria-checked') || e.getAttribute('aria-pressed') || '') === 'true')"""


def is_ticked(found: Found) -> bool:
    """The box shows ticked (checked, aria-checked or aria-pressed)."""
    if found.checked is not None:
        return found.checked
    try:
        return bool(found.box.evaluate(_TICKED_JS))
    except PlaywrightError:
        return False


HISTORY_REFRESH = Target(
    "history_refresh",
    "the history's refresh button (Reîmprospătează)",
    clickable(
        "Reîmprospătează",
        "Reîmprospătare",
        "Actualizează",
        "Actualizare",
        "Reîncarcă",
        "Refresh",
        loose=False,
        text=False,
    ),
)


@dataclass(frozen=True)
class HomeTab:
    """The tab a screen showed before its history tab was opened: the way back to it."""

    locator: Locator
    text: str


@dataclass(frozen=True)
class Screen:
    """The labels of one sending screen."""

    send_label: str  # the Trimite button's label, as the manual writes it
    history_label: str  # the history tab's label, as the manual writes it
    menu: Sequence[Target]
    configure: Target  # opens the first window
    windows: Sequence[Target]  # one anchor per window, outermost first
    background: Target  # Fundal
    send: Target  # Trimite …
    history_tab: Target
    history_key: str  # [selectors] prefix of the grid keys
    history_date_headers: Sequence[str]


class SendingScreen:
    def __init__(
        self, finder: Finder, dialogs: DialogKeeper, windows: Windows, screen: Screen
    ) -> None:
        self.finder = finder
        self.dialogs = dialogs
        self.windows = windows
        self.screen = screen

    def open(self) -> None:
        """Navigate by the menu until the screen's configure button is shown."""
        open_menu(self.finder, self.screen.menu, arrived=self.screen.configure)

    def open_configuration(self) -> None:
        """Press the configure button: the first window opens."""
        self._click_then_expect(self.screen.configure, self.screen.windows[0])

    def tick_background(self) -> None:
        """Tick Fundal (leave it ticked if it already is) and wait until it shows ticked.

        A person clicks what they see: the box, or the label drawn over a hidden one. If that
        click does not tick it, the other one is tried; the effect is checked, not assumed.
        """
        target = self.screen.background
        found = self.finder.find(target)
        if is_ticked(found):
            log.info("already ticked", control=target.what)
            return
        tries = [found.locator] + ([found.control] if found.control is not None else [])
        for index, clickable_part in enumerate(tries):
            last = index == len(tries) - 1
            try:
                click(clickable_part, target.what)
            except ControlNotOperableError:
                if last:
                    raise
                continue
            timeout = self.finder.timeout_s if last else min(self.finder.timeout_s, _TRY_S)
            if self._wait_ticked(target, timeout):
                log.info("ticked", control=target.what, how=found.how)
                return
            log.info("not ticked by that click", control=target.what, attempt=index + 1)
        raise ElementNotFoundError(
            f"{target.what} does not show as ticked after clicking it", hint=target.hint()
        )

    def _wait_ticked(self, target: Target, timeout_s: float) -> bool:
        # Re-found on every pass: the click may have reloaded the page (postback).
        current: list[Found] = []

        def ticked() -> bool | None:
            located = self.finder.locate(target)
            current[:] = [located] if located is not None else []
            return True if located is not None and is_ticked(located) else None

        def idle(wait_ms: float) -> None:
            if not current:
                self.finder.wait_a_little(target, wait_ms)
                return
            with suppress(PlaywrightError):
                handle = current[0].box.element_handle(timeout=wait_ms)
                current[0].frame.wait_for_function(
                    _TICKED_JS, arg=handle, polling=polling_for(wait_ms), timeout=wait_ms
                )

        return bool(poll(ticked, timeout_s=timeout_s, idle=idle))

    def send(
        self,
        *,
        message_timeout_s: float,
        before_click: Callable[[], None] = lambda: None,
        on_shown: Callable[[], None] = lambda: None,
    ) -> InfoMessage | None:
        """Press Trimite — once, whatever happens — and wait for the information message.

        ``before_click`` runs once the button has been found, just before it is pressed: the
        place to record the intent, so that a button that is not there (the portal changed)
        fails the task without leaving an intent behind. If it raises, nothing is pressed.

        Raises OutcomeUnknownError if the click itself failed half-way. Returns None if no
        message appeared: the caller must then treat the outcome as unknown until the history
        says otherwise. A confirm() asking "are you sure?" is accepted exactly once.
        ``on_shown`` runs while the message is on screen, before its OK is pressed (the moment
        for the confirmation screenshot).
        """
        found = self.finder.find(self.screen.send)
        # Can it be clicked at all (not covered, not disabled)? Asked without clicking, so that
        # a button that cannot be pressed fails the task before any intent is recorded. The
        # in-page search already said so when it was enabled and on top; else Playwright's
        # trial click decides (it also scrolls it into view and waits for it to be enabled).
        try:
            if not found.clickable_now:
                found.locator.click(trial=True)
        except PlaywrightError as exc:
            raise ControlNotOperableError(
                f"could not press {self.screen.send.what}: {explain(exc)}",
                hint="nothing was pressed; look at the snapshot kept in the run folder",
            ) from None
        # A success sentence already on screen (an earlier run's) is not this send's answer.
        stale_text = self.finder.present(MESSAGE_TEXT)
        mark = self.dialogs.mark()
        before_click()
        log.info("pressing", control=self.screen.send.what)
        with self.dialogs.expect_confirms(1):
            try:
                found.locator.click()
            except PlaywrightError as exc:
                raise OutcomeUnknownError(
                    f"pressing {self.screen.send.what} failed half-way: {error_line(exc)}",
                    hint="check the portal's history before running again: it may have sent",
                ) from None
            return await_message(
                self.finder,
                self.dialogs,
                mark,
                timeout_s=message_timeout_s,
                page_text=not stale_text,
                on_shown=on_shown,
            )

    def close_windows(self, *, cancel: bool = False) -> None:
        """Close the windows innermost first: with X after a send, with Renunț on cancel."""
        order = CANCEL_FIRST if cancel else AFTER_SEND
        for anchor in reversed(self.screen.windows):
            found = self.finder.locate(anchor)
            if found is not None:
                self.windows.close(anchor, order=order, what=anchor.what, found=found)

    def open_history(self, *, remember_home: bool = False) -> HomeTab | None:
        """Show the history tab (clicking it again refreshes it on most portals).

        ``remember_home``: first note the tab the screen shows now, to come back to it.
        """
        found = self.finder.find(self.screen.history_tab)
        home = _home_tab(found) if remember_home else None
        click(found.locator, self.screen.history_tab.what)
        return home

    def back_from_history(self, home: HomeTab | None) -> str:
        """Show the screen again after its history tab: "shown", "tab" or "menu" (how).

        A person clicks the tab the screen showed at first: one postback instead of the menu's
        hover, click and page load. Without such a tab, a configure button drawn outside the
        tabs is still there. Else, or if the tab does not bring the button back, the menu.
        """
        if home is not None:
            try:
                home.locator.click(timeout=_HOME_TAB_S * 1000)
            except PlaywrightError as exc:
                log.info("could not click the screen's tab", tab=home.text, error=error_line(exc))
            else:
                timeout = min(self.finder.timeout_s, _HOME_TAB_S)
                shown = self.finder.wait_for(
                    self.screen.configure, timeout_s=timeout, until_server_error=True
                )
                if shown is not None:
                    return "tab"
                log.info("the screen's tab did not show its button", tab=home.text)
        elif self.finder.present(self.screen.configure):
            return "shown"
        self.open()
        return "menu"

    def refresh_history(self) -> bool:
        """Press the history's own refresh button, if it has one; True if pressed."""
        found = self.finder.locate(HISTORY_REFRESH)
        if found is None:
            return False
        click(found.locator, HISTORY_REFRESH.what)
        return True

    def _click_then_expect(self, control: Target, expected: Target) -> None:
        press_then_expect(self.finder, self.dialogs, control, expected)


def _home_tab(history_tab: Found) -> HomeTab | None:
    """The tab shown beside ``history_tab`` now, if the strip tells which one it is."""
    try:
        answer: Any = history_tab.run("tabstrip")
    except PlaywrightError:
        return None
    if not answer:
        return None
    return HomeTab(history_tab.frame.locator(str(answer["css"])), str(answer["text"]))


def press_then_expect(
    finder: Finder, dialogs: DialogKeeper, control: Target, expected: Target
) -> Found:
    """Press ``control`` and wait for ``expected``; if it does not come, the portal's answer
    (a validation message, a red label, an alert's text) is the reason given."""
    # The screen's answers so far are read with the control, in the same look where it can.
    found, said = finder.find_with(control, "answer", {})
    answer = Answer(finder, dialogs, before=said)
    log.info("pressing", control=control.what)
    click(found.locator, control.what)
    shown = finder.wait_for(expected)
    if shown is not None:
        return shown
    transient = finder.server_error_exception(f"after pressing {control.what}")
    if transient is not None:
        raise transient
    said = answer.read()
    if said:
        raise PortalAnswerError(
            f"after pressing {control.what}, the portal answered: “{said}” "
            f"({expected.what} did not appear)",
            hint="correct what the portal complains about, then run again",
        )
    raise finder.not_found(expected, where=f"after pressing {control.what}")
