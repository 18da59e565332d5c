"""Scripts run inside the portal's pages: one pass there instead of many round trips.

Each script is a JavaScript file in ``pages/js`` written as the body of ``(args) => { … }``;
it is given ``fold`` (the one folding table, ``textmatch.FOLD_JS``) and the shared helpers of
``lib.js`` (what is shown, what an element says, what a click would reach, how to find an
element again).

A script is some 8–17 kB: sent with every call, it costs more than the search it runs (and
the trace records it each time). ``installer()`` defines them all once per document, as a
hidden frozen global, before the portal's own scripts run; ``run`` and ``run_on`` then send
a one-line call, and send the whole script only where a document lacks the global (one the
installer did not reach).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib.resources import files
from typing import Any

from playwright.sync_api import Frame, Locator

from emsys_rpa.textmatch import FOLD_JS

_FRAME_SCRIPTS = ("perceive", "answer", "grid")
_ELEMENT_SCRIPTS = ("closer", "datehint", "datefield", "tabstrip", "boxtext")
_MISSING = "__emsys_rpa_missing__"


# An installed script's answer comes back as JSON text: Playwright's own transfer of a nested
# value (typed, walked on both sides) took longer than the script itself — a history page
# ~10 ms where the text takes ~4. Written out here rather than with JSON.stringify: libraries
# legacy portals load (Prototype.js) give arrays a toJSON that makes it encode them twice.
# ``undefined`` becomes null, as Playwright would make it; so do NaN and the infinities.
_TEXT = r"""(() => {
  const quote = s => '"' + s.replace(/[\\"\u0000-\u001f\u2028\u2029]/g,
    c => '\\u' + ('000' + c.charCodeAt(0).toString(16)).slice(-4)) + '"';
  const text = v => v === null || v === undefined ? 'null'
    : typeof v === 'string' ? quote(v)
    : typeof v === 'number' ? (isFinite(v) ? String(v) : 'null')
    : typeof v === 'boolean' ? String(v)
    : Array.isArray(v) ? '[' + v.map(text).join(',') + ']'
    : '{' + Object.keys(v).map(k => quote(k) + ':' + text(v[k])).join(',') + '}';
  return text;
})()"""
_TEXT_KEY = json.dumps("__text")  # its entry in the global, as the calls name it


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


@cache
def _global() -> str:
    """The global's name: versioned by the scripts, so that it never meets another copy."""
    digest = hashlib.sha256(_TEXT.encode())
    for name in _FRAME_SCRIPTS + _ELEMENT_SCRIPTS:
        digest.update(script(name).encode())
    return "__emsysRpa_" + digest.hexdigest()[:12]


@cache
def installer() -> str:
    """An init script defining every script once in the document (``add_init_script``).

    Not enumerable, not writable: a portal script that lists or assigns globals neither sees
    nor replaces it.
    """
    entries = [f"{json.dumps(n)}: {script(n)}" for n in _FRAME_SCRIPTS]
    entries += [f"{json.dumps(n)}: {element_script(n)}" for n in _ELEMENT_SCRIPTS]
    entries.append(f"{_TEXT_KEY}: {_TEXT}")
    key = json.dumps(_global())
    return (
        f"(() => {{ if (Object.prototype.hasOwnProperty.call(globalThis, {key})) return;\n"
        f"Object.defineProperty(globalThis, {key}, {{ value: Object.freeze({{\n"
        + ",\n".join(entries)
        + "\n}) }); })();"
    )


_CALLS = {
    # (arguments, when the call can be made, the call)
    "frame": ("(args)", "k", "(args)"),
    # Locator.evaluate_all: only when the locator matches exactly one element.
    "elements": ("(els, args)", "k && els.length === 1", "(els[0], args)"),
    # The element by a CSS selector: only when it matches exactly one.
    "css": (
        "(a)",
        "k && (a.els = document.querySelectorAll(a.css)).length === 1",
        "(a.els[0], a.args)",
    ),
}


def _quoted(name: str) -> tuple[str, str, str]:
    """The global's name, the script's entry and the missing marker, as JavaScript strings."""
    return json.dumps(_global()), json.dumps(name), json.dumps(_MISSING)


def _parsed(text: Any) -> Any:
    """An installed script's answer, from its JSON text (None: it answered ``undefined``)."""
    return None if text is None else json.loads(text)


@cache
def _call(name: str, how: str = "frame") -> str:
    """The one-line call of an installed script, answering JSON text; the marker where it
    cannot be made."""
    key, entry, missing = _quoted(name)
    head, ready, call = _CALLS[how]
    body = (
        f"const k = globalThis[{key}]; "
        f"return {ready} ? k[{_TEXT_KEY}](k[{entry}]{call}) : {missing};"
    )
    return f"{head} => {{ {body} }}"


def run(frame: Frame, name: str, args: Any) -> Any:
    """``frame.evaluate`` of the script ``name``: one short call where it is installed."""
    result = frame.evaluate(_call(name), args)
    if result == _MISSING:
        return frame.evaluate(script(name), args)
    return _parsed(result)


@cache
def _pair(first: str, second: str) -> str:
    key, entry, missing = _quoted(first)
    other = json.dumps(second)
    return (
        f"(a) => {{ const k = globalThis[{key}]; "
        f"return k ? k[{_TEXT_KEY}]([k[{entry}](a.first), k[{other}](a.second)]) : {missing}; }}"
    )


def run_pair(frame: Frame, first: tuple[str, Any], second: tuple[str, Any]) -> tuple[Any, Any]:
    """Two frame scripts (name, arguments) at the same moment, in one round trip: their
    answers."""
    result = frame.evaluate(_pair(first[0], second[0]), {"first": first[1], "second": second[1]})
    if result == _MISSING:
        return run(frame, *first), run(frame, *second)
    one, two = _parsed(result)
    return one, two


def run_on(
    locator: Locator, name: str, args: Any = None, *, timeout_ms: float | None = None
) -> Any:
    """``locator.evaluate`` of the element script ``name`` in one round trip where it can be:
    ``Locator.evaluate`` takes three (find the element, evaluate, release it). When the
    locator does not match exactly one element yet, ``Locator.evaluate`` does what it does
    (waits for it; refuses several)."""
    result = locator.evaluate_all(_call(name, "elements"), args)
    if result == _MISSING:
        return locator.evaluate(element_script(name), args, timeout=timeout_ms)
    return _parsed(result)


def run_at(
    frame: Frame,
    css: str,
    locator: Locator,
    name: str,
    args: Any = None,
    *,
    timeout_ms: float | None = None,
) -> Any:
    """The element script ``name`` on the one element ``css`` selects in ``frame`` (the same
    one ``locator`` finds), as a plain evaluate: a locator call would also set up Playwright's
    own script in the page's world, ~20 ms for each new document. Without ``css`` (the
    element was not found by the in-page search), by ``locator`` (``run_on``)."""
    if not css:
        return run_on(locator, name, args, timeout_ms=timeout_ms)
    result = frame.evaluate(_call(name, "css"), {"css": css, "args": args})
    if result == _MISSING:
        return run_on(locator, name, args, timeout_ms=timeout_ms)
    return _parsed(result)


# When a frame script's answer is the one waited for (``r``: the answer; ``a``: what
# ``run_until`` was told).
_AWAITED = {
    # Something found (``seen``), or nothing.
    "perceive": "(r.found.length > 0) === a.seen",
    # A grid that is not loading; with ``before`` (a signature) and ``beforeMark``, one that
    # differs from that grid or was drawn again since it was marked.
    "grid": (
        "!!r && !r.loading && (a.before == null"
        " || r.signature !== a.before || r.prevMark !== a.beforeMark)"
    ),
}


@cache
def _until(name: str) -> str:
    key, entry, missing = _quoted(name)
    return f"""(a) => {{ const k = globalThis[{key}]; if (!k) return {missing};
  return new Promise(resolve => {{
    const end = performance.now() + a.waitMs;
    // A document still being parsed (no body yet) may make a script throw: not yet.
    const look = args => {{ try {{ return k[{entry}](args); }} catch (e) {{ return null; }} }};
    const step = () => {{
      let r = look(a.args);
      const awaited = r !== null && ({_AWAITED[name]});
      if (awaited && a.then) {{ r = look(a.then); }}
      if (awaited || performance.now() >= end) {{ resolve(k[{_TEXT_KEY}](r)); return; }}
      setTimeout(step, a.waitMs <= 250 ? 16 : 100);
    }};
    step();
  }}); }}"""


def run_until(
    frame: Frame,
    name: str,
    args: Any,
    *,
    wait_ms: float,
    then: Any = None,
    **awaited: Any,
) -> Any:
    """The frame script ``name`` run in the page until its answer is the awaited one
    (``_AWAITED``, told ``awaited``), at most ``wait_ms``: its last answer, in one round trip
    however many times it looked. None where it is not installed, or where the script could
    not run (a document not yet parsed) until the end.

    ``then``: once the awaited answer is there, the script runs once more with these
    arguments, and that is the answer (a look that leaves a mark only when it is the one).
    """
    result = frame.evaluate(
        _until(name), {"args": args, "then": then, "waitMs": wait_ms, **awaited}
    )
    return None if result is None or result == _MISSING else _parsed(result)
