"""What differs on Windows: backslash paths with spaces in the config file, and Edge.

The config tests run everywhere (on Windows the run's folders are real backslash paths);
Edge's discovery and launch need Windows, where it is part of the system.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from emsys_rpa.browser import BrowserChoice, discovery, find_browser
from emsys_rpa.settings import load_settings

from .conftest import CliRun, cli_env, explain, robot_command

WINDOWS_CONFIG = r"""
[state]
dir = 'C:\Users\Ana Pop\Date EMSYS'
[run]
runs_root = "D:\\Rapoarte EMSYS\\rulări noaptea"
"""


def test_windows_paths_in_the_config_are_read_as_written(tmp_path: Path) -> None:
    # Literal strings ('…') keep backslashes as they are; basic strings ("…") escape them.
    config = tmp_path / "emsys rpa.toml"
    config.write_text(WINDOWS_CONFIG, encoding="utf-8")
    settings = load_settings(config, use_keyring=False)
    assert str(settings.state.dir) == r"C:\Users\Ana Pop\Date EMSYS"
    assert str(settings.run.runs_root) == r"D:\Rapoarte EMSYS\rulări noaptea"


def _literal(path: Path) -> str:
    """``path`` as a TOML literal string: backslashes (Windows) stay as they are."""
    text = str(path)
    assert "'" not in text
    return f"'{text}'"


@pytest.mark.browser
@pytest.mark.slow
def test_a_run_keeps_its_folders_where_a_config_with_spaces_says(
    portal_factory: Any, tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    # On Windows these are C:\…\ paths with spaces, written as a clerk would.
    folder = tmp_path / "Date EMSYS" / "robot facturi"
    config = folder / "config emsys.toml"
    state, reports = folder / "stare robot", folder / "rapoarte rulari"
    folder.mkdir(parents=True)
    config.write_text(
        f"[state]\ndir = {_literal(state)}\n[run]\nruns_root = {_literal(reports)}\n",
        encoding="utf-8",
    )
    portal = portal_factory()
    env = cli_env(portal, tmp_path, browser_choice)
    del env["EMSYS_STATE_DIR"]  # the config file says where
    done = subprocess.run(
        [*robot_command(), "run", "--only", "alerts", "--dry-run", "--config", str(config)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    runs = sorted(reports.iterdir()) if reports.is_dir() else []
    assert len(runs) == 1, f"no run folder in {reports}\n{done.stdout}\n{done.stderr[-2000:]}"
    run_dir = runs[0]
    run = CliRun(done.returncode, done.stdout, done.stderr, run_dir)

    assert run.code == 0, explain(run)
    assert run.task("alerts")["status"] == "dry_run"
    assert (state / "ledger.sqlite3").is_file()
    assert (run_dir / "report.html").is_file()
    assert str(run_dir) in run.stdout or run_dir.name in run.stdout


@pytest.mark.browser
@pytest.mark.skipif(sys.platform != "win32", reason="Microsoft Edge (channel msedge): Windows")
def test_edge_is_found_and_launches_when_nothing_else_is_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Windows runners also have Chrome and Playwright's Chromium: hide them, as on a clerk's PC.
    monkeypatch.setattr(discovery, "_system_executable", lambda: None)
    monkeypatch.setattr(discovery, "_headless_shell", lambda: None)
    choice = find_browser(bundled=lambda: None)
    assert (choice.source, choice.channel) == ("Microsoft Edge", "msedge")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**choice.launch_kwargs())
        try:
            page = browser.new_page()
            page.set_content("<label>Utilizator <input></label><button>Intră</button>")
            page.get_by_label("Utilizator").fill("operator")
            assert page.get_by_label("Utilizator").input_value() == "operator"
        finally:
            browser.close()
