"""Playwright's driver, started while Python is still importing the robot.

The driver is a Node.js program that needs ~0.2 s to start, and the robot's imports take
~0.3 s: one after the other they were half a second of every run's start-up. For the commands
that open a browser, the console entry starts the driver in this (the main) thread and imports
the command line in another meanwhile; the run's browser session then takes the driver that is
ready (``take``) instead of starting its own. A driver nobody took is stopped at exit.

Nothing here may fail a run: if the driver cannot start now, the session starts one itself
later and reports why that failed, in its own words.
"""

from __future__ import annotations

import atexit
import importlib
import threading
from contextlib import suppress
from types import ModuleType

from playwright.sync_api import Playwright

from emsys_rpa.browser.driver_env import start_driver

_ready: list[Playwright] = []


def import_while_driver_starts(*modules: str) -> ModuleType:
    """Import ``modules`` in a thread while the driver starts here; the first of them."""
    imported: list[ModuleType] = []
    failed: list[BaseException] = []

    def load() -> None:
        try:
            imported.extend(importlib.import_module(module) for module in modules)
        except BaseException as exc:  # re-raised below, in the main thread
            failed.append(exc)

    loader = threading.Thread(target=load, name="emsys-rpa-imports", daemon=True)
    loader.start()
    # If it cannot start now, the session starts one itself and says what is wrong then.
    with suppress(Exception):
        _ready.append(start_driver())
        atexit.register(_stop_unused)
    loader.join()
    if failed:
        raise failed[0]
    return imported[0]


def take() -> Playwright | None:
    """The driver started at start-up, once; None if there is none (any more)."""
    return _ready.pop() if _ready else None


def _stop_unused() -> None:
    while _ready:
        with suppress(Exception):
            _ready.pop().stop()
