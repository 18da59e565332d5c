"""Options for Playwright's driver, the Node.js process between the robot and the browser.

The driver takes its options from the environment it is started with, so they are set just
for its start (and the robot's own environment is put back afterwards):

- ``--max-semi-space-size=1`` keeps V8's young generation at 1 MB: the driver only relays
  messages, and its default young generation (up to 16 MB per semi-space) made it ~19 MB
  heavier for nothing.
- ``NODE_COMPILE_CACHE``: Node keeps the driver's compiled code in the user's cache folder, so
  every run after the first starts the driver ~50 ms sooner.

Options a user has set already win: an existing semi-space setting or compile cache is kept.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Playwright, sync_playwright

from emsys_rpa.cachedir import cache_dir

SEMI_SPACE = "--max-semi-space-size=1"


def driver_environment(environ: dict[str, str], compile_cache: Path | None) -> dict[str, str]:
    """The variables to change in ``environ`` for the driver's start (name -> new value)."""
    changes: dict[str, str] = {}
    options = environ.get("NODE_OPTIONS", "")
    if "semi-space" not in options:
        changes["NODE_OPTIONS"] = f"{options} {SEMI_SPACE}".strip()
    if compile_cache is not None and "NODE_COMPILE_CACHE" not in environ:
        changes["NODE_COMPILE_CACHE"] = str(compile_cache)
    return changes


@contextmanager
def lean_driver(cache: Path | None = None) -> Iterator[None]:
    """Within the block a Playwright driver starts with the options above."""
    changes = driver_environment(dict(os.environ), cache or cache_dir("node-compile-cache"))
    saved = {name: os.environ.get(name) for name in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def start_driver() -> Playwright:
    """A Playwright driver started with the options above (the robot's one way to start it)."""
    with lean_driver():
        return sync_playwright().start()
