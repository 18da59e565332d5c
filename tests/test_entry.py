"""The console entry starts Playwright's driver early only for commands that open a browser,
and a run that stops before its browser (bad input) still says one clear thing and exits."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import psutil
import pytest

from e2e.conftest import run_cli
from emsys_rpa.browser import BrowserChoice
from emsys_rpa.entry import opens_browser


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run"], True),
        (["--lang", "ro", "run", "--dry-run"], True),
        (["--lang", "run"], False),  # "run" is --lang's value here, and there is no command
        (["check"], True),
        (["verify"], True),
        (["demo", "--quiet"], True),
        (["run", "--help"], False),
        (["--version"], False),
        (["runs"], False),
        (["report"], False),
        (["mock-portal"], False),
        ([], False),
    ],
)
def test_only_commands_that_open_a_browser_start_the_driver_early(
    args: list[str], expected: bool
) -> None:
    assert opens_browser(args) is expected


def test_a_run_with_bad_input_exits_2_with_one_message_and_leaves_no_driver(
    tmp_path: Path, browser_choice: BrowserChoice, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    started = time.time()
    # No portal: the run stops at its settings, after the driver was started for it.
    done = run_cli(["run"], portal=None, tmp_path=tmp_path, browser_choice=browser_choice)
    assert done.code == 2, done.stderr
    assert "portal.url" in done.stderr and "Traceback" not in done.stderr
    # Nothing of the run was made, and the driver started for nothing did not outlive it.
    assert not done.run_dir.exists() and not (tmp_path / "state").exists()
    deadline = time.monotonic() + 10
    while _orphan_drivers(since=started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _orphan_drivers(since=started)


def _orphan_drivers(*, since: float) -> list[psutil.Process]:
    """Playwright drivers started since ``since`` whose parent is gone (adopted by init)."""
    found = []
    for proc in psutil.process_iter(["cmdline", "ppid", "create_time"]):
        info = proc.info
        cmdline = " ".join(info["cmdline"] or [])
        if "run-driver" in cmdline and info["ppid"] == 1 and info["create_time"] >= since - 1:
            found.append(proc)
    return found


def test_what_the_imports_made_is_kept_out_of_garbage_collection(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import gc

    from emsys_rpa import entry

    monkeypatch.setattr(sys, "argv", ["emsys-rpa", "--version"])
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit):
            entry.main()
        # Frozen objects are skipped by every collection, the ones at exit included.
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
    assert capsys.readouterr().out.startswith("emsys-rpa ")
