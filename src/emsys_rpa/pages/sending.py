"""What the Alerte and Transmitere Facturi screens have in common.

Both open a configuration window, tick **Fundal**, press **Trimite …** once, acknowledge the
information message, close their windows and show their history on a tab. The screens differ
only in labels, in the number of windows and in Perioada (invoices).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass

import structlog
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from emsys_rpa.errors import ElementNotFoundError, OutcomeUnknownError
from emsys_rpa.pages.dialogs import DialogKeeper
from emsys_rpa.pages.locate import Finder, Found, Target, clickable
from emsys_rpa.pages.menu import open_menu
from emsys_rpa.pages.message import MESSAGE_TEXT, InfoMessage, await_message
from emsys_rpa.pages.wait import poll
from emsys_rpa.pages.windows import AFTER_SEND, CANCEL_FIRST, Windows
from emsys_rpa.redaction import error_line

log = structlog.get_logger("emsys_rpa.pages.sending")


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
        """Tick Fundal (leave it ticked if it already is) and wait until it shows ticked."""
        target = self.screen.background
        found = self.finder.find(target)
        if found.locator.is_checked():
            log.info("already ticked", control=target.what)
            return
        found.locator.click()
        # Re-found on every pass: the click may have reloaded the page (postback).
        current: list[Found] = []

        def ticked() -> bool | None:
            located = self.finder.locate(target)
            current[:] = [located] if located is not None else []
            try:
                return True if located is not None and located.locator.is_checked() else None
            except PlaywrightError:
                return None

        def idle(wait_ms: float) -> None:
            if not current:
                self.finder.wait_a_little(target, wait_ms)
                return
            with suppress(AssertionError, PlaywrightError):
                expect(current[0].locator).to_be_checked(timeout=wait_ms)

        if not poll(ticked, timeout_s=self.finder.timeout_s, idle=idle):
            raise ElementNotFoundError(
                f"{target.what} does not show as ticked after clicking it", hint=target.hint()
            )
        log.info("ticked", control=target.what)

    def send(
        self, *, message_timeout_s: float, before_click: Callable[[], None] = lambda: None
    ) -> InfoMessage | None:
        """Press Trimite — once, whatever happens — and wait for the information message.

        ``before_click`` runs once the button has been found, just before it is pressed: the
        place to record the intent, so that a button that is not there (the portal changed)
        fails the task without leaving an intent behind. If it raises, nothing is pressed.

        Raises OutcomeUnknownError if the click itself failed half-way. Returns None if no
        message appeared: the caller must then treat the outcome as unknown until the history
        says otherwise. A confirm() asking "are you sure?" is accepted exactly once.
        """
        found = self.finder.find(self.screen.send)
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
            )

    def close_windows(self, *, cancel: bool = False) -> None:
        """Close the windows innermost first: with X after a send, with Renunț on cancel."""
        order = CANCEL_FIRST if cancel else AFTER_SEND
        for anchor in reversed(self.screen.windows):
            if self.finder.present(anchor):
                self.windows.close(anchor, order=order, what=anchor.what)

    def open_history(self) -> None:
        """Show the history tab (clicking it again refreshes it on most portals)."""
        found = self.finder.find(self.screen.history_tab)
        found.locator.click()

    def refresh_history(self) -> bool:
        """Press the history's own refresh button, if it has one; True if pressed."""
        found = self.finder.locate(HISTORY_REFRESH)
        if found is None:
            return False
        found.locator.click()
        return True

    def _click_then_expect(self, control: Target, expected: Target) -> None:
        found = self.finder.find(control)
        log.info("pressing", control=control.what)
        found.locator.click()
        self.finder.find(expected)
