"""The one way page objects wait: check, then wait on a condition for a growing while, until a
deadline.

Every wait in the page layer has the same shape: look (one cheap pass over the open windows),
and if what is wanted is not there, block in the browser on a condition that returns as soon as
something may have changed (a locator becoming visible, a grid changing) — for 100 ms at first,
doubling up to 1 s, so that a quick portal is answered at once and a slow one is not polled
hard. Never a fixed sleep: ``idle`` must return early when its condition is met.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import Literal, TypeVar

T = TypeVar("T")

FIRST_WAIT_MS = 100.0
MAX_WAIT_MS = 1000.0
# Waits up to this long look at every frame the page draws (~16 ms): the portal usually
# answers within the first ones, and a 100 ms interval made each answer cost up to 100 ms more.
# Longer waits look every 100 ms, so a slow portal is not polled hard.
EVERY_FRAME_UP_TO_MS = 250.0


def polling_for(wait_ms: float) -> Literal["raf"] | float:
    """How often a condition wait of ``wait_ms`` re-checks in the browser (``polling=``)."""
    return "raf" if wait_ms <= EVERY_FRAME_UP_TO_MS else 100.0


def poll(
    check: Callable[[], T | None],
    *,
    timeout_s: float,
    idle: Callable[[float], object],
    first_ms: float = FIRST_WAIT_MS,
    max_ms: float = MAX_WAIT_MS,
) -> T | None:
    """``check()`` until it returns something other than None; None once ``timeout_s`` is over.

    ``check`` is always called at least once, and once more after the last wait. Between two
    checks ``idle(ms)`` waits on a condition for at most ``ms`` milliseconds. Errors raised by
    ``check`` or ``idle`` end the poll (a session that expired, say).
    """
    deadline = monotonic() + timeout_s
    wait_ms = first_ms
    while True:
        result = check()
        if result is not None:
            return result
        remaining_ms = (deadline - monotonic()) * 1000
        if remaining_ms <= 0:
            return None
        idle(min(wait_ms, remaining_ms))
        wait_ms = min(wait_ms * 2, max_ms)
