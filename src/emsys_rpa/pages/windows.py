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
from typing import Any, Literal

import structlog
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Locator, Page

from emsys_rpa.errors import ElementNotFoundError
from emsys_rpa.pages import inpage
from emsys_rpa.pages.dialogs import DialogKeeper
from emsys_rpa.pages.locate import Finder, Found, Target
from emsys_rpa.textmatch import CANCEL_WORDS, CLOSE_WORDS

log = structlog.get_logger("emsys_rpa.pages.windows")

CloseKind = Literal["x", "close", "cancel"]
AFTER_SEND: tuple[CloseKind, ...] = ("x", "close", "cancel")
CANCEL_FIRST: tuple[CloseKind, ...] = ("cancel", "x", "close")

_WORDS: dict[CloseKind, tuple[str, ...]] = {
    "x": (*CLOSE_WORDS[:5], "close", "inchide"),
    "close": CLOSE_WORDS[5:],
    "cancel": CANCEL_WORDS,
}
_FRAME_INDEX = "(e) => Array.from(e.ownerDocument.querySelectorAll('iframe, frame')).indexOf(e)"


@dataclass(frozen=True)
class _Level:
    """Where to start looking: an element and the frame it lives in."""

    start: Locator
    frame: Frame
    css: str = ""  # selects ``start`` in ``frame``, when known


def _outwards(element: Locator, frame: Frame, css: str = "") -> list[_Level]:
    """The anchor, then the frame element holding its frame, and so on up to the window."""
    levels = [_Level(element, frame, css)]
    current = frame
    while current.parent_frame is not None:
        handle = current.frame_element()
        try:
            position = int(handle.evaluate(_FRAME_INDEX))
        finally:
            handle.dispose()
        if position < 0:
            break
        parent = current.parent_frame
        levels.append(_Level(parent.locator("iframe, frame").nth(position), parent))
        current = parent
    return levels


class Windows:
    """Closes windows identified by an anchor control."""

    def __init__(self, finder: Finder, dialogs: DialogKeeper, main_page: Page) -> None:
        self.finder = finder
        self.dialogs = dialogs
        self.main_page = main_page

    def close(
        self,
        anchor: Target,
        *,
        order: Sequence[CloseKind] = AFTER_SEND,
        what: str = "window",
        found: Found | None = None,
    ) -> None:
        """Close the window holding ``anchor`` and wait until the anchor is gone.

        ``found``: the anchor as the caller has just seen it (else it is looked for)."""
        found = found or self.finder.find(anchor)
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
        """The close control of the window holding ``found``, in a few in-page passes: the
        innermost element drawn as a window (in the anchor's frame, then around the frame),
        else the nearest close control."""
        override = self.finder.override("window_close")
        if override:
            return self._override_control(found, override)
        args: dict[str, Any] = {
            "order": list(order),
            "words": {k: _WORDS[k] for k in order},
            "symbols": CLOSE_WORDS[:5],
        }
        levels = _outwards(found.locator, found.frame, found.css)
        for mode in ("window", "nearest"):
            for level in levels:
                answer = self._ask(level, {**args, "mode": mode})
                if answer is None:
                    continue
                if answer["css"]:
                    log.info("close control", kind=answer["kind"], window=answer["window"])
                    return level.frame.locator(answer["css"])
                if mode == "window" and answer["window"] and level.frame is not found.frame:
                    # The window around an iframe without its own X: look inside the frame.
                    body = _Level(found.frame.locator("body"), found.frame, "body")
                    inner = self._ask(body, {**args, "mode": "inside"})
                    if inner is not None and inner["css"]:
                        return found.frame.locator(inner["css"])
        return None

    def _ask(self, level: _Level, args: dict[str, Any]) -> dict[str, Any] | None:
        self.finder.probes += 1
        try:
            answer: Any = inpage.run_at(level.frame, level.css, level.start, "closer", args)
        except PlaywrightError:
            return None
        return dict(answer) if answer else None

    def _override_control(self, found: Found, selector: str) -> Locator | None:
        """``window_close`` from [selectors]: the match nearest to the anchor, outwards."""
        for level in _outwards(found.locator, found.frame):
            chain = level.start.locator("xpath=ancestor::*")
            for index in reversed(range(chain.count())):
                match = chain.nth(index).locator(selector).filter(visible=True)
                if match.count() > 0:
                    return match.first
        return None
