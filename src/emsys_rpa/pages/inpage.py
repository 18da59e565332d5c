"""Scripts run inside the portal's pages: one pass there instead of many round trips.

Each script is a JavaScript file in ``pages/js`` written as the body of ``(args) => { … }``;
it is given ``fold`` (the one folding table, ``textmatch.FOLD_JS``) and the shared helpers of
``lib.js`` (what is shown, what an element says, what a click would reach, how to find an
element again).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from emsys_rpa.textmatch import FOLD_JS


def _source(name: str) -> str:
    return files("emsys_rpa.pages").joinpath("js", name).read_text(encoding="utf-8")


@cache
def script(name: str) -> str:
    """``(args) => {…}`` running ``js/<name>.js`` with the shared helpers in scope."""
    return "(args) => {\n" + FOLD_JS + _source("lib.js") + _source(f"{name}.js") + "\n}"


@cache
def element_script(name: str) -> str:
    """``(el, args) => {…}``: the same, for ``Locator.evaluate`` (``el`` is the element)."""
    return "(el, args) => {\n" + FOLD_JS + _source("lib.js") + _source(f"{name}.js") + "\n}"
