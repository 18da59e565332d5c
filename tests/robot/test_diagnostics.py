"""When a control is not there: what is there instead, and what the robot saw, kept."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from emsys_rpa.app.steps import StepRecorder
from emsys_rpa.errors import (
    ControlMissingError,
    ControlNotOperableError,
    ElementNotFoundError,
    OutcomeUnknownError,
    PortalAnswerError,
)
from emsys_rpa.events import NullObserver
from emsys_rpa.pages import alerts, invoices
from emsys_rpa.pages.evidence import keep_windows
from emsys_rpa.pages.operate import click
from emsys_rpa.pages.sending import press_then_expect
from emsys_rpa.summary import RunSummary, TaskResult

from .conftest import Kit, TinyServer

pytestmark = pytest.mark.browser

RENAMED = """<div role=dialog aria-label="Alegere modalitate">
  <label><input type=checkbox checked> Fundal</label>
  <button>Trimitere alertă</button> <button>Renunț</button>
</div>"""


def _recorder(kit: Kit, run_dir: Path) -> tuple[StepRecorder, TaskResult]:
    summary = RunSummary(
        run_id="t", started_at=datetime.now(UTC), portal_url="http://portal", username="u"
    )
    task = TaskResult(name="alerts", title="Alerts")
    summary.tasks = [task]
    recorder = StepRecorder(summary, NullObserver(), clock=lambda: datetime.now(UTC))
    recorder.keeper = lambda name: keep_windows(kit.finder.pages(), run_dir, name)
    recorder.shooter = lambda name, evidence: f"screenshots/{name}.png"
    return recorder, task


def test_a_renamed_button_is_reported_with_what_is_there_and_what_the_robot_saw(
    kit: Kit, tmp_path: Path
) -> None:
    kit.page.set_content(RENAMED)
    recorder, task = _recorder(kit, tmp_path)
    with pytest.raises(ElementNotFoundError) as caught, recorder.step(task, "press Trimite"):
        kit.finder.find(alerts.SEND, timeout_s=0.3)
    text = str(caught.value)
    # The step, the control, and what is there instead with the line that would pick it.
    assert text.startswith("[press Trimite] could not find the button “Trimite alerta”")
    assert "did you mean: “Trimitere alertă”" in text
    selector = text.split("`alerts_send = ")[1].split("`")[0]
    kit.finder.selectors["alerts_send"] = selector.strip('"').replace('\\"', '"')
    assert kit.finder.find(alerts.SEND).locator.inner_text() == "Trimitere alertă"
    # Every open window's accessibility snapshot and HTML, beside the run's other evidence.
    kept = task.steps[0].snapshots
    assert sorted(Path(p).suffix for p in kept) == [".html", ".yml"]
    aria = (tmp_path / next(p for p in kept if p.endswith(".yml"))).read_text()
    assert 'button "Trimitere alertă"' in aria
    assert (
        "Trimitere alertă" in (tmp_path / next(p for p in kept if p.endswith(".html"))).read_text()
    )


def test_a_window_with_a_typed_password_is_never_kept(kit: Kit, tmp_path: Path) -> None:
    kit.page.set_content("<form><input name=u><input type=password id=p></form>")
    kit.page.fill("#p", "s3cret-Parola")
    assert keep_windows(kit.finder.pages(), tmp_path, "log in") == []
    assert not list(tmp_path.rglob("*.html"))


def test_a_covered_control_is_explained_in_words(kit: Kit) -> None:
    kit.page.set_content(
        """<button id=b style="position:absolute;left:10px;top:10px">Trimite alerta</button>
        <div style="position:absolute;left:0;top:0;width:300px;height:80px;background:#eee"
             id=veil>Se procesează...</div>"""
    )
    with pytest.raises(ControlNotOperableError) as caught:
        click(kit.page.locator("#b"), "the button “Trimite alerta”", timeout_ms=1000)
    assert "another element is drawn over it" in str(caught.value)
    assert 'id="veil"' in str(caught.value)


REFUSING = """<style>.err { color: #c00 }</style>
<p class=err>Câmpurile marcate sunt obligatorii.</p>
<p>Perioada <input id=a> <input id=b></p>
<button onclick="document.getElementById('v').textContent =
  'Perioada nu este completată corect (zz.ll.aaaa).'">Configurează transmiterea facturii</button>
<span id=v class=err></span>"""


@pytest.mark.parametrize("how", ["served", "written"])
def test_when_the_window_does_not_open_the_portals_answer_is_the_reason(
    kit: Kit, tiny_server: TinyServer, how: str
) -> None:
    """Served, the page has the installed scripts (the screen's answers are read in the same
    look as the button); written into the open document, it has not (two looks)."""
    if how == "served":
        tiny_server.routes["/r"] = lambda method, form: REFUSING
        kit.page.goto(tiny_server.url + "/r")
    else:
        kit.page.set_content(REFUSING)
    kit.finder.timeout_s = 1
    with pytest.raises(PortalAnswerError) as caught:
        press_then_expect(kit.finder, kit.dialogs, invoices.CONFIGURE, invoices.SEND)
    text = str(caught.value)
    assert "the portal answered: “Perioada nu este completată corect (zz.ll.aaaa).”" in text
    assert "obligatorii" not in text  # already on screen before the click: not the answer


def test_a_control_absent_from_a_loaded_screen_is_told_apart(kit: Kit) -> None:
    kit.page.set_content("<button>Altceva</button>")
    with pytest.raises(ControlMissingError):
        kit.finder.find(alerts.SEND, timeout_s=0.3)


def test_windows_are_kept_only_for_a_control_problem_and_only_when_they_answer(
    kit: Kit, tmp_path: Path
) -> None:
    # A page stuck on a request that never returns hangs scripts run in it: the snapshots (read
    # by such scripts) are for a missing control on a window that answered the screenshot.
    kit.page.set_content(RENAMED)
    recorder, task = _recorder(kit, tmp_path)
    with pytest.raises(OutcomeUnknownError), recorder.step(task, "press Trimite"):
        raise OutcomeUnknownError("pressing the button failed half-way")
    assert task.steps[-1].snapshots == []
    recorder.shooter = lambda name, evidence: None  # the window did not answer
    with pytest.raises(ElementNotFoundError), recorder.step(task, "close the windows"):
        kit.finder.find(alerts.SEND, timeout_s=0.2)
    assert task.steps[-1].snapshots == []
    recorder.shooter = lambda name, evidence: f"screenshots/{name}.png"
    with pytest.raises(ElementNotFoundError), recorder.step(task, "press Trimite"):
        kit.finder.find(alerts.SEND, timeout_s=0.2)
    assert len(task.steps[-1].snapshots) == 2
