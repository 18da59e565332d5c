from __future__ import annotations

import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page

from emsys_rpa.browser import LAUNCH_ARGS, BrowserChoice, find_browser
from emsys_rpa.browser import discovery as browser
from emsys_rpa.errors import BrowserNotFoundError, ExitStatus


def test_explicit_executable_wins(tmp_path: Path) -> None:
    exe = tmp_path / "chrome"
    exe.write_bytes(b"\x7fELF" + b"\0" * 8000)
    exe.chmod(0o755)  # a browser is a program: one that is not executable is refused
    choice = find_browser(exe)
    assert choice.executable_path == str(exe)
    assert choice.launch_kwargs()["executable_path"] == str(exe)
    assert set(LAUNCH_ARGS) <= set(choice.launch_kwargs()["args"])


def test_missing_explicit_executable_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(BrowserNotFoundError) as info:
        find_browser(tmp_path / "nope")
    assert "EMSYS_BROWSER_EXECUTABLE" in str(info.value)
    assert info.value.exit_status is ExitStatus.CONFIG_ERROR


def test_channel_is_passed_through() -> None:
    assert find_browser(channel="msedge").launch_kwargs()["channel"] == "msedge"


def test_nothing_found_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "_playwright_chromium", lambda: None)
    monkeypatch.setattr(browser, "_headless_shell", lambda: None)
    monkeypatch.setattr(browser, "_system_executable", lambda: None)
    monkeypatch.setattr(browser, "_windows_edge", lambda: False)
    with pytest.raises(BrowserNotFoundError) as info:
        find_browser()
    assert "apt-get install -y chromium" in str(info.value)


def test_snap_shim_is_not_a_browser(tmp_path: Path) -> None:
    shim = tmp_path / "chromium-browser"
    shim.write_text("#!/bin/sh\necho 'Command requires the chromium snap to be installed'\n")
    assert not browser._is_real_browser(str(shim))


def test_pytest_playwright_uses_the_robots_browser(
    browser_choice: BrowserChoice, page: Page
) -> None:
    page.set_content("<label>Utilizator <input></label><button>Intră</button>")
    page.get_by_label("Utilizator").fill("clerk")
    assert page.get_by_label("Utilizator").input_value() == "clerk"
    # The very browser the robot chose: its process runs the chosen executable.
    chosen = browser_choice.executable_path
    if chosen is not None:
        # Debian's /usr/bin/chromium* are shell wrappers around /usr/lib/chromium/*.
        assert _launched_executable(page) in _executables_behind(Path(chosen).resolve())


