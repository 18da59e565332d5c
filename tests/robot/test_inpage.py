"""The in-page scripts: installed once per document, called in one short message, the same
answers as the whole script, and the whole script where a document was not reached."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from emsys_rpa.pages import alerts, inpage
from emsys_rpa.pages.locate import Look

from .conftest import Kit, TinyServer

pytestmark = pytest.mark.browser

SCREEN = """<script>var seen = Object.keys(window).filter(k => k.indexOf('emsys') >= 0);
try { window[Object.getOwnPropertyNames(window).find(k => k.indexOf('emsysRpa') >= 0)] = 1; }
catch (e) {}</script>
<p>Perioada <input name=d1> până la <input name=d2></p>
<button type=button>Configurează trimitere alertă</button>
<button type=button>Altceva</button>"""


def _configure_look() -> Look:
    look = alerts.CONFIGURE.find
    assert isinstance(look, Look)
    return look


def _expressions_traced(kit: Kit, tmp_path: Path, call: Callable[[], object]) -> list[str]:
    """The expressions ``call`` sent to the page, as the Playwright trace records them."""
    kit.page.context.tracing.start()
    call()
    trace = tmp_path / "trace.zip"
    kit.page.context.tracing.stop(path=trace)
    with zipfile.ZipFile(trace) as archive:
        lines = archive.read("trace.trace").decode().splitlines()
    events = [json.loads(line) for line in lines]
    return [
        str(e["params"]["expression"])
        for e in events
        if e.get("type") == "before" and "expression" in e.get("params", {})
    ]


def test_a_served_page_answers_from_the_installed_scripts(
    kit: Kit, tiny_server: TinyServer, tmp_path: Path
) -> None:
    tiny_server.routes["/a"] = lambda method, form: SCREEN
    kit.page.goto(tiny_server.url + "/a")
    # Hidden from the portal's scripts: not listed, not replaced by an assignment.
    assert kit.page.evaluate("seen") == []
    args = _configure_look().args()
    answers: list[object] = []

    sent = _expressions_traced(
        kit, tmp_path, lambda: answers.append(inpage.run(kit.page.main_frame, "perceive", args))
    )
    found: Any = answers[0]

    assert [m["name"] for m in found["found"]][:1] == ["Configurează trimitere alertă"]
    assert found == kit.page.evaluate(inpage.script("perceive"), args)
    assert len(sent) == 1 and len(sent[0]) < 300, "called by name, the script not sent again"
    box = kit.page.locator("input[name=d1]")
    assert inpage.run_on(box, "datehint") == box.evaluate(inpage.element_script("datehint"))


def test_a_document_the_installer_missed_gets_the_whole_script(kit: Kit) -> None:
    kit.page.set_content(SCREEN)  # written into the open document: no init script ran
    args = _configure_look().args()

    found = inpage.run(kit.page.main_frame, "perceive", args)

    assert found["found"][0]["name"] == "Configurează trimitere alertă"
    assert inpage.run_on(kit.page.locator("input[name=d2]"), "datehint")["row"]


def test_an_element_script_refuses_an_ambiguous_locator_as_playwright_does(
    kit: Kit, tiny_server: TinyServer
) -> None:
    tiny_server.routes["/a"] = lambda method, form: SCREEN
    kit.page.goto(tiny_server.url + "/a")
    with pytest.raises(PlaywrightError, match="strict mode"):
        inpage.run_on(kit.page.locator("input"), "datehint")


# What Prototype.js 1.6 (still on legacy portals) does to JSON: every array, string and date
# has a toJSON of its own, with which JSON.stringify encodes arrays twice.
PROTOTYPE_JS_STYLE = """<script>
Array.prototype.toJSON = function () { return '[' + this.length + ' items]'; };
String.prototype.toJSON = function () { return 'x'; };
Date.prototype.toJSON = function () { return 'y'; };
</script>
<p>Perioada <input name=d1> până la <input name=d2></p>
<button type=button>Configurează trimitere alertă</button>
<button type=button>Trimite "alerta" \\ (acum)</button>"""


def test_answers_come_back_whole_whatever_the_portal_did_to_json(
    kit: Kit, tiny_server: TinyServer
) -> None:
    """The installed scripts answer in JSON text of their own making: a portal's toJSON
    methods (Prototype.js) change nothing, and quotes and backslashes survive."""
    tiny_server.routes["/a"] = lambda method, form: PROTOTYPE_JS_STYLE
    kit.page.goto(tiny_server.url + "/a")
    assert kit.page.evaluate("JSON.stringify(['a'])") == '"[1 items]"'  # the portal's doing
    for labels in (["Configurează trimitere alertă"], ['Trimite "alerta" \\ (acum)']):
        args = Look("press", tuple(labels)).args()

        found = inpage.run(kit.page.main_frame, "perceive", args)

        assert found == kit.page.evaluate(inpage.script("perceive"), args)
        assert found["found"], labels
    named = inpage.run(kit.page.main_frame, "perceive", Look("press", ("Trimite",)).args())
    assert named["found"][0]["name"] == 'Trimite "alerta" \\ (acum)'
