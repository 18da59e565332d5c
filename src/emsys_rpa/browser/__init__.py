"""The browser: which one to launch (``discovery``), trusting a private CA (``tls``), and one
run's browser session (``session``: launch, main tab, screenshots, tracing).

Only ``discovery`` is imported here: commands that just report the browser choice must not pay
for Playwright's import.
"""

from __future__ import annotations

from emsys_rpa.browser.discovery import (
    INSTALL_ADVICE,
    LAUNCH_ARGS,
    BrowserChoice,
    ensure_browser,
    find_browser,
    launch_args,
)

__all__ = [
    "INSTALL_ADVICE",
    "LAUNCH_ARGS",
    "BrowserChoice",
    "ensure_browser",
    "find_browser",
    "launch_args",
]
