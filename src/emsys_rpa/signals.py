"""SIGTERM (a cron timeout, ``systemctl stop``, ``kill``) stops the run like Ctrl-C does.

Python turns Ctrl-C into ``KeyboardInterrupt``, and the run's orderly shutdown path (close the
browser, write the ledger and ``summary.json``, exit 130) hangs off that. SIGTERM's default
action is to kill the process on the spot, leaving a send's intent without its outcome and no
summary. Inside ``sigterm_as_interrupt()`` SIGTERM raises ``TerminatedBySignal``, a
``KeyboardInterrupt``, so both take the same path.

Only the first SIGTERM interrupts: repeats while that shutdown runs are ignored, so that a
second ``kill`` cannot cut the ledger write short (SIGKILL still ends the process at once).
On Windows there is no SIGTERM to receive; Ctrl-Break (SIGBREAK) is treated the same way.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import structlog

_log = structlog.get_logger("emsys_rpa.signals")

Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


class TerminatedBySignal(KeyboardInterrupt):
    """Raised in the main thread when the process is asked to terminate."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.signal_name = signal.Signals(signum).name
        super().__init__(f"stopped by {self.signal_name}")


def _termination_signals() -> list[signal.Signals]:
    names = ("SIGTERM", "SIGBREAK")
    return [sig for name in names if (sig := getattr(signal.Signals, name, None)) is not None]


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM (SIGBREAK on Windows) raises ``TerminatedBySignal``.

    The previous handlers are restored on exit. Outside the main thread, where Python cannot
    install signal handlers, this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired = False

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal fired
        if fired:
            _log.warning("termination signal ignored: already stopping", signal=signum)
            return
        fired = True
        raise TerminatedBySignal(signum)

    previous: dict[signal.Signals, Handler] = {}
    try:
        for sig in _termination_signals():
            try:
                previous[sig] = signal.signal(sig, handler)
            except (OSError, ValueError):  # not installable on this platform
                continue
        yield
    finally:
        for sig, old in previous.items():
            # None means "installed outside Python": the closest we can restore is the default.
            signal.signal(sig, old if old is not None else signal.SIG_DFL)
