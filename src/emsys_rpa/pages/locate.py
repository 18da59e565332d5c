"""Finding a control on a page we have never seen: by what a person reads, wherever it is.

A ``Target`` is one control the procedure needs ("the button Trimite alerta"), described by its
``[selectors]`` key and by strategies in order of preference (ARIA role and accessible name,
label, visible text, then structural fallbacks). ``Finder`` looks for it in every frame of every
open window of the browser, newest window first: a portal "window" may be an in-page dialog, an
iframe or a real popup, and the robot is not told which.

Everything returned is a ``Locator`` that Playwright resolves again on every action, so a
full-page postback between two actions does not leave the robot holding dead elements.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import reduce
from typing import Literal

import structlog
from playwright.sync_api import BrowserContext, Frame, Locator, Page
from playwright.sync_api import Error as PlaywrightError

from emsys_rpa.errors import ElementNotFoundError, SessionExpiredError
from emsys_rpa.pages.wait import poll
from emsys_rpa.textmatch import (
    CANCEL_WORDS,
    CLOSE_WORDS,
    label_regex,
    xpath_folded_any,
)

log = structlog.get_logger("emsys_rpa.pages")

Scope = Page | Frame
Builder = Callable[[Scope], Sequence[Locator]]

# Inputs a person types a value into.
TEXT_INPUT = (
    "input:is([type=text],[type=email],[type=date],[type=search],[type=tel],:not([type])), textarea"
)
AriaRole = Literal["button", "link", "menuitem", "tab", "checkbox"]


@dataclass(frozen=True)
class Target:
    """A control the procedure needs: its ``[selectors]`` key, a description, its strategies."""

    key: str
    what: str
    build: Builder = field(compare=False)

    def first_strategies(self, count: int) -> Target:
        """The same target, found only by its first ``count`` strategies."""
        build = self.build
        return Target(self.key, self.what, lambda scope: list(build(scope))[:count])

    def hint(self) -> str:
        return (
            f'if the portal shows it differently, set `{self.key} = "<Playwright selector>"` '
            "under [selectors] in the config file"
        )


@dataclass(frozen=True)
class Found:
    locator: Locator  # the first visible match of one strategy, re-resolved on every use
    frame: Frame
    strategy: int  # index of the strategy that matched (-1: the [selectors] override)

    @property
    def page(self) -> Page:
        return self.frame.page


class Finder:
    """Looks for targets across the context's windows and frames, waiting on conditions.

    While it waits it also watches for the portal's login form in the main window: once logged
    in, that form coming back means the session expired, and whatever is awaited will never
    appear, so ``SessionExpiredError`` is raised at once instead of after the timeout. Logging
    in is the one time the form is expected (``login_expected``).
    """

    def __init__(
        self, context: BrowserContext, selectors: Mapping[str, str], *, timeout_s: float
    ) -> None:
        self.context = context
        self.selectors = dict(selectors)
        self.timeout_s = timeout_s
        self._login_expected = 0

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

    def candidates(self, target: Target, scope: Scope) -> list[Locator]:
        override = self.override(target.key)
        if override:
            return [scope.locator(override)]
        return list(target.build(scope))

    # -- finding ---------------------------------------------------------------------------

    def locate(self, target: Target, frames: Sequence[Frame] | None = None) -> Found | None:
        """One pass over the frames: the first visible match, in strategy order; no waiting."""
        for frame in frames if frames is not None else self.frames():
            try:
                if frame.is_detached():
                    continue
                for index, candidate in enumerate(self.candidates(target, frame)):
                    visible = candidate.filter(visible=True)
                    if visible.count() > 0:
                        strategy = -1 if self.override(target.key) else index
                        return Found(visible.first, frame, strategy)
            except PlaywrightError:
                # Detached or navigating frame: it will be looked at again on the next pass.
                continue
        return None

    def wait_a_little(self, target: Target, wait_ms: float) -> None:
        """Block until the target may have appeared in the top window, at most ``wait_ms``.

        This is a condition wait (the browser reports as soon as a match is visible), and it
        lets Playwright dispatch events (dialogs, popups) meanwhile.
        """
        pages = self.pages()
        if not pages:
            return
        frame = pages[0].main_frame
        try:
            candidates = self.candidates(target, frame)
            union = reduce(lambda a, b: a.or_(b), candidates)
            union.filter(visible=True).first.wait_for(state="attached", timeout=wait_ms)
        except PlaywrightError:
            return

    def find(
        self,
        target: Target,
        *,
        timeout_s: float | None = None,
        frames: Callable[[], Sequence[Frame]] | None = None,
    ) -> Found:
        """Wait until ``target`` is visible somewhere; ElementNotFoundError after the timeout."""

        def check() -> Found | None:
            found = self.locate(target, frames() if frames else None)
            if found is None:
                self.check_session()
            return found

        found = poll(
            check,
            timeout_s=self.timeout_s if timeout_s is None else timeout_s,
            idle=lambda ms: self.wait_a_little(target, ms),
        )
        if found is None:
            raise ElementNotFoundError(
                f"could not find {target.what} in any open window", hint=target.hint()
            )
        return found

    def present(self, target: Target) -> bool:
        return self.locate(target) is not None

    def wait_gone(self, target: Target, *, timeout_s: float | None = None) -> bool:
        """Wait until ``target`` is visible nowhere; False if it is still there at the timeout."""
        last: list[Found] = []

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


# -- strategies ------------------------------------------------------------------------------


def by_roles(
    scope: Scope, roles: Sequence[AriaRole], labels: Sequence[str], *, exact: bool = True
) -> list[Locator]:
    pattern = label_regex(*labels, exact=exact)
    return [scope.get_by_role(role, name=pattern) for role in roles]


def clickable(*labels: str, loose: bool = True, text: bool = True) -> Builder:
    """A button, link, menu item or tab by its name; then by visible text or title.

    ``loose`` also accepts the label inside a longer name ("✉ Trimite alerta"), after every
    exact match has been tried.
    """

    def build(scope: Scope) -> list[Locator]:
        roles: tuple[AriaRole, ...] = ("button", "link", "menuitem", "tab")
        found = by_roles(scope, roles, labels, exact=True)
        exact = label_regex(*labels, exact=True)
        if text:
            found.append(scope.get_by_text(exact))
            found.append(scope.get_by_title(exact))
        if loose:
            found += by_roles(scope, ("button", "link", "menuitem"), labels, exact=False)
        return found

    return build


# menu_entry's first strategies find entries by ARIA role; the later ones by bare text.
ROLE_STRATEGIES = 4


def menu_entry(*labels: str) -> Builder:
    """A menu entry: same as ``clickable`` but never a partial match (Alerte ≠ Istoric alerte)."""

    def build(scope: Scope) -> list[Locator]:
        roles: tuple[AriaRole, ...] = ("menuitem", "link", "button", "tab")
        exact = label_regex(*labels, exact=True)
        return [
            *by_roles(scope, roles, labels, exact=True),
            scope.get_by_role("listitem").filter(has_text=exact).get_by_text(exact),
            scope.get_by_text(exact),
        ]

    return build


def checkbox(*labels: str) -> Builder:
    """A checkbox by its label, wherever the label is.

    In order: a real label (``<label for>``, wrapping label, aria-label); the label text right
    after (or before) the box as a bare text node or inline element; the label in the table
    cell next to the box's cell.
    """

    def build(scope: Scope) -> list[Locator]:
        pattern = label_regex(*labels)
        box = "input[type=checkbox]"
        text_is_label = xpath_folded_any(".", labels)
        near = "following-sibling::node()[normalize-space(.) != ''][1]"
        before = "preceding-sibling::node()[normalize-space(.) != ''][1]"
        cell = f"(self::td or self::th) and {text_is_label}"
        return [
            scope.get_by_role("checkbox", name=pattern),
            scope.get_by_label(pattern).and_(scope.locator(box)),
            scope.locator(f"xpath=//input[@type='checkbox'][{near}[{text_is_label}]]"),
            scope.locator(
                f"xpath=//*[{cell}]/preceding-sibling::*[1]//input[@type='checkbox']"
                f" | //*[{cell}]/following-sibling::*[1]//input[@type='checkbox']"
            ),
            scope.locator(f"xpath=//input[@type='checkbox'][{before}[{text_is_label}]]"),
            # A box drawn by CSS over a hidden input: its label is what a person clicks.
            scope.locator("label:has(input[type=checkbox]), label[for]").filter(
                has_text=label_regex(*labels, exact=True)
            ),
        ]

    return build


def close_controls(kind: Literal["x", "close", "cancel"]) -> Callable[[Locator], list[Locator]]:
    """Controls that close a window, inside ``container``: the X, a Close word, or Renunț."""
    words = {
        "x": CLOSE_WORDS[:5],
        "close": CLOSE_WORDS[5:],
        "cancel": CANCEL_WORDS,
    }[kind]

    def build(container: Locator) -> list[Locator]:
        exact = label_regex(*words, exact=True)
        found = [
            container.get_by_role("button", name=exact),
            container.get_by_role("link", name=exact),
            container.get_by_title(exact),
        ]
        if kind == "x":
            # An X drawn as a bare span or image: by its text, its aria-label or its alt text.
            found += [
                container.get_by_label(label_regex("close", "inchide", exact=True)),
                container.get_by_alt_text(label_regex("close", "inchide", "x", exact=True)),
                container.get_by_text(exact),
            ]
        else:
            found.append(container.get_by_text(exact))
        return found

    return build
