"""What the Alerte and Transmitere Facturi screens have in common.

Both open a configuration window, tick **Fundal**, press **Trimite …** once, acknowledge the
information message, close their windows and show their history on a tab. The screens differ
only in labels, in the number of windows and in Perioada (invoices).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from time import monotonic

import structlog
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from emsys_rpa.errors import ElementNotFoundError, OutcomeUnknownError
from emsys_rpa.pages.locate import Finder, Target, clickable
from emsys_rpa.pages.menu import open_menu
from emsys_rpa.pages.message import MESSAGE_TEXT, InfoMessage, await_message
from emsys_rpa.pages.windows import AFTER_SEND, CANCEL_FIRST, Windows
from emsys_rpa.session import DialogKeeper

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
        deadline = monotonic() + self.finder.timeout_s
        wait_ms = 100.0
        while True:
            # Re-found on every pass: the click may have reloaded the page (postback).
            current = self.finder.locate(target)
            if current is not None:
                try:
                    if current.locator.is_checked():
                        log.info("ticked", control=target.what)
                        return
                except PlaywrightError:
                    pass
            remaining = deadline - monotonic()
            if remaining <= 0:
                raise ElementNotFoundError(
                    f"{target.what} does not show as ticked after clicking it", hint=target.hint()
                )
            if current is None:
                self.finder.wait_a_little(target, min(wait_ms, remaining * 1000))
            else:
                with suppress(AssertionError, PlaywrightError):
                    expect(current.locator).to_be_checked(timeout=min(wait_ms, remaining * 1000))
            wait_ms = min(wait_ms * 2, 1000.0)

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
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else "error"
                raise OutcomeUnknownError(
                    f"pressing {self.screen.send.what} failed half-way: {first}",
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
