"""Playwright's driver starts lean (a small young generation, a compile cache) and the robot's
own environment is left as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from emsys_rpa.browser.driver_env import SEMI_SPACE, driver_environment


def test_the_users_node_options_are_kept_and_extended() -> None:
    changes = driver_environment({"NODE_OPTIONS": "--no-warnings"}, Path("/c"))
    assert changes == {"NODE_OPTIONS": f"--no-warnings {SEMI_SPACE}", "NODE_COMPILE_CACHE": "/c"}


def test_what_the_user_set_already_wins() -> None:
    environ = {"NODE_OPTIONS": "--max-semi-space-size=8", "NODE_COMPILE_CACHE": "/mine"}
    assert driver_environment(environ, Path("/c")) == {}


def test_without_a_cache_folder_there_is_no_compile_cache() -> None:
    assert driver_environment({}, None) == {"NODE_OPTIONS": SEMI_SPACE}


# Run in a process of its own: pytest-playwright may hold a running Playwright in this one.
_PROBE = """
import json, os, sys
import psutil
from emsys_rpa.browser.driver_env import start_driver

os.environ["XDG_CACHE_HOME"] = sys.argv[1]
playwright = start_driver()
try:
    (driver,) = [
        child for child in psutil.Process().children(recursive=True)
        if "run-driver" in " ".join(child.cmdline())
    ]
    print(json.dumps({"driver": driver.environ(), "robot": dict(os.environ)}))
finally:
    playwright.stop()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads another process's env")
def test_the_driver_runs_with_the_options_and_the_robot_keeps_its_environment(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NODE_OPTIONS", "NODE_COMPILE_CACHE")}
    cache = tmp_path / "emsys-rpa" / "node-compile-cache"
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    seen = json.loads(done.stdout)
    assert SEMI_SPACE in seen["driver"]["NODE_OPTIONS"]
    assert seen["driver"]["NODE_COMPILE_CACHE"] == str(cache)
    assert "NODE_OPTIONS" not in seen["robot"] and "NODE_COMPILE_CACHE" not in seen["robot"]
    assert any(cache.rglob("*")), "the driver left no compiled code in the cache"
