"""Closing a portal "window" — whatever it turns out to be — by its close (X) or Renunț button.

The window is identified by a control known to be in it (its *anchor*: the Trimite button, the
Fundal box…). From the anchor the robot walks outwards: the innermost enclosing element that
looks like a window (role=dialog, ``<dialog>``, aria-modal, or a positioned box) is the window,
and its close control is clicked. If the anchor sits in an iframe, the walk continues outside
the iframe (the title bar with the X is usually drawn around it). If the anchor is in a popup
page without a close control of its own, the popup is closed as the browser's X would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import structlog
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Locator, Page

from emsys_rpa.errors import ElementNotFoundError
from emsys_rpa.pages.dialogs import DialogKeeper
from emsys_rpa.pages.locate import Finder, Found, Target, close_controls

log = structlog.get_logger("emsys_rpa.pages.windows")

CloseKind = Literal["x", "close", "cancel"]
AFTER_SEND: tuple[CloseKind, ...] = ("x", "close", "cancel")
CANCEL_FIRST: tuple[CloseKind, ...] = ("cancel", "x", "close")

# Is this element drawn as a window? Evaluated in the page for each ancestor, innermost first.
_LOOKS_LIKE_WINDOW = """(e) => {
  const role = (e.getAttribute('role') || '').toLowerCase();
  if (role === 'dialog' || role === 'alertdialog' || e.tagName === 'DIALOG') return true;
  if ((e.getAttribute('aria-modal') || '') === 'true') return true;
  if (e === document.body || e === document.documentElement) return false;
  const style = getComputedStyle(e);
  if (style.position !== 'fixed' && style.position !== 'absolute') return false;
  const box = e.getBoundingClientRect();
  return box.width >= 120 && box.height >= 60;
}"""

_FRAME_INDEX = "(e) => Array.from(e.ownerDocument.querySelectorAll('iframe, frame')).indexOf(e)"


@dataclass(frozen=True)
class _Level:
    """An element enclosing the anchor, and the frame it lives in."""

    container: Locator
    frame: Frame
    window_like: bool


def _ancestors(element: Locator, frame: Frame) -> list[_Level]:
    """The element's ancestors, innermost first, in its frame and then in the parent frames."""
    levels: list[_Level] = []
    current_element, current_frame = element, frame
    while True:
        chain = current_element.locator("xpath=ancestor::*")
        count = chain.count()
        for index in reversed(range(count)):
            node = chain.nth(index)
            tag = node.evaluate("e => e.tagName")
            if tag in ("HTML",):
                continue
            levels.append(_Level(node, current_frame, bool(node.evaluate(_LOOKS_LIKE_WINDOW))))
        parent = current_frame.parent_frame
        if parent is None:
            return levels
        handle = current_frame.frame_element()
        try:
            position = int(handle.evaluate(_FRAME_INDEX))
        finally:
            handle.dispose()
        if position < 0:
            return levels
        current_element = parent.locator("iframe, frame").nth(position)
        current_frame = parent
        levels.append(_Level(current_element, parent, False))


def _first_control(container: Locator, order: Sequence[CloseKind]) -> Locator | None:
    for kind in order:
        for candidate in close_controls(kind)(container):
            visible = candidate.filter(visible=True)
            if visible.count() > 0:
                return visible.first
    return None


class Windows:
    """Closes windows identified by an anchor control."""

    def __init__(self, finder: Finder, dialogs: DialogKeeper, main_page: Page) -> None:
        self.finder = finder
        self.dialogs = dialogs
        self.main_page = main_page

    def close(
        self, anchor: Target, *, order: Sequence[CloseKind] = AFTER_SEND, what: str = "window"
    ) -> None:
        """Close the window holding ``anchor`` and wait until the anchor is gone."""
        found = self.finder.find(anchor)
        page = found.page
        control = self._close_control(found, order)
        # Closing may ask "are you sure?" (unsaved changes): yes, once.
        with self.dialogs.expect_confirms(1):
            if control is not None:
                log.info("closing window", window=what, how="button")
                try:
                    control.click()
                except PlaywrightError:
                    # A popup that closes itself while Playwright still waits on the click.
                    if not page.is_closed():
                        raise
            elif page is not self.main_page:
                log.info("closing window", window=what, how="popup window close")
                page.close(run_before_unload=True)
            else:
                raise ElementNotFoundError(
                    f"found no close (X) or Renunț button on the {what}",
                    hint='set `window_close = "<Playwright selector>"` under [selectors]',
                )
            # A popup whose Renunț only hides its content: close it as the browser's X does.
            popup_left_open = page is not self.main_page and not page.is_closed()
            if popup_left_open and not self.finder.wait_gone(anchor, timeout_s=2):
                page.close(run_before_unload=True)
        if not self.finder.wait_gone(anchor):
            raise ElementNotFoundError(
                f"the {what} did not close after pressing its close button",
                hint='set `window_close = "<Playwright selector>"` under [selectors]',
            )

    def _close_control(self, found: Found, order: Sequence[CloseKind]) -> Locator | None:
        override = self.finder.override("window_close")
        levels = _ancestors(found.locator, found.frame)
        if override:
            for level in levels:
                match = level.container.locator(override).filter(visible=True)
                if match.count() > 0:
                    return match.first
        window_levels = [lvl for lvl in levels if lvl.window_like]
        for level in window_levels:
            control = _first_control(level.container, order)
            if control is not None:
                return control
            if found.frame is not level.frame:
                # The window around an iframe without its own X: look inside the frame.
                inner = _first_control(found.frame.locator("body"), order)
                if inner is not None:
                    return inner
        # Nothing drawn as a window (a popup page, or a plain form): the nearest close control.
        for level in levels:
            control = _first_control(level.container, order)
            if control is not None:
                return control
        return None