def test_ensure_browser_installs_with_apt_as_root_then_finds_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    installed: list[list[str]] = []
    found = {"path": None}

    def fake_run(cmd: list[str], **_: object) -> object:
        installed.append(cmd)
        if cmd[:2] == ["apt-get", "install"] and cmd[-1] == "chromium":
            found["path"] = "/usr/bin/chromium"

        class Done:
            returncode = 0

        return Done()

    monkeypatch.setattr(browser, "_playwright_chromium", lambda: None)
    monkeypatch.setattr(browser, "_headless_shell", lambda: None)
    monkeypatch.setattr(browser, "_system_executable", lambda: found["path"])
    monkeypatch.setattr(browser, "_windows_edge", lambda: False)
    monkeypatch.setattr(browser.platform, "system", lambda: "Linux")
    monkeypatch.setattr(browser.os, "geteuid", lambda: 0, raising=False)
    monkeypatch.setattr(browser.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(browser.subprocess, "run", fake_run)
    choice = browser.ensure_browser()
    assert choice.executable_path == "/usr/bin/chromium"
    assert ["apt-get", "install", "-y", "-qq", "chromium"] in installed


def test_ensure_browser_gives_advice_when_install_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    class Failed:
        returncode = 1

    monkeypatch.setattr(browser, "_playwright_chromium", lambda: None)
    monkeypatch.setattr(browser, "_headless_shell", lambda: None)
    monkeypatch.setattr(browser, "_system_executable", lambda: None)
    monkeypatch.setattr(browser, "_windows_edge", lambda: False)
    monkeypatch.setattr(browser.platform, "system", lambda: "Linux")
    monkeypatch.setattr(browser.os, "geteuid", lambda: 1000, raising=False)
    monkeypatch.setattr(browser.subprocess, "run", lambda *a, **k: Failed())
    with pytest.raises(BrowserNotFoundError) as info:
        browser.ensure_browser()
    text = str(info.value)
    assert "playwright install chromium" in text  # what was tried
    assert "sudo apt-get install -y chromium" in text  # what to do


def _launched_executable(page: Page) -> Path:
    """The executable of the browser process pytest-playwright launched for ``page``."""
    import psutil

    browser_pids = [
        p
        for p in psutil.Process().children(recursive=True)
        if "--remote-debugging-pipe" in " ".join(p.cmdline())
    ]
    assert browser_pids, "no browser process found under this test process"
    return Path(browser_pids[-1].exe()).resolve()


def _executables_behind(path: Path) -> set[Path]:
    """``path`` and, for a shell wrapper (Debian's), the programs it execs."""
    found = {path}
    try:
        head = path.read_bytes()[:4096]
    except OSError:
        return found
    if head.startswith(b"#!"):
        for word in head.decode(errors="replace").split():
            candidate = Path(word.strip("\"'"))
            if candidate.is_absolute() and candidate.is_file():
                found.add(candidate.resolve())
    return found


def test_headless_runs_prefer_the_headless_shell_and_headed_runs_the_full_browser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(browser, "_playwright_chromium", lambda: None)
    monkeypatch.setattr(browser, "_headless_shell", lambda: "/usr/bin/chromium-headless-shell")
    monkeypatch.setattr(browser, "_system_executable", lambda: "/usr/bin/chromium")
    headless = find_browser()
    assert headless.executable_path == "/usr/bin/chromium-headless-shell"
    assert "headless shell" in headless.describe()
    assert find_browser(headless=False).executable_path == "/usr/bin/chromium"


def test_headed_with_only_a_headless_shell_says_to_install_the_full_browser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(browser, "_playwright_chromium", lambda: None)
    monkeypatch.setattr(browser, "_headless_shell", lambda: "/usr/bin/chromium-headless-shell")
    monkeypatch.setattr(browser, "_system_executable", lambda: None)
    monkeypatch.setattr(browser, "_windows_edge", lambda: False)
    assert find_browser().executable_path == "/usr/bin/chromium-headless-shell"
    with pytest.raises(BrowserNotFoundError, match="--headed needs a full browser"):
        find_browser(headless=False)


def test_a_bundled_answer_from_the_caller_starts_no_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_driver() -> str | None:
        raise AssertionError("a second Playwright driver was started")

    monkeypatch.setattr(browser, "_playwright_chromium", no_driver)
    monkeypatch.setattr(browser, "_headless_shell", lambda: None)
    monkeypatch.setattr(browser, "_system_executable", lambda: "/usr/bin/chromium")
    assert find_browser(bundled=lambda: None).executable_path == "/usr/bin/chromium"
    assert find_browser(bundled=lambda: "/pw/chrome").source.startswith("Playwright's Chromium")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_a_browser_path_that_is_not_executable_says_so(tmp_path: Path) -> None:
    exe = tmp_path / "chrome"
    exe.write_bytes(b"\x7fELF")
    exe.chmod(0o644)
    with pytest.raises(BrowserNotFoundError, match="is not executable") as info:
        find_browser(exe)
    assert f"chmod +x {exe}" in str(info.value)
    assert info.value.exit_status is ExitStatus.CONFIG_ERROR


def test_ensure_browser_adds_the_headless_shell_next_to_the_full_browser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    installed: list[list[str]] = []

    def fake_run(cmd: list[str], **_: object) -> object:
        installed.append(cmd)

        class Done:
            returncode = 0

        return Done()

    monkeypatch.setattr(browser, "_playwright_chromium", lambda: None)
    monkeypatch.setattr(browser, "_headless_shell", lambda: None)
    monkeypatch.setattr(browser, "_system_executable", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(browser.platform, "system", lambda: "Linux")
    monkeypatch.setattr(browser.os, "geteuid", lambda: 0, raising=False)
    monkeypatch.setattr(browser.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(browser.subprocess, "run", fake_run)
    browser.ensure_browser()
    assert ["apt-get", "install", "-y", "-qq", "chromium-headless-shell"] in installed


def test_headless_runs_go_without_a_gpu_and_headed_runs_keep_it(tmp_path: Path) -> None:
    exe = tmp_path / "chrome"
    exe.write_bytes(b"\x7fELF" + b"\0" * 8000)
    exe.chmod(0o755)
    headless = find_browser(exe, extra_args=("--lang=ro",), headless=True).launch_kwargs()["args"]
    headed = find_browser(exe, extra_args=("--lang=ro",), headless=False).launch_kwargs()["args"]
    assert {"--disable-gpu", "--disable-software-rasterizer"} <= set(headless)
    assert "--disable-gpu" not in headed
    # The user's extra flags come last, so that they can override the robot's.
    assert headless[-1] == headed[-1] == "--lang=ro"
