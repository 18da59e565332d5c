"""What the portal answered after a click: a native dialog's text, a validation summary, a red
error label. When the screen that should follow does not appear, that answer is the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from playwright.sync_api import Error as PlaywrightError

from emsys_rpa.pages import inpage
from emsys_rpa.pages.dialogs import DialogKeeper
from emsys_rpa.pages.locate import Finder
from emsys_rpa.redaction import scrub_text


def said_now(finder: Finder) -> set[str]:
    """Every answer-like text on screen now (alerts, status lines, red labels)."""
    texts: set[str] = set()
    for frame in finder.frames():
        try:
            found: Any = inpage.run(frame, "answer", {})
        except PlaywrightError:
            continue
        texts.update(str(t) for t in found)
    return texts


class Answer:
    """Bookmarks the screen before a click; ``read()`` returns what the portal said since."""

    def __init__(
        self, finder: Finder, dialogs: DialogKeeper, before: Iterable[Any] | None = None
    ) -> None:
        """``before``: the ``answer`` script's texts now, when the caller has just read them."""
        self.finder = finder
        self.dialogs = dialogs
        self.before = said_now(finder) if before is None else {str(t) for t in before}
        self.mark = dialogs.mark()

    def read(self) -> str | None:
        said = [d.message for d in self.dialogs.since(self.mark) if d.message.strip()]
        said += sorted(said_now(self.finder) - self.before)
        text = " / ".join(" ".join(t.split()) for t in said)
        return scrub_text(text[:400]) if text else None
