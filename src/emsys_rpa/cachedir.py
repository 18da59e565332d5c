"""The user's cache folder for what the robot can rebuild at any time, to start faster.

Compiled code only (Node's compile cache for Playwright's driver, the report template's
bytecode): nothing in it is private, and deleting it costs the next run a few tenths of a
second. ``None`` where there is no usable cache folder: callers then simply do without.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs


def cache_dir(name: str) -> Path | None:
    """``<user cache>/emsys-rpa/<name>``, created if missing; None if it cannot be."""
    try:
        path = platformdirs.user_cache_path("emsys-rpa", appauthor=False) / name
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path
