"""Finding a control on a page we have never seen: by what a person reads, wherever it is.

A ``Target`` is one control the procedure needs ("the button Trimite alerta"), described by its
``[selectors]`` key and by how a person finds it (a ``Look``: the kind of control and the
words on or beside it). ``Finder`` looks for it in every frame of every open window of the
browser, newest window first: a portal "window" may be an in-page dialog, an iframe or a real
popup, and the robot is not told which.

A ``Look`` is searched in one pass inside each frame (``js/perceive.js``): every strategy at
once, the best one winning (the accessible name before a bare text, a label linked to its box
before a word drawn near it), hidden elements ignored, and for a box covered by its own label
the label returned as the thing to click. What worked is remembered (``Finder.used``) and, when
the caller hands in what worked last time (``Finder.learned``), tried first.

Everything returned is a ``Locator`` that Playwright resolves again on every action.
"""

from __future__ import annotations

import contextlib
import difflib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import reduce
from http import HTTPStatus
from typing import Any, Literal

import structlog
from playwright.sync_api import BrowserContext, Frame, Locator, Page, Response
from playwright.sync_api import Error as PlaywrightError

from emsys_rpa.errors import (
    ControlMissingError,
    ElementNotFoundError,
    PortalUnreachableError,
    SessionExpiredError,
)
from emsys_rpa.pages import inpage
from emsys_rpa.pages.inpage import script
from emsys_rpa.pages.wait import FIRST_WAIT_MS, poll, polling_for
from emsys_rpa.textmatch import fold

log = structlog.get_logger("emsys_rpa.pages")

Scope = Page | Frame
Builder = Callable[[Scope], Sequence[Locator]]

# Inputs a person types a value into.
TEXT_INPUT = (
    "input:is([type=text],[type=email],[type=date],[type=search],[type=tel],:not([type])), textarea"
)
Kind = Literal["press", "menu", "tab", "check", "type"]
OVERRIDE = "override"


@dataclass(frozen=True)
class Look:
    """How a person finds a control: its kind and the words on it or beside it.

    ``loose`` also accepts the words inside a longer name ("✉ Trimite alerta"), after every
    exact match; ``text`` also accepts any element that says exactly the words, or whose title
    does; ``near``/``nth``: the nth text box after the text ``near``, in that text's row.
    """

    kind: Kind
    labels: tuple[str, ...]
    loose: bool = True
    text: bool = True
    near: str | None = None
    nth: int = 0
    max_rank: int = 99

    def args(self, *, prefer: str | None = None, suggest: bool = False) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "labels": list(self.labels),
            "loose": self.loose,
            "text": self.text,
            "maxRank": self.max_rank,
            "near": self.near,
            "nth": self.nth,
            "prefer": prefer,
            "suggest": suggest,
        }


@dataclass(frozen=True)
class Target:
    """A control the procedure needs: its ``[selectors]`` key, a description, how to find it.

    ``find`` is a ``Look`` (the in-page search), or for the odd control that is not a control
    (a message's text) a builder of Playwright locators tried in order.
    """

    key: str
    what: str
    find: Look | Builder = field(compare=False)

    def roles_only(self) -> Target:
        """The same target, found only by its accessible name (a menu entry, not a heading)."""
        if isinstance(self.find, Look):
            return replace(self, find=replace(self.find, max_rank=0))
        return self

    def hint(self) -> str:
        return (
            f'if the portal shows it differently, set `{self.key} = "<Playwright selector>"` '
            "under [selectors] in the config file"
        )


