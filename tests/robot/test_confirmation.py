"""Issue 14, defect 3: the confirmation screenshot shows the confirmation."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import pytest

from emsys_rpa.app.sending import TaskRun
from emsys_rpa.app.steps import StepRecorder
from emsys_rpa.events import NullObserver
from emsys_rpa.pages import alerts
from emsys_rpa.pages.sending import SendingScreen
from emsys_rpa.settings import Settings
from emsys_rpa.summary import RunSummary, TaskResult

from .conftest import Kit

pytestmark = pytest.mark.browser

# Trimite shows a message box; its OK posts back and the window comes back drawn as it was
# first served (Fundal unticked), as a WebForms window in an iframe does.
WINDOW = """
<div id=w role=dialog><label><input type=checkbox id=f> Fundal</label>
  <button onclick="msg.hidden = false">Trimite alerta</button></div>
<div id=msg hidden role=alertdialog><span>Operația a fost programată cu succes.</span>
  <button onclick="msg.hidden = true; f.checked = false">OK</button></div>
"""


def test_the_confirmation_is_photographed_while_it_is_on_screen(kit: Kit) -> None:
    kit.page.set_content(WINDOW)
    kit.page.check("#f")
    summary = RunSummary(
        run_id="t", started_at=datetime.now(UTC), portal_url="http://portal", username="u"
    )
    task = TaskResult(name="alerts", title="Alerts")
    steps = StepRecorder(summary, NullObserver(), clock=lambda: datetime.now(UTC))
    # What each screenshot would show: is the message there, is Fundal ticked?
    steps.shooter = lambda name, evidence: (
        f"{name}: message={kit.page.locator('#msg').is_visible()}"
        f" fundal={kit.page.locator('#f').is_checked()}"
    )
    run = TaskRun(
        spec=cast(Any, None),
        result=task,
        screen=SendingScreen(kit.finder, kit.dialogs, kit.windows, alerts.ALERTS),
        grid=cast(Any, None),
        portal=cast(Any, None),
        steps=steps,
        settings=Settings(portal={"navigation_timeout_s": 5}),
        guard=cast(Any, None),
        summary=summary,
    )
    message = run.press_once(lambda: None)
    assert message is not None and message.via == "box"
    assert task.steps[-1].screenshot == "alerts-confirmation: message=True fundal=True"
    assert not kit.page.locator("#msg").is_visible()  # and OK was pressed afterwards
