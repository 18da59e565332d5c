"""Deliberately broken robots, patched in by the test harness (``$SAFETY_HARNESS_MISBEHAVE``).

Loaded only in a robot subprocess started by ``e2e.conftest.run_cli`` with that variable
set, to prove that the fault matrix's checks fail when the robot misbehaves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _double_click() -> None:
    """Trimite double-clicked just before the robot's own click."""
    from emsys_rpa.pages.sending import SendingScreen

    original = SendingScreen.send

    def send(self: SendingScreen, *, before_click: Any = None, **kwargs: Any) -> Any:
        def and_once_more() -> None:
            if before_click is not None:
                before_click()
            self.finder.find(self.screen.send).locator.dblclick(no_wait_after=True)

        return original(self, before_click=and_once_more, **kwargs)

    SendingScreen.send = send  # type: ignore[method-assign]


MISBEHAVIOURS: dict[str, Callable[[], None]] = {"double-click": _double_click}


def apply(name: str) -> None:
    MISBEHAVIOURS[name]()
