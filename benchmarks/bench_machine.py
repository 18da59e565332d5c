"""What the figures were measured on: CPU, memory, software versions, and how busy it was."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil


@dataclass(frozen=True)
class Machine:
    cpus: int
    cpu_model: str
    ram_gb: float
    system: str
    python: str
    playwright: str
    browser: str
    commit: str

    def lines(self) -> list[str]:
        return [
            f"CPUs (nproc): {self.cpus}",
            f"CPU model: {self.cpu_model}",
            f"RAM: {self.ram_gb:.1f} GB",
            f"OS: {self.system}",
            f"Python: {self.python}",
            f"Playwright (Python): {self.playwright}",
            f"Browser: {self.browser}",
            f"Code: {self.commit}",
        ]


def _usable_cpus() -> int:
    """What ``nproc`` prints: the CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 0


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text("utf-8").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _unknown(exc: Exception) -> str:
    first = str(exc).splitlines()[0] if str(exc) else ""
    return f"unknown ({type(exc).__name__}: {first})"


def browser_version(launch_kwargs: Mapping[str, Any]) -> str:
    """What the browser launched with ``launch_kwargs`` says it is ("Chromium 156.0…")."""
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(headless=True, **launch_kwargs)
            version = browser.version
            browser.close()
    except Exception as exc:  # a description, not a measurement: say what went wrong
        return _unknown(exc)
    return f"Chromium {version}"


def browser_description() -> str:
    """The browser the robot will pick (same discovery), with the version it reports."""
    from emsys_rpa.browser import find_browser

    try:
        choice = find_browser()
    except Exception as exc:  # a description, not a measurement: say what went wrong
        return _unknown(exc)
    return f"{browser_version(choice.launch_kwargs())} ({choice.describe()})"


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], capture_output=True, text=True, timeout=10, check=False
        )
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _commit() -> str:
    head = _git("rev-parse", "--short", "HEAD")
    if not head:
        return "unknown (not a git checkout)"
    dirty = _git("status", "--porcelain", "--", "src")
    return f"{head}" + (" + uncommitted changes under src/" if dirty else "")


def describe_machine() -> Machine:
    try:
        playwright = metadata.version("playwright")
    except metadata.PackageNotFoundError:
        playwright = "not installed"
    return Machine(
        cpus=_usable_cpus(),
        cpu_model=_cpu_model(),
        ram_gb=psutil.virtual_memory().total / 1024**3,
        system=f"{platform.system()} {platform.release()} ({platform.machine()})",
        python=sys.version.split()[0],
        playwright=playwright,
        browser=browser_description(),
        commit=_commit(),
    )


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "n/a"
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"