@dataclass(frozen=True)
class Found:
    locator: Locator  # what a person clicks (a label drawn over its hidden box), re-resolved
    frame: Frame
    strategy: int  # rank of the strategy that matched (-1: the [selectors] override)
    how: str = ""  # the strategy's name ("name", "beside", "row", "override", …)
    control: Locator | None = None  # the control itself, when it is not what is clicked
    name: str = ""
    checked: bool | None = None
    css: str = ""  # the CSS selector of ``locator`` when the in-page search built it
    box_css: str = ""  # … and of ``box``
    # Enabled, and a click at its middle reaches it (in view, nothing drawn over it): None
    # when not known (found by a selector).
    clickable_now: bool | None = None
    # That middle in the frame's coordinates, when a click there reaches it (enabled or not).
    middle: tuple[float, float] | None = None

    @property
    def page(self) -> Page:
        return self.frame.page

    @property
    def box(self) -> Locator:
        """The control (its state, its value)."""
        return self.control if self.control is not None else self.locator

    def run(
        self,
        name: str,
        args: Any = None,
        *,
        on_box: bool = False,
        timeout_ms: float | None = None,
    ) -> Any:
        """The in-page element script ``name`` on what is clicked (``on_box``: on the box).

        ``timeout_ms``: how long to wait for the element when it is not on the page now.
        """
        css, locator = (self.box_css, self.box) if on_box else (self.css, self.locator)
        return inpage.run_at(self.frame, css, locator, name, args, timeout_ms=timeout_ms)


@dataclass(frozen=True)
class Suggestion:
    """A visible control that may be the one meant, and the ``[selectors]`` line picking it."""

    name: str
    selector: str
    score: float


@dataclass(frozen=True)
class ServerError:
    """A 5xx answer from the portal, as the browser received it."""

    status: int
    url: str
    document: bool  # a whole page or frame (not an AJAX call)
    at: float  # time.monotonic()

    def describe(self) -> str:
        try:
            phrase = f" {HTTPStatus(self.status).phrase}"
        except ValueError:
            phrase = ""
        return f"{self.status}{phrase} at {self.url}"


def _strategy_index(learned: str | None, count: int) -> int:
    """The index in "strategy-<n>" (what found a control last time) if it is one of ``count``."""
    if learned and learned.startswith("strategy-") and learned[9:].isdigit():
        index = int(learned[9:])
        if index < count:
            return index
    return 0


def _found_in(frame: Frame, result: Any) -> Found | None:
    """The best match of a perceive answer, as a ``Found`` in ``frame``."""
    matches = result["found"]
    if not matches:
        return None
    best = matches[0]
    control = frame.locator(best["control"]) if best["control"] != best["css"] else None
    at = best["at"]
    return Found(
        frame.locator(best["css"]),
        frame,
        int(best["rank"]),
        str(best["how"]),
        control,
        str(best["name"]),
        best["checked"],
        str(best["css"]),
        str(best["control"]),
        at is not None and not best["disabled"],
        (float(at[0]), float(at[1])) if at is not None else None,
    )


def _any_of(locators: Sequence[Locator]) -> Locator:
    """One locator matching what any of ``locators`` matches (one question, one round trip)."""
    return reduce(lambda a, b: a.or_(b), locators)


class _GaveUp(Exception):
    """A wait asked to end on a server error met one."""


