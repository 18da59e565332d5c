"""Which browser to launch: one function decides, for the robot and for the tests alike.

Order: an explicit executable or channel from the settings; Playwright's own Chromium if it is
installed (Playwright itself then runs its headless shell for headless runs); for a headless
run, a system headless shell (Debian's ``chromium-headless-shell``: the same engine without the
browser's user interface, about 190 MB lighter); a system Chromium or Chrome; on Windows,
Microsoft Edge (``channel="msedge"``). ``--headed`` needs a full browser, so the headless shell
is never chosen for it. ``ensure_browser`` also installs what is missing where it can.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable
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
# A headless run draws nothing on a screen: without a GPU (or its software stand-in) the GPU
# process is ~15 MB lighter, and screenshots are composited in software all the same. A headed
# run keeps the GPU, for the person watching it.
HEADLESS_ARGS: tuple[str, ...] = ("--disable-gpu", "--disable-software-rasterizer")


def launch_args(*, headless: bool) -> tuple[str, ...]:
    """The flags every launch gets (the bare peer script in ``benchmarks/`` uses them too)."""
    return LAUNCH_ARGS + (HEADLESS_ARGS if headless else ())


HEADLESS_SHELL_NAMES = ("chromium-headless-shell",)
HEADLESS_SHELL_PATHS = (
    "/usr/bin/chromium-headless-shell",
    "/usr/lib/chromium/chromium-headless-shell",
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

HEADED_ADVICE = (
    "--headed needs a full browser, and only a headless shell was found. Install one:\n"
    "  Debian/Ubuntu:  sudo apt-get install -y chromium\n"
    "or point the robot at one with EMSYS_BROWSER_EXECUTABLE=/path/to/chrome."
)

INSTALL_ADVICE = (
    "No Chromium-family browser was found. Install one, then run again:\n"
    "  Debian/Ubuntu:  sudo apt-get install -y chromium-headless-shell chromium\n"
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
    """Path of Playwright's own Chromium if it has been downloaded, else None.

    This starts a Playwright driver just to ask; a run that has one already passes its own
    answer to ``find_browser`` (``bundled=``) instead.
    """
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            return bundled_chromium(pw.chromium.executable_path)
    except Exception:
        return None


def bundled_chromium(path: str | None) -> str | None:
    """``path`` (Playwright's idea of its Chromium) if that browser has been downloaded."""
    return path if path and Path(path).is_file() else None


def _first_real(names: tuple[str, ...], paths: tuple[str, ...]) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found and _is_real_browser(found):
            return found
    return next((p for p in paths if Path(p).is_file() and _is_real_browser(p)), None)


def _headless_shell() -> str | None:
    """A system headless shell (Debian's ``chromium-headless-shell``), if installed."""
    return _first_real(HEADLESS_SHELL_NAMES, HEADLESS_SHELL_PATHS)


def _system_executable() -> str | None:
    candidates = SYSTEM_EXECUTABLE_PATHS
    if sys.platform == "win32":
        candidates += WINDOWS_CHROME_PATHS
    return _first_real(SYSTEM_EXECUTABLE_NAMES, candidates)


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
    *,
    headless: bool = True,
    bundled: Callable[[], str | None] | None = None,
) -> BrowserChoice:
    """Decide which browser to launch; raise BrowserNotFoundError with advice when none.

    ``bundled`` answers "is Playwright's own Chromium downloaded?" (default: ask a throw-away
    Playwright driver).
    """
    args = launch_args(headless=headless) + tuple(extra_args)
    if executable:
        path = Path(executable)
        if not path.is_file():
            raise BrowserNotFoundError(
                f"browser executable {path} (browser.executable / EMSYS_BROWSER_EXECUTABLE) "
                "does not exist",
                hint="fix the path, or unset it to let the robot find a browser",
            )
        if sys.platform != "win32" and not os.access(path, os.X_OK):
            raise BrowserNotFoundError(
                f"browser executable {path} (browser.executable / EMSYS_BROWSER_EXECUTABLE) "
                "is not executable",
                hint=f"point it at the browser program itself, or make it executable "
                f"(chmod +x {path})",
            )
        return BrowserChoice("configured executable", executable_path=str(path), args=args)
    if channel:
        return BrowserChoice("configured channel", channel=channel, args=args)
    if (bundled or _playwright_chromium)():
        why = " (its headless shell for headless runs)" if headless else ""
        return BrowserChoice(f"Playwright's Chromium{why}", args=args)
    shell = _headless_shell() if headless else None
    if shell:
        return BrowserChoice(
            "system headless shell (lighter, for headless runs)", executable_path=shell, args=args
        )
    system = _system_executable()
    if system:
        return BrowserChoice("system browser", executable_path=system, args=args)
    if _windows_edge():
        return BrowserChoice("Microsoft Edge", channel="msedge", args=args)
    if not headless and _headless_shell():
        raise BrowserNotFoundError(HEADED_ADVICE)
    raise BrowserNotFoundError(INSTALL_ADVICE)


def _apt_install(package: str) -> bool:
    """``apt-get install -y package`` when this is Debian/Ubuntu and we are root."""
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if platform.system() != "Linux" or not is_root or not shutil.which("apt-get"):
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", "-qq", package]
    if subprocess.run(command, check=False, env=env).returncode == 0:
        return True
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    return subprocess.run(command, check=False, env=env).returncode == 0


def _try_install() -> list[str]:
    """Install a browser where this machine allows it; return what was tried."""
    tried = ["apt-get install -y chromium"]
    if _apt_install("chromium"):
        return tried
    tried.append("python -m playwright install chromium")
    subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=False)
    return tried


def ensure_browser(
    executable: str | os.PathLike[str] | None = None,
    channel: str | None = None,
    *,
    install: bool = True,
    headless: bool = True,
) -> BrowserChoice:
    """Like find_browser, but install what is missing where it can (apt-get as root, else
    Playwright): a browser when there is none, and the lighter headless shell for headless
    runs when only the full browser is there."""
    if install and not (executable or channel) and _headless_shell() is None:
        # Best effort: without it the full browser serves headless runs too.
        _apt_install("chromium-headless-shell")
    try:
        return find_browser(executable, channel, headless=headless)
    except BrowserNotFoundError:
        if not install or executable or channel:
            raise
    tried = _try_install()
    try:
        return find_browser(headless=headless)
    except BrowserNotFoundError as exc:
        raise BrowserNotFoundError(
            f"tried {', then '.join(tried)} and still found no browser.\n{INSTALL_ADVICE}"
        ) from exc
