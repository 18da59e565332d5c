"""One task's trip through its screen: prepare everything, press Trimite once, close the windows.

Everything before Trimite is safe to repeat (the caller retries it from the portal's start
page). Pressing is not: the ledger's intent is written once the button has been found, just
before the click, and the click happens at most once whatever follows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import structlog
from playwright.sync_api import Error as PlaywrightError

from emsys_rpa.app.portal_session import PortalSession
from emsys_rpa.app.steps import StepRecorder
from emsys_rpa.errors import EmsysError
from emsys_rpa.events import SendGuard
from emsys_rpa.pages.history_grid import HistoryGrid
from emsys_rpa.pages.message import InfoMessage
from emsys_rpa.pages.sending import SendingScreen
from emsys_rpa.redaction import error_line
from emsys_rpa.settings import Settings
from emsys_rpa.summary import RunSummary, TaskResult, TaskStatus

if TYPE_CHECKING:
    from emsys_rpa.app.tasks import TaskSpec

log = structlog.get_logger("emsys_rpa.app")


@dataclass
class TaskRun:
    """Everything one task needs while it runs: its spec, result, screen, grid and helpers."""

    spec: TaskSpec
    result: TaskResult
    screen: SendingScreen
    grid: HistoryGrid
    portal: PortalSession
    steps: StepRecorder
    settings: Settings
    guard: SendGuard
    summary: RunSummary

    def prepare(self) -> bool:
        """Every screen up to (not including) Trimite. False: stop here (skipped, dry run)."""
        task = self.result
        with self.steps.step(task, self.spec.open_step):
            self.portal.relogin_if_needed()
            self.screen.open()
        for extra in self.spec.before_configure:
            if not extra(self):
                return False
        with self.steps.step(task, "open the configuration window"):
            self.screen.open_configuration()
        for extra in self.spec.after_configure:
            if not extra(self):
                return False
        with self.steps.step(task, "tick Fundal") as step:
            self.screen.tick_background()
            step.screenshot = self.steps.shot(f"{task.name}-form-filled", evidence=True)
        if self.settings.run.dry_run:
            with self.steps.step(task, "cancel (dry run)") as step:
                self.screen.close_windows(cancel=True)
                step.detail = "dry run: Trimite not pressed, windows closed with Renunț/X"
            task.status = TaskStatus.DRY_RUN
            return False
        return True

    def press_once(self, commit_intent: Callable[[], None]) -> InfoMessage | None:
        """Press Trimite (``commit_intent`` runs just before the click) and read the answer."""
        task = self.result
        with self.steps.step(task, "press Trimite (once)") as step:
            # The confirmation is photographed while it is on screen, before its OK is
            # pressed (after OK a postback may redraw the window as it was before). A native
            # dialog cannot be photographed: its text is in the step's detail.
            shots: list[str | None] = []
            message = self.screen.send(
                message_timeout_s=self.settings.portal.navigation_timeout_s,
                before_click=commit_intent,
                on_shown=lambda: shots.append(
                    self.steps.shot(f"{task.name}-confirmation", evidence=True)
                ),
            )
            if message is None:
                step.detail = "no information message appeared"
                step.screenshot = self.steps.shot(f"{task.name}-no-message")
            else:
                step.detail = f"portal said ({message.via}): {message.text}"
                step.screenshot = shots[0] if shots else None
        return message

    def close_after_send(self) -> None:
        try:
            with self.steps.step(self.result, "close the windows"):
                self.screen.close_windows()
        except (EmsysError, PlaywrightError) as exc:
            # The job is scheduled or not whatever the windows do; the history will say.
            self.result.errors.append(f"closing the windows: {error_line(exc)}")
            self.portal.browser.close_extra_pages()

    def refresh_history(self, poll: int) -> None:
        """Show fresh history rows, the way the portal allows.

        First poll: open the tab. Then the grid's own refresh button if it has one; otherwise
        the tab again, and every other time the screen re-opened from the menu (a tab that only
        toggles what was loaded with the page shows nothing new until then). The page is never
        reloaded: after a postback that would post the send form again.
        """
        if poll == 1:
            self.screen.open_history()
            return
        if self.screen.refresh_history():
            return
        on_screen = self.screen.finder.present(self.spec.screen.history_tab)
        if poll % 2 == 1 or not on_screen:
            self.portal.relogin_if_needed()
            self.screen.open()
        self.screen.open_history()