class Finder:
    """Looks for targets across the context's windows and frames, waiting on conditions.

    While it waits it also watches for the portal's login form in the main window: once logged
    in, that form coming back means the session expired, and whatever is awaited will never
    appear, so ``SessionExpiredError`` is raised at once instead of after the timeout. Logging
    in is the one time the form is expected (``login_expected``).
    """

    def __init__(
        self,
        context: BrowserContext,
        selectors: Mapping[str, str],
        *,
        timeout_s: float,
        learned: Mapping[str, str] | None = None,
    ) -> None:
        self.context = context
        self.selectors = dict(selectors)
        self.timeout_s = timeout_s
        self._login_expected = 0
        # What found each control last time (key -> strategy), and this time.
        self.learned: dict[str, str] = dict(learned or {})
        self.used: dict[str, str] = {}
        # key -> (what found it last time, what finds it now) when they differ.
        self.changed: dict[str, tuple[str, str]] = {}
        self.whats: dict[str, str] = {}
        self.probes = 0  # round trips to the browser made to look for controls
        # The portal's latest 5xx answer since a control was last found: a window showing an
        # error page lacks every control, and that is the server's fault, worth another try.
        self._server_error: ServerError | None = None
        context.on("response", self._note_response)
        # The in-page scripts, defined once in every document the portal opens from now on.
        context.add_init_script(inpage.installer())

    def _note_response(self, response: Response) -> None:
        if response.status >= 500:
            self._server_error = ServerError(
                status=response.status,
                url=response.url,
                document=response.request.resource_type == "document",
                at=time.monotonic(),
            )

    def server_error(
        self, *, since: float = 0.0, documents_only: bool = False
    ) -> ServerError | None:
        """The portal's latest 5xx answer (a page, a frame or an AJAX call) since ``since``
        (``time.monotonic()``) and since a control was last found; None if there was none."""
        error = self._server_error
        if error is None or error.at < since or (documents_only and not error.document):
            return None
        return error

    def server_error_exception(self, doing: str) -> PortalUnreachableError | None:
        """The transient error to raise instead of "not found" when the portal answered 5xx."""
        error = self.server_error()
        if error is None:
            return None
        return PortalUnreachableError(
            f"{doing}, the portal answered {error.describe()}",
            hint="the portal is down or overloaded; the step starts again from the portal's "
            "start page, and if it keeps failing, try again later",
        )

    @contextmanager
    def login_expected(self) -> Iterator[None]:
        """Within the block the login form is where the robot is meant to be, not an expiry."""
        self._login_expected += 1
        try:
            yield
        finally:
            self._login_expected -= 1

    def login_form_shown(self) -> bool:
        """The main window shows a password field: the portal's login form."""
        pages = self.context.pages
        if not pages or pages[0].is_closed():
            return False
        try:
            return pages[0].locator("input[type=password]").filter(visible=True).count() > 0
        except PlaywrightError:
            return False  # navigating: it will be looked at again on the next pass

    def check_session(self) -> None:
        """Raise ``SessionExpiredError`` if the login form is back while it is not expected."""
        if not self._login_expected and self.login_form_shown():
            raise SessionExpiredError(
                "the portal shows its login form: the session expired",
                hint="the robot logs in again for steps that are safe to repeat",
            )

    # -- scopes ----------------------------------------------------------------------------

    def pages(self) -> list[Page]:
        """Open windows, newest first (a popup is on top of the window that opened it)."""
        return [p for p in reversed(self.context.pages) if not p.is_closed()]

    def frames(self) -> list[Frame]:
        """Every frame to search, most recently opened window and innermost frames first."""
        ordered: list[Frame] = []
        for page in self.pages():
            try:
                frames = page.frames
            except PlaywrightError:
                continue
            # A window drawn as an iframe sits on top of the page that contains it.
            ordered.extend(f for f in reversed(frames) if f is not page.main_frame)
            ordered.append(page.main_frame)
        return ordered

    def override(self, key: str) -> str | None:
        """The ``[selectors]`` value set for ``key``: every override site asks here."""
        return self.selectors.get(key) or None

    # -- finding ---------------------------------------------------------------------------

    def locate(self, target: Target, frames: Sequence[Frame] | None = None) -> Found | None:
        """One pass over the frames: the best visible match of the first frame having one."""
        override = self.override(target.key)
        for frame in frames if frames is not None else self.frames():
            try:
                if frame.is_detached():
                    continue
                if override:
                    found = self._by_selector(frame, override)
                elif isinstance(target.find, Look):
                    found = self._perceive(frame, target, target.find)
                else:
                    found = self._by_builder(frame, target.find, self.learned.get(target.key))
            except PlaywrightError:
                # Detached or navigating frame: it will be looked at again on the next pass.
                continue
            if found is not None:
                self._note(target, found)
                return found
        return None

    def _by_selector(self, frame: Frame, selector: str) -> Found | None:
        visible = frame.locator(selector).filter(visible=True)
        self.probes += 1
        return Found(visible.first, frame, -1, OVERRIDE) if visible.count() > 0 else None

    def _by_builder(self, frame: Frame, build: Builder, prefer: str | None) -> Found | None:
        """The first strategy that finds the control, in order of preference.

        The one that found it last time (else the first) is asked alone: when it answers, that
        is one round trip instead of two. The others are then asked as one union first (one
        round trip when none is there), and one by one only if the union finds something —
        all but the last, which is the one when the others are not.
        """
        candidates = [c.filter(visible=True) for c in build(frame)]
        if not candidates:
            return None
        first = _strategy_index(prefer, len(candidates))
        self.probes += 1
        if candidates[first].count() > 0:
            return Found(candidates[first].first, frame, first, f"strategy-{first}")
        rest = [(i, c) for i, c in enumerate(candidates) if i != first]
        if not rest:
            return None
        self.probes += 1
        if _any_of([c for _, c in rest]).count() == 0:
            return None
        for index, candidate in rest[:-1]:
            self.probes += 1
            if candidate.count() > 0:
                return Found(candidate.first, frame, index, f"strategy-{index}")
        index, candidate = rest[-1]
        return Found(candidate.first, frame, index, f"strategy-{index}")

    def _perceive(self, frame: Frame, target: Target, look: Look) -> Found | None:
        prefer = self.learned.get(target.key)
        self.probes += 1
        result: Any = inpage.run(frame, "perceive", look.args(prefer=prefer))
        return _found_in(frame, result)

    def lone_frame(self) -> Frame | None:
        """The only frame there is to look in (one window, no frames), else None: where a
        wait inside the page sees everything a look across the windows would."""
        frames = self.frames()
        return frames[0] if len(frames) == 1 else None

    def _alone(self, target: Target) -> tuple[Frame, Look] | None:
        """The lone frame, when the target is found by an in-page search: the frame where
        the page can wait for it."""
        if not isinstance(target.find, Look) or self.override(target.key):
            return None
        frame = self.lone_frame()
        return (frame, target.find) if frame is not None else None

    def _wait_in_page(
        self, target: Target, wait_ms: float, *, seen: bool
    ) -> tuple[Frame, Any] | None:
        """In the lone frame (``_alone``), let the page look until ``target`` is seen (or is
        gone), at most ``wait_ms``: one round trip. The frame and its last answer; None if the
        page cannot wait there."""
        alone = self._alone(target)
        if alone is None:
            return None
        frame, look = alone
        self.probes += 1
        try:
            answer = inpage.run_until(
                frame,
                "perceive",
                look.args(prefer=self.learned.get(target.key)),
                seen=seen,
                wait_ms=wait_ms,
            )
        except PlaywrightError:
            return None  # navigating: the caller looks again
        return None if answer is None else (frame, answer)

    def _seen_in_page(self, target: Target, wait_ms: float) -> Found | None:
        waited = self._wait_in_page(target, wait_ms, seen=True)
        return self._taken(target, *waited) if waited is not None else None

    def _taken(self, target: Target, frame: Frame, answer: Any) -> Found | None:
        """The target as a perceive ``answer`` in ``frame`` found it, noted as found."""
        found = _found_in(frame, answer)
        if found is not None:
            self._note(target, found)
            self._server_error = None
        return found

    def _note(self, target: Target, found: Found) -> None:
        self.whats[target.key] = target.what
        partial = isinstance(target.find, Look) and target.find.max_rank < Look.max_rank
        if found.how == OVERRIDE or partial:
            return  # a restricted search (roles only) says nothing about how it is found
        before = self.learned.get(target.key)
        if before and before != found.how and target.key not in self.changed:
            self.changed[target.key] = (before, found.how)
            log.warning("the portal changed", control=target.what, was=before, now=found.how)
        self.used[target.key] = found.how

    def wait_a_little(self, target: Target, wait_ms: float) -> None:
        """Block until the target may have appeared in the top window, at most ``wait_ms``.

        This is a condition wait (the browser reports as soon as a match is visible), and it
        lets Playwright dispatch events (dialogs, popups) meanwhile.
        """
        pages = self.pages()
        if not pages:
            return
        frame = pages[0].main_frame
        override = self.override(target.key)
        try:
            if not override and isinstance(target.find, Look):
                handle = frame.wait_for_function(
                    f"(args) => ({script('perceive')})(args).found.length > 0",
                    arg=target.find.args(),
                    polling=polling_for(wait_ms),
                    timeout=max(wait_ms, 1.0),
                )
                handle.dispose()
                return
            candidates = [frame.locator(override)] if override else []
            if not candidates and not isinstance(target.find, Look):
                candidates = list(target.find(frame))
            if not candidates:
                return
            union = _any_of(candidates)
            union.filter(visible=True).first.wait_for(state="attached", timeout=wait_ms)
        except PlaywrightError:
            return

    def wait_for(
        self,
        target: Target,
        *,
        timeout_s: float | None = None,
        frames: Callable[[], Sequence[Frame]] | None = None,
        until_server_error: bool = False,
    ) -> Found | None:
        """Wait until ``target`` is visible somewhere; None after the timeout.

        ``until_server_error``: also None as soon as the portal answers any request with a
        5xx (a partial update too), when the caller has another way to go.
        """

        started = time.monotonic()
        # Seen by the page while it waited (one window, no frames): no need to look again.
        seen: list[Found] = []
        if frames is None:
            # Usually just asked for by a click whose answer is on its way: let the page wait
            # for it first, rather than look once too early and then wait.
            early = self.seen_soon(target)
            if early is not None:
                return early

        def check() -> Found | None:
            if seen:
                return seen.pop()
            found = self.locate(target, frames() if frames else None)
            if found is not None:
                self._server_error = None
                return found
            self.check_session()
            if until_server_error and self.server_error(since=started) is not None:
                raise _GaveUp
            if self.server_error(since=started, documents_only=True) is not None:
                # A window was replaced by an error page: what is awaited cannot come.
                raise self.not_found(target)
            return None

        def idle(wait_ms: float) -> None:
            if frames is None and self._alone(target) is not None:
                found = self._seen_in_page(target, wait_ms)
                if found is not None:
                    seen.append(found)
                return
            self.wait_a_little(target, wait_ms)

        try:
            return poll(
                check, timeout_s=self.timeout_s if timeout_s is None else timeout_s, idle=idle
            )
        except _GaveUp:
            return None

    def find(
        self,
        target: Target,
        *,
        timeout_s: float | None = None,
        frames: Callable[[], Sequence[Frame]] | None = None,
    ) -> Found:
        """Wait until ``target`` is visible somewhere; ElementNotFoundError after the timeout."""
        found = self.wait_for(target, timeout_s=timeout_s, frames=frames)
        if found is None:
            raise self.not_found(target)
        return found

    def look_with(self, target: Target, script: str, args: Any) -> tuple[Found | None, Any]:
        """One look for ``target`` (no wait) and the answer of the frame script ``script`` at
        the same moment, in one round trip, where one look covers everything (one window, no
        frames). (None, None) where it does not: the caller looks its usual way."""
        alone = self._alone(target)
        if alone is None:
            return None, None
        frame, look = alone
        self.probes += 1
        try:
            result, answer = inpage.run_pair(
                frame,
                ("perceive", look.args(prefer=self.learned.get(target.key))),
                (script, args),
            )
        except PlaywrightError:
            return None, None  # navigating
        return (self._taken(target, frame, result) if result else None), answer

    def find_with(self, target: Target, script: str, args: Any) -> tuple[Found, Any]:
        """``target`` as ``find`` finds it, and ``script``'s answer from the same look when
        ``look_with`` found it at once; else the answer is None (the caller asks itself)."""
        found, answer = self.look_with(target, script, args)
        if found is not None:
            return found, answer
        return self.find(target), None

    def present(self, target: Target) -> bool:
        """Is ``target`` visible anywhere now? (One look, no wait.)"""
        if isinstance(target.find, Look) or self.override(target.key):
            return self.locate(target) is not None
        # Built by strategies: whether any of them matches is one question, not one each.
        for frame in self.frames():
            try:
                if frame.is_detached():
                    continue
                candidates = [c.filter(visible=True) for c in target.find(frame)]
                self.probes += 1
                if candidates and _any_of(candidates).count() > 0:
                    return True
            except PlaywrightError:
                continue  # navigating: looked at again on the next pass
        return False

    def seen_soon(self, target: Target) -> Found | None:
        """``target`` if the page sees it within a moment (one window, no frames: the page
        watches, in one round trip); None if not, or if there is more than one place to look.
        For an answer usually on its way, before the caller's own way of waiting."""
        return self._seen_in_page(target, FIRST_WAIT_MS)

    def wait_gone(self, target: Target, *, timeout_s: float | None = None) -> bool:
        """Wait until ``target`` is visible nowhere; False if it is still there at the timeout."""
        last: list[Found] = []
        # One window without frames: the page watches for it to go, in one round trip.
        waited = self._wait_in_page(target, FIRST_WAIT_MS, seen=False)
        if waited is not None and not waited[1]["found"]:
            return True

        def gone() -> bool | None:
            found = self.locate(target)
            last[:] = [found] if found is not None else []
            return True if found is None else None

        def idle(ms: float) -> None:
            with contextlib.suppress(PlaywrightError):
                last[0].locator.wait_for(state="hidden", timeout=ms)

        return bool(
            poll(gone, timeout_s=self.timeout_s if timeout_s is None else timeout_s, idle=idle)
        )

    # -- when it is not there --------------------------------------------------------------

    def suggestions(self, target: Target, limit: int = 3) -> list[Suggestion]:
        """Visible controls of the same kind whose words are nearest to the target's."""
        look = target.find
        if not isinstance(look, Look):
            return []
        wanted = [fold(label) for label in look.labels]
        scored: dict[str, Suggestion] = {}
        for frame in self.frames():
            try:
                result: Any = inpage.run(
                    frame, "perceive", replace(look, max_rank=99).args(suggest=True)
                )
            except PlaywrightError:
                continue
            for item in result["suggestions"]:
                name = str(item["name"])
                folded = fold(name)
                score = max(difflib.SequenceMatcher(None, folded, w).ratio() for w in wanted)
                if score < 0.45 or folded in scored:
                    continue
                scored[folded] = Suggestion(name, _selector_for(item), round(score, 2))
        return sorted(scored.values(), key=lambda s: -s.score)[:limit]

    def screen_loaded(self) -> bool:
        """Every open window has finished loading (nothing more is on its way)."""
        try:
            return all(p.evaluate("() => document.readyState") == "complete" for p in self.pages())
        except PlaywrightError:
            return False

    def not_found(
        self, target: Target, *, where: str = "in any open window"
    ) -> ElementNotFoundError | PortalUnreachableError:
        """The error for a control that is not there, with what is there instead."""
        transient = self.server_error_exception(f"looking for {target.what}")
        if transient is not None:
            return transient
        message = f"could not find {target.what} {where}"
        near = self.suggestions(target)
        hint = target.hint()
        if near:
            listed = "; ".join(
                f"“{s.name}” (`{target.key} = {_toml_string(s.selector)}`)" for s in near
            )
            message += f"; did you mean: {listed}"
            hint = "if one of these is it, put its line under [selectors] in the config file"
        error_class = ControlMissingError if self.screen_loaded() else ElementNotFoundError
        return error_class(message, hint=hint)


