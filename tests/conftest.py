"""Shared fixtures. Browser tests use pytest-playwright, launched exactly as the robot launches."""

from __future__ import annotations

import os
from typing import Any

import pytest

from emsys_rpa.browser import BrowserChoice, find_browser
from emsys_rpa.wording import set_language


@pytest.fixture(scope="session")
def browser_choice() -> BrowserChoice:
    """The same decision the robot makes (browser.find_browser), once per session."""
    return find_browser(
        os.environ.get("EMSYS_BROWSER_EXECUTABLE"), os.environ.get("EMSYS_BROWSER_CHANNEL")
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], browser_choice: BrowserChoice
) -> dict[str, Any]:
    """pytest-playwright's launch arguments, pointed at the robot's browser."""
    return {**browser_type_launch_args, **browser_choice.launch_kwargs()}


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep tests away from the developer's real config, ledger and keyring."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    for name in list(os.environ):
        if name.startswith("EMSYS_") and name not in {
            "EMSYS_BROWSER_EXECUTABLE",
            "EMSYS_BROWSER_CHANNEL",
        }:
            monkeypatch.delenv(name)
    # English unless a test asks for Romanian, whatever the machine's locale.
    monkeypatch.setenv("EMSYS_LANG", "en")
    set_language("en")
