"""End-to-end: the real ``emsys-rpa`` command, as a subprocess, against the running mock portal.

Each run gets its own state folder (ledger, lock) and run folder under ``tmp_path``; the mock
portal listens on a free loopback port. Sends start quickly (``send_start_delay_s``) and the
verification timeout is short, so a whole run takes seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from emsys_rpa.browser import BrowserChoice
from emsys_rpa.mockportal import MockPortal, MockPortalOptions, parse_variant, running_mock_portal

CLI_TIMEOUT_S = 240


@dataclass
class CliRun:
    code: int
    stdout: str
    stderr: str
    run_dir: Path

    @property
    def summary(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.run_dir / "summary.json").read_text("utf-8"))
        return data

    def task(self, name: str) -> dict[str, Any]:
        return next(t for t in self.summary["tasks"] if t["name"] == name)

    def all_output(self) -> str:
        texts = [self.stdout, self.stderr]
        for name in ("summary.json", "run.log.jsonl", "report.html"):
            path = self.run_dir / name
            if path.is_file():
                texts.append(path.read_text("utf-8", errors="replace"))
        return "\n".join(texts)


def cli_env(
    portal: MockPortal | None,
    tmp_path: Path,
    browser_choice: BrowserChoice,
    *,
    password: str | None = None,
    state: str = "state",
) -> dict[str, str]:
    """The environment a run gets: the portal's credentials, a state folder, the browser."""
    # Only what the test set (monkeypatch) and the browser choice pass through.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("EMSYS_") or k.startswith("EMSYS_RUN_")
    }
    env["EMSYS_STATE_DIR"] = str(tmp_path / state)
    env["EMSYS_LANG"] = os.environ.get("EMSYS_LANG", "en")
    if browser_choice.executable_path:
        env["EMSYS_BROWSER_EXECUTABLE"] = browser_choice.executable_path
    if portal is not None:
        env["EMSYS_PORTAL_URL"] = portal.url
        env["EMSYS_USERNAME"] = portal.username
        env["EMSYS_PASSWORD"] = password if password is not None else portal.password
    return env


def run_cli(
    args: Sequence[str],
    *,
    portal: MockPortal | None,
    tmp_path: Path,
    browser_choice: BrowserChoice,
    password: str | None = None,
    run_name: str = "run",
    state: str = "state",
) -> CliRun:
    """``python -m emsys_rpa <args>`` with the portal's credentials in the environment."""
    env = cli_env(portal, tmp_path, browser_choice, password=password, state=state)
    run_dir = tmp_path / run_name
    command = [sys.executable, "-m", "emsys_rpa", *args]
    if args and args[0] in ("run", "demo"):
        command += ["--report-dir", str(run_dir)]
    done = subprocess.run(
        command,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
        check=False,
    )
    return CliRun(done.returncode, done.stdout, done.stderr, run_dir)


def explain(run: CliRun) -> str:
    """What to print when an assertion fails: the summary's steps and the tail of stderr."""
    lines = [f"exit {run.code}", run.stdout[-2000:]]
    try:
        for task in run.summary["tasks"]:
            lines.append(f"{task['name']}: {task['status']} {task['errors']}")
            lines += [f"   {s['name']}: {s['status']} {s['detail']}" for s in task["steps"]]
    except (OSError, ValueError):
        lines.append(run.stderr[-3000:])
    return "\n".join(lines)


@pytest.fixture
def portal_factory() -> Iterator[Any]:
    """Start mock portals for a test (stopped at its end): ``portal_factory("iframe-…")``."""
    stack: list[Any] = []

    def start(variant: str = "default", **options: Any) -> MockPortal:
        options.setdefault("send_start_delay_s", 0.5)
        manager = running_mock_portal(MockPortalOptions(variant=parse_variant(variant), **options))
        portal = manager.__enter__()
        stack.append(manager)
        return portal

    yield start
    for manager in reversed(stack):
        manager.__exit__(None, None, None)
