"""A third task is one more ``TaskSpec`` in a registry: nothing else changes.

The stub task below reuses the Alerte screen under another name and title. It is given to the
application (``app.run.execute``) in a registry of three; the run sends it once, verifies it in
the history, files it in the run ledger and shows it in the report — without any other module
knowing it exists.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from emsys_rpa.browser import BrowserChoice

from .conftest import cli_env

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCRIPT = """
import json, sys
from pathlib import Path
from pydantic import SecretStr
from emsys_rpa.app.run import execute
from emsys_rpa.app.tasks import ALERTS, TASKS, TaskSpec
from emsys_rpa.settings import load_settings

REMINDERS = TaskSpec(
    name="reminders",
    title="Reminders (a third task)",
    screen=ALERTS.screen,
    open_step="open Alerte for the reminders",
    after_configure=ALERTS.after_configure,
)
settings = load_settings(None, {"run": {"only": "reminders", "report_dir": sys.argv[1],
                                        "verify_timeout_s": 60}})
status, summary = execute(settings, quiet=True, tasks=(*TASKS, REMINDERS))
print(json.dumps({"status": int(status)}))
"""


def test_a_stub_task_in_the_registry_runs_like_the_others(
    portal_factory: object, tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    portal = portal_factory()  # type: ignore[operator]
    run_dir = tmp_path / "run"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(run_dir)],
        env=cli_env(portal, tmp_path, browser_choice),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.splitlines()[-1]) == {"status": 0}

    summary = json.loads((run_dir / "summary.json").read_text("utf-8"))
    statuses = {t["name"]: t["status"] for t in summary["tasks"]}
    assert statuses == {"alerts": "skipped", "invoices": "skipped", "reminders": "verified"}
    reminders = next(t for t in summary["tasks"] if t["name"] == "reminders")
    assert reminders["title"] == "Reminders (a third task)"
    assert reminders["steps"][0]["name"] == "open Alerte for the reminders"

    # The portal saw exactly one send, in the background.
    jobs = portal.ledger()["jobs"]
    assert [(j["type"], j["background"]) for j in jobs] == [("alerts", True)]
    assert portal.ledger()["duplicate_sends"] == 0
    # The report names the new task by its title.
    assert "Reminders (a third task)" in (run_dir / "report.html").read_text("utf-8")
