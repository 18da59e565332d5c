"""The password never leaves the one call that types it: not in any artifact, not on screen.

The robot runs with a distinctive password, with ``trace = "always"``:

* a run that logs in (the mock portal is given that password), logs in again after its
  session expires while verifying the alerts (the trace must stop before that second
  login), schedules the alerts and fails on the invoices (a renamed label: error
  screenshots) — in three renderings (make safety; make test: the default);
* a run whose login is refused (that password is wrong there): the login page is
  screenshotted right after the password was typed and sent.

Every file of both run folders and of the state folder (ledger), every member of the
Playwright traces (DOM snapshots, network request bodies) and both processes' stdout/stderr
are searched for the password as typed, URL-encoded, JSON-escaped, HTML-escaped and base64.
Screenshots are compressed, so their bytes prove nothing: instead the password field must be
painted over (Playwright's mask colour) in the screenshot of the login page. Everything the
runs wrote must be readable by its owner only.
"""

from __future__ import annotations

import base64
import html
import json
import os
import stat
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from e2e.conftest import CliRun, cli_env, explain, run_cli
from emsys_rpa.browser import BrowserChoice
from emsys_rpa.mockportal import parse_faults

from .pngpixels import count_colour

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Characters that every encoding changes: " & / ! and a space.
CANARY = 'Zq9!pw-LEAK"canary&7781/ x'
MASK_COLOUR = (255, 0, 255)  # Playwright's default screenshot mask
CONFIG = """
[run]
trace = "always"
[portal]
action_timeout_s = 2
[retry]
attempts = 1
[selectors]
invoices_background = "#renamed"
"""


def _base64_forms(secret: bytes) -> list[bytes]:
    """What base64 of any text holding ``secret`` contains, whatever the offset (mod 3)."""
    forms = []
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + secret)
        # Drop the groups that also encode the padding bytes or the text around it.
        forms.append(encoded[4 if shift else 0 : -4])
    return forms


def leak_forms(secret: str) -> list[bytes]:
    text_forms = {
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        html.escape(secret),
        html.escape(secret, quote=False),
    }
    raw = secret.encode()
    return sorted({f.encode() for f in text_forms} | set(_base64_forms(raw)))


def artifacts(root: Path) -> Iterator[tuple[str, bytes]]:
    """Every file under ``root`` (screenshots aside), and every member of a trace zip."""
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix in (".png", ".jpg"):
            continue
        data = path.read_bytes()
        yield str(path.relative_to(root)), data
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    yield f"{path.relative_to(root)}!{name}", archive.read(name)


def _assert_owner_only(root: Path) -> None:
    assert stat.S_IMODE(root.stat().st_mode) == 0o700, root
    for path in root.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path}: {oct(mode)}"


def _run(
    portal: Any, tmp_path: Path, browser_choice: BrowserChoice, name: str, config: Path
) -> CliRun:
    return run_cli(
        ["run", "--verify-timeout", "45", "--config", str(config)],
        portal=portal,
        tmp_path=tmp_path,
        browser_choice=browser_choice,
        password=CANARY,
        run_name=name,
    )


# make test: the default rendering; make safety (--full-matrix): postbacks in popups and
# iframes too, where the login form comes back in another window.
RENDERINGS = [
    "default",
    pytest.param("popup-postback-oldest", marks=pytest.mark.full_matrix),
    pytest.param("iframe-postback-cedilla", marks=pytest.mark.full_matrix),
]


@pytest.mark.parametrize("rendering", RENDERINGS)
def test_the_password_appears_in_no_artifact_and_no_screenshot(
    rendering: str, portal_factory: Any, tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    config = tmp_path / "emsys-rpa.toml"
    config.write_text(CONFIG, encoding="utf-8")
    # The session expires while the alerts are being verified: the robot logs in again.
    accepting = portal_factory(
        rendering, faults=parse_faults(["at=alerts.history#2:expire"]), password=CANARY
    )
    refusing = portal_factory(rendering)  # its own password: CANARY is refused there

    done = _run(accepting, tmp_path, browser_choice, "run-ok", config)
    refused = _run(refusing, tmp_path, browser_choice, "run-refused", config)

    # The runs did what they were set up to do.
    assert done.code == 1, explain(done)
    assert done.task("alerts")["status"] == "verified", explain(done)
    assert done.task("invoices")["status"] == "failed", explain(done)
    assert accepting.ledger()["logins"] >= 2, "logged in again after the session expired"
    assert [f["step"] for f in accepting.ledger()["fired_faults"]] == ["alerts.history"]
    assert (done.run_dir / "trace.zip").is_file() and done.summary["trace"] == "trace.zip"
    assert refused.code == 1 and refusing.ledger()["failed_logins"] == 1, explain(refused)

    forms = leak_forms(CANARY)
    searched: list[str] = []
    for where, data in [
        *artifacts(tmp_path),
        *((f"{r.run_dir.name} stdout", r.stdout.encode()) for r in (done, refused)),
        *((f"{r.run_dir.name} stderr", r.stderr.encode()) for r in (done, refused)),
    ]:
        searched.append(where)
        for form in forms:
            assert form not in data, f"the password ({form!r}) is in {where}"
    # What a leak would be in: the trace's recording, the logs, the summaries and the reports.
    for must in ("trace.zip!trace.trace", "run.log.jsonl", "summary.json", "report.html"):
        assert any(where.endswith(must) for where in searched), f"{must} was not searched"

    # The login page was screenshotted with the password typed in: its field is masked.
    (login_shot,) = (refused.run_dir / "screenshots").glob("*log-in-failed.png")
    assert count_colour(login_shot, MASK_COLOUR) > 500

    if os.name == "posix":
        for root in (done.run_dir, refused.run_dir, tmp_path / "state"):
            _assert_owner_only(root)


def test_init_never_shows_or_writes_the_password(
    portal_factory: Any, tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    """``init`` reads the password (stdin here), checks the login with it, keeps it out of the
    config file and out of everything it prints, in both languages."""
    portal = portal_factory(password=CANARY)
    for lang in ("ro", "en"):
        config = tmp_path / lang / "config.toml"
        env = cli_env(None, tmp_path / lang, browser_choice)
        env["EMSYS_LANG"] = lang
        args = ["init", "--url", portal.url, "--user", portal.username]
        args += ["--config", str(config), "--password-stdin"]
        done = subprocess.run(
            [sys.executable, "-m", "emsys_rpa", *args],
            input=CANARY + "\n",
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "portal" in done.stdout
        for name, data in [
            ("stdout", done.stdout.encode()),
            ("stderr", done.stderr.encode()),
            *artifacts(tmp_path / lang),
        ]:
            leaks = [form for form in leak_forms(CANARY) if form in data]
            assert not leaks, f"{lang}: the password is in {name}"
        assert stat.S_IMODE(config.stat().st_mode) == 0o600
