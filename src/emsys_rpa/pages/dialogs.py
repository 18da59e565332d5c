"""Native dialogs (``alert``/``confirm``/``beforeunload``): answered by policy, remembered.

Playwright silently dismisses every dialog nobody handles, so a portal that asks "are you
sure?" with ``confirm()`` would see its send cancelled without a word. ``DialogKeeper`` listens
on the whole context (popups included) from the start, logs each dialog's text and answers it
by policy: alerts are acknowledged (OK is their only button), confirms are accepted only while
the robot expects one (``expect_confirms``), anything else is dismissed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import structlog
from playwright.sync_api import BrowserContext, Dialog
from playwright.sync_api import Error as PlaywrightError

from emsys_rpa.redaction import scrub_text

log = structlog.get_logger("emsys_rpa.pages.dialogs")

DialogAction = Literal["accepted", "dismissed"]


@dataclass(frozen=True)
class SeenDialog:
    kind: str  # alert | confirm | prompt | beforeunload
    message: str
    url: str
    action: DialogAction
    at: datetime


@dataclass
class DialogKeeper:
    """Answers every native dialog of the context and remembers what it said."""

    seen: list[SeenDialog] = field(default_factory=list)
    _confirms_allowed: int = 0

    def attach(self, context: BrowserContext) -> None:
        context.on("dialog", self._on_dialog)

    def mark(self) -> int:
        """A bookmark: ``since(mark)`` returns the dialogs that appeared after it."""
        return len(self.seen)

    def since(self, mark: int) -> list[SeenDialog]:
        return self.seen[mark:]

    @contextmanager
    def expect_confirms(self, count: int = 1) -> Iterator[None]:
        """Accept up to ``count`` confirm() dialogs while inside the block, then refuse again."""
        self._confirms_allowed = count
        try:
            yield
        finally:
            self._confirms_allowed = 0

    def _on_dialog(self, dialog: Dialog) -> None:
        kind = dialog.type
        message = scrub_text(dialog.message)
        accept = kind in ("alert", "beforeunload")
        if kind == "confirm" and self._confirms_allowed > 0:
            self._confirms_allowed -= 1
            accept = True
        action: DialogAction = "accepted" if accept else "dismissed"
        try:
            url = dialog.page.url if dialog.page else ""
        except PlaywrightError:
            url = ""
        self.seen.append(SeenDialog(kind, message, url, action, datetime.now(UTC)))
        log_method = log.info if accept else log.warning
        log_method("native dialog", dialog=kind, text=message, action=action)
        # The page may already be gone (a popup that closed itself): nothing left to answer.
        with suppress(PlaywrightError):
            if accept:
                dialog.accept()
            else:
                dialog.dismiss()