def _selector_for(item: Mapping[str, Any]) -> str:
    """A Playwright selector picking a suggested control: by role and name, else by place."""
    role, name = str(item.get("role") or ""), str(item.get("name") or "")
    if role in ("button", "link", "menuitem", "tab", "checkbox") and '"' not in name:
        return f'role={role}[name="{name}"]'
    return str(item["css"])


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- how a person finds each kind of control ---------------------------------------------------


def clickable(*labels: str, loose: bool = True, text: bool = True) -> Look:
    """A button, link, menu item or tab by its name; then by visible text or title.

    ``loose`` also accepts the label inside a longer name ("✉ Trimite alerta"), after every
    exact match has been tried.
    """
    return Look("press", labels, loose=loose, text=text)


def menu_entry(*labels: str) -> Look:
    """A menu entry: never a partial match (Alerte ≠ Istoric alerte), a link before a text."""
    return Look("menu", labels, loose=False)


def tab(*labels: str) -> Look:
    return Look("tab", labels, loose=False)


def checkbox(*labels: str) -> Look:
    """A checkbox-like thing by its label, wherever the label is.

    In order: a real label (``<label for>``, wrapping label, aria-label, its own text for an
    ARIA checkbox or a toggle button); the label right after the box; in the table cell next
    to the box's cell; right before the box; drawn nearest to it on its line.
    """
    return Look("check", labels)


def text_box(*labels: str, near: str | None = None, nth: int = 0) -> Look:
    """A text box labelled by ``labels`` (label, placeholder), else the nth one after ``near``."""
    return Look("type", labels, near=near, nth=nth)
