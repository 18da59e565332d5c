"""Issue 13: a control the portal now labels otherwise is reported with what is there instead
("did you mean", with the [selectors] line that would pick it) and what the robot saw (each
window's accessibility snapshot and HTML), nothing is pressed, and the suggested line works."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from emsys_rpa.browser import BrowserChoice

from .conftest import explain, run_cli

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RENAMED = "Trimitere alertă"


def test_a_renamed_trimite_is_reported_and_its_suggested_line_works(
    portal_factory: Any, tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    portal = portal_factory(relabel=(("Trimite alerta", RENAMED),))
    failed = run_cli(
        ["run", "--only", "alerts", "--verify-timeout", "30"],
        portal=portal,
        tmp_path=tmp_path,
        browser_choice=browser_choice,
    )
    assert failed.code == 1, explain(failed)
    assert portal.ledger()["jobs"] == [], "a control that was not found was pressed"
    error = failed.task("alerts")["errors"][0]
    assert "could not find the button “Trimite alerta”" in error, error
    assert f"did you mean: “{RENAMED}”" in error, error
    shown = failed.stdout + failed.stderr
    assert f"did you mean: “{RENAMED}”" in shown, shown
    line = re.search(r"`(alerts_send = .+?)`", error)
    assert line is not None, error

    # What the robot saw, kept beside the screenshots.
    snapshots = sorted((failed.run_dir / "snapshots").iterdir())
    assert {p.suffix for p in snapshots} == {".yml", ".html"}, snapshots
    assert any(RENAMED in p.read_text("utf-8") for p in snapshots if p.suffix == ".yml")
    assert any(RENAMED in p.read_text("utf-8") for p in snapshots if p.suffix == ".html")

    # The clerk pastes the suggested line under [selectors]: the next run sends, once.
    config = tmp_path / "emsys-rpa.toml"
    config.write_text(f"[selectors]\n{line.group(1)}\n", "utf-8")
    fixed = run_cli(
        ["run", "--config", str(config), "--only", "alerts", "--verify-timeout", "60"],
        portal=portal,
        tmp_path=tmp_path,
        browser_choice=browser_choice,
        run_name="run2",
    )
    assert fixed.code == 0, explain(fixed)
    assert fixed.task("alerts")["status"] == "verified"
    jobs = portal.ledger()["jobs"]
    assert [(j["type"], j["background"]) for j in jobs] == [("alerts", True)], jobs
