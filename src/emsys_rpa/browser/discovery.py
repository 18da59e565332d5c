"""Which browser to launch: one function decides, for the robot and for the tests alike.

Order: an explicit executable or channel from the settings; Playwright's own Chromium if it is
installed; a system Chromium or Chrome; on Windows, Microsoft Edge (``channel="msedge"``).
``ensure_browser`` additionally tries to install one when none is found.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emsys_rpa.errors import BrowserNotFoundError

# Locked-down machines refuse Chromium's background connections; without these flags it spends
# its start-up retrying Google's hosts.
LAUNCH_ARGS: tuple[str, ...] = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
)

SYSTEM_EXECUTABLE_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SYSTEM_EXECUTABLE_PATHS = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/snap/bin/chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)
WINDOWS_EDGE_PATHS = (
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
)
WINDOWS_CHROME_PATHS = (
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
)

INSTALL_ADVICE = (
    "No Chromium-family browser was found. Install one, then run again:\n"
    "  Debian/Ubuntu:  sudo apt-get install -y chromium\n"
    "  Fedora/RHEL:    sudo dnf install -y chromium\n"
    "  Windows:        Microsoft Edge is built in (or install Google Chrome)\n"
    "  With internet:  python -m playwright install chromium\n"
    "or point the robot at one with EMSYS_BROWSER_EXECUTABLE=/path/to/chrome "
    "(or EMSYS_BROWSER_CHANNEL=msedge|chrome)."
)


@dataclass(frozen=True)
class BrowserChoice:
    """How to launch the browser, and a sentence saying where it came from."""

    source: str
    executable_path: str | None = None
    channel: str | None = None
    args: tuple[str, ...] = field(default=LAUNCH_ARGS)

    def launch_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"args": list(self.args)}
        if self.executable_path:
            kwargs["executable_path"] = self.executable_path
        if self.channel:
            kwargs["channel"] = self.channel
        return kwargs

    def describe(self) -> str:
        what = self.executable_path or (f"channel {self.channel}" if self.channel else "bundled")
        return f"{self.source}: {what}"


def _playwright_chromium() -> str | None:
    """Path of Playwright's own Chromium if it has been downloaded, else None."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            path = pw.chromium.executable_path
    except Exception:
        return None
    return path if path and Path(path).is_file() else None


def _system_executable() -> str | None:
    for name in SYSTEM_EXECUTABLE_NAMES:
        found = shutil.which(name)
        if found and _is_real_browser(found):
            return found
    candidates = list(SYSTEM_EXECUTABLE_PATHS)
    if sys.platform == "win32":
        candidates += list(WINDOWS_CHROME_PATHS)
    return next((p for p in candidates if Path(p).is_file() and _is_real_browser(p)), None)


def _is_real_browser(path: str) -> bool:
    # Ubuntu's /usr/bin/chromium-browser can be a shell shim that only says "install the snap".
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return not (head.startswith(b"#!") and b"snap" in head)


def _windows_edge() -> bool:
    return sys.platform == "win32" and any(Path(p).is_file() for p in WINDOWS_EDGE_PATHS)


def find_browser(
    executable: str | os.PathLike[str] | None = None,
    channel: str | None = None,
    extra_args: tuple[str, ...] = (),
) -> BrowserChoice:
    """Decide which browser to launch; raise BrowserNotFoundError with advice when none."""
    args = LAUNCH_ARGS + tuple(extra_args)
    if executable:
        path = Path(executable)
        if not path.is_file():
            raise BrowserNotFoundError(
                f"browser executable {path} (browser.executable / EMSYS_BROWSER_EXECUTABLE) "
                "does not exist",
                hint="fix the path, or unset it to let the robot find a browser",
            )
        if not os.access(path, os.X_OK):
            raise BrowserNotFoundError(
                f"browser executable {path} (browser.executable / EMSYS_BROWSER_EXECUTABLE) "
                "is not executable",
                hint=f"point it at the browser program itself, or make it executable "
                f"(chmod +x {path})",
            )
        return BrowserChoice("configured executable", executable_path=str(path), args=args)
    if channel:
        return BrowserChoice("configured channel", channel=channel, args=args)
    bundled = _playwright_chromium()
    if bundled:
        return BrowserChoice("Playwright's Chromium", args=args)
    system = _system_executable()
    if system:
        return BrowserChoice("system browser", executable_path=system, args=args)
    if _windows_edge():
        return BrowserChoice("Microsoft Edge", channel="msedge", args=args)
    raise BrowserNotFoundError(INSTALL_ADVICE)


def _try_install() -> list[str]:
    """Install a browser where this machine allows it; return what was tried."""
    tried: list[str] = []
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if platform.system() == "Linux" and is_root and shutil.which("apt-get"):
        tried.append("apt-get install -y chromium")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        result = subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium"], check=False, env=env
        )
        if result.returncode == 0:
            return tried
    tried.append("python -m playwright install chromium")
    subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=False)
    return tried


def ensure_browser(
    executable: str | os.PathLike[str] | None = None,
    channel: str | None = None,
    *,
    install: bool = True,
) -> BrowserChoice:
    """Like find_browser, but install one (apt-get as root, else Playwright) when none is found."""
    try:
        return find_browser(executable, channel)
    except BrowserNotFoundError:
        if not install or executable or channel:
            raise
    tried = _try_install()
    try:
        return find_browser()
    except BrowserNotFoundError as exc:
        raise BrowserNotFoundError(
            f"tried {', then '.join(tried)} and still found no browser.\n{INSTALL_ADVICE}"
        ) from exc
