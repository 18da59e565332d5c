"""Operating a control the way a person does, and saying in words why it could not be done.

Playwright explains a failed click in its call log ("<label for=…>Fundal</label> intercepts
pointer events"); ``explain`` turns that into a sentence a clerk can act on ("its label is drawn
over it"), and ``click`` raises it as ``ControlNotOperableError`` naming the control.
"""

from __future__ import annotations

import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from emsys_rpa.errors import ControlNotOperableError
from emsys_rpa.redaction import error_line

_COVERED = re.compile(r"(<[^\n]*>) intercepts pointer events")
_REASONS: tuple[tuple[str, str], ...] = (
    ("element is not visible", "it is hidden"),
    ("element is not enabled", "it is disabled (greyed out)"),
    ("element is disabled", "it is disabled (greyed out)"),
    ("element is not stable", "it keeps moving (an animation that does not end)"),
    ("outside of the viewport", "it is outside the window and cannot be scrolled into view"),
    ("not attached to the dom", "the page replaced it while it was being clicked"),
    ("element was detached", "the page replaced it while it was being clicked"),
    ("resolved to 0 elements", "it is no longer on the page"),
    ("waiting for locator", "it is no longer on the page"),
)


def explain(exc: PlaywrightError) -> str:
    """Why Playwright could not act on an element, in words."""
    text = str(exc)
    covered = _COVERED.findall(text)
    if covered:
        cover = covered[-1]
        if cover.lower().startswith("<label"):
            return f"its label is drawn over it ({_short(cover)}): a person clicks the label"
        return f"another element is drawn over it: {_short(cover)}"
    lowered = text.lower()
    for needle, reason in _REASONS:
        if needle in lowered:
            return reason
    return error_line(exc)


def _short(markup: str) -> str:
    return markup if len(markup) <= 80 else markup[:77] + "…"


def click(locator: Locator, what: str, *, timeout_ms: float | None = None) -> None:
    """Click ``locator``; ControlNotOperableError in words if Playwright cannot."""
    try:
        locator.click(timeout=timeout_ms)
    except PlaywrightError as exc:
        raise ControlNotOperableError(
            f"could not click {what}: {explain(exc)}",
            hint="look at the accessibility snapshot and HTML kept in the run folder",
        ) from None
