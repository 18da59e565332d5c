"""The procedure, as the manual tells it: log in, each task in turn, log out.

Each task's outcome is recorded on its own (alerts can succeed while invoices fail). The one
irreversible action, pressing **Trimite**, happens at most once per task: the ledger's intent
is written just before it, and anything that goes wrong after it makes the task
``outcome_unknown`` — never a retry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import structlog
from playwright.sync_api import Error as PlaywrightError

from emsys_rpa.app.portal_session import PortalSession, portal_clock
from emsys_rpa.app.sending import TaskRun
from emsys_rpa.app.steps import StepRecorder
from emsys_rpa.app.tasks import TASKS, TaskSpec, select
from emsys_rpa.app.verification import verify
from emsys_rpa.browser.session import BrowserSession
from emsys_rpa.errors import (
    ControlMissingError,
    ControlNotOperableError,
    ElementNotFoundError,
    EmsysError,
    InterruptedRunError,
    OutcomeUnknownError,
)
from emsys_rpa.events import NullGuard, NullObserver, RunObserver, SendGuard
from emsys_rpa.ledger.guard import SendRefusedError
from emsys_rpa.ledger.locators import LearnedLocators
from emsys_rpa.ledger.policy import Refusal, RefusalKind
from emsys_rpa.pages.dialogs import DialogKeeper
from emsys_rpa.pages.evidence import keep_windows
from emsys_rpa.pages.history_grid import HistoryGrid, Reading
from emsys_rpa.pages.locate import Finder
from emsys_rpa.pages.message import Verdict
from emsys_rpa.pages.sending import SendingScreen
from emsys_rpa.pages.windows import Windows
from emsys_rpa.period import minute_floor
from emsys_rpa.redaction import error_line, scrub_text
from emsys_rpa.retrying import DEFAULT_RETRY_ON, safe_step
from emsys_rpa.settings import Settings
from emsys_rpa.summary import RunSummary, TaskResult, TaskStatus
from emsys_rpa.wording import NOT_SELECTED, refusal_text
from emsys_rpa.wording.locators import portal_changed

log = structlog.get_logger("emsys_rpa.app")


class Procedure:
    """Runs the procedure once against the portal in ``settings``, filling ``summary``."""

    def __init__(
        self,
        settings: Settings,
        summary: RunSummary,
        *,
        run_dir: Path | None = None,
        observer: RunObserver | None = None,
        guard: SendGuard | None = None,
        tasks: Sequence[TaskSpec] = TASKS,
        now: Callable[[], datetime] | None = None,
        while_browser_starts: Callable[[], object] = lambda: None,
    ) -> None:
        self.settings = settings
        self.while_browser_starts = while_browser_starts
        self.summary = summary
        self.run_dir = run_dir
        self.observer = observer or NullObserver()
        self.guard = guard or NullGuard()
        self.tasks = list(tasks)
        self._now = now or (lambda: datetime.now(UTC))
        # A failure of the run as a whole (not of one task): the caller maps it to the exit code.
        self.run_error: EmsysError | None = None
        self._portal: PortalSession | None = None
        self._finder: Finder | None = None
        self._dialogs = DialogKeeper()
        self.steps = StepRecorder(summary, self.observer, clock=self._portal_now)

    def _portal_now(self) -> datetime:
        if self._portal is not None:
            return self._portal.now()
        return portal_clock(self.settings, self._now(), None)

    # -- the run ---------------------------------------------------------------------------

    def run(self) -> RunSummary:
        """Run every selected task. Run-level failures land in ``run_error`` and ``errors``."""
        summary = self.summary
        selected = {spec.name for spec in select(self.settings.run.only, self.tasks)}
        if not summary.tasks:
            summary.tasks = [TaskResult(name=s.name, title=s.title) for s in self.tasks]
        for task in summary.tasks:
            if task.name not in selected:
                task.status = TaskStatus.SKIPPED
                task.skip_reason = "not selected (--only)"
                task.skip_kind = NOT_SELECTED
        specs = {spec.name: spec for spec in self.tasks}
        self.observer.run_started(summary)

        def tasks(portal: PortalSession, browser: BrowserSession) -> None:
            try:
                browser.start_tracing()
                for task in summary.tasks:
                    if task.status is TaskStatus.NOT_RUN:
                        self._run_task(portal, specs[task.name], task)
                portal.sign_out()
            finally:
                failed = self.run_error is not None or summary.derive_exit_status() != 0
                summary.trace = browser.stop_tracing(failed=failed)

        try:
            self._signed_in(tasks)
        except KeyboardInterrupt:
            self.run_error = InterruptedRunError("the run was interrupted (Ctrl-C / SIGTERM)")
            summary.errors.append(self.run_error.message)
            raise
        self._learn(selected)
        return summary

    def _learn(self, selected: set[str]) -> None:
        """Say which controls are found differently than last time; after a verified run,
        remember how each one was found (tried first next time)."""
        finder = self._finder
        if finder is None:
            return
        log.info("controls looked for", probes=finder.probes, learned=len(finder.learned))
        for key, (was, now) in finder.changed.items():
            what = finder.whats.get(key, key)
            self.summary.warnings.append(portal_changed(what, was, now))
        verified = [t for t in self.summary.tasks if t.name in selected]
        if verified and all(t.status is TaskStatus.VERIFIED for t in verified):
            try:
                self._learned_store().save(finder.used)
            except OSError as exc:
                log.warning("learned locators not saved", error=error_line(exc))

    def _learned_store(self) -> LearnedLocators:
        return LearnedLocators(self.settings.state.resolved_dir, self.settings.portal.url or "")

    def check_login(self) -> RunSummary:
        """Open the portal, log in and out; nothing else (``emsys-rpa check``)."""
        self.observer.run_started(self.summary)
        self._signed_in(lambda portal, _browser: portal.sign_out())
        return self.summary

    def read_histories(self, wanted: Sequence[tuple[TaskSpec, datetime]]) -> dict[str, Reading]:
        """Sign in and read each task's history since its time, pressing nothing
        (``emsys-rpa verify``). A failure of the run as a whole ends up in ``run_error``."""
        readings: dict[str, Reading] = {}
        self.observer.run_started(self.summary)

        def body(portal: PortalSession, browser: BrowserSession) -> None:
            for spec, since in wanted:
                finder = portal.finder
                windows = Windows(finder, self._dialogs, browser.page)
                screen = SendingScreen(finder, self._dialogs, windows, spec.screen)
                grid = HistoryGrid(
                    finder,
                    self.settings.portal.tz,
                    key=spec.screen.history_key,
                    date_headers=spec.screen.history_date_headers,
                )
                task = self.summary.task(spec.name)
                with self.steps.step(task, f"read {spec.screen.history_label}") as step:
                    screen.open()
                    screen.open_history()
                    readings[spec.name] = grid.read_since(since)
                    step.screenshot = self.steps.shot(f"{spec.name}-history")
            portal.sign_out()

        self._signed_in(body)
        return readings

    def _signed_in(self, body: Callable[[PortalSession, BrowserSession], None]) -> None:
        """Run ``body`` with a browser open on the portal, logged in. A failure of the run as
        a whole (browser, portal, login) ends up in ``run_error`` and the summary's errors."""
        try:
            with BrowserSession(
                self.settings, self.run_dir, meanwhile=self.while_browser_starts
            ) as browser:
                self._dialogs.attach(browser.context)
                finder = Finder(
                    browser.context,
                    self.settings.selectors,
                    timeout_s=self.settings.portal.action_timeout_s,
                    learned=self._learned_store().load(),
                )
                self._finder = finder
                self.summary.browser = browser.choice.describe() if browser.choice else None
                portal = PortalSession(self.settings, browser, finder, self.steps, now=self._now)
                self._portal = portal
                self.steps.shooter = lambda name, evidence: browser.screenshot(
                    name, evidence=evidence
                )
                run_dir = self.run_dir
                if run_dir is not None:
                    self.steps.keeper = lambda name: keep_windows(finder.pages(), run_dir, name)
                try:
                    portal.open()
                    body(portal, browser)
                finally:
                    self.steps.shooter = None
                    self.steps.keeper = None
                    self._portal = None
        except EmsysError as exc:
            self.run_error = exc
            self.summary.errors.append(scrub_text(str(exc)))
        except PlaywrightError as exc:
            self.run_error = EmsysError(f"the browser failed: {error_line(exc)}")
            self.summary.errors.append(self.run_error.message)

    # -- one task --------------------------------------------------------------------------

    def _run_task(self, portal: PortalSession, spec: TaskSpec, task: TaskResult) -> None:
        refusal = self.guard.refusal(task.name)
        if refusal is not None:
            self._skip_refused(spec, task, refusal)
            return
        finder = portal.finder
        run = TaskRun(
            spec=spec,
            result=task,
            screen=SendingScreen(
                finder,
                self._dialogs,
                Windows(finder, self._dialogs, portal.browser.page),
                spec.screen,
            ),
            grid=HistoryGrid(
                finder,
                self.settings.portal.tz,
                key=spec.screen.history_key,
                date_headers=spec.screen.history_date_headers,
            ),
            portal=portal,
            steps=self.steps,
            settings=self.settings,
            guard=self.guard,
            summary=self.summary,
        )
        sent = False
        message = None
        try:
            # Everything before Trimite is safe to repeat: a failed attempt (expired session,
            # 503, a window that did not open) starts again from the portal's start page.
            # A control missing from a screen that has finished loading, or one that cannot be
            # operated, will be so again: that is reported at once, not after three attempts.
            retry_on = (*DEFAULT_RETRY_ON, ElementNotFoundError)
            give_up_on = (ControlMissingError, ControlNotOperableError)
            label = f"{task.name}: prepare"
            for attempt in safe_step(
                self.settings.retry,
                label,
                retry_on,
                on_retry=portal.recover,
                give_up_on=give_up_on,
            ):
                with attempt:
                    ready = run.prepare()
            if not ready:
                return

            def commit_intent() -> None:
                nonlocal sent
                pressed_at = portal.now().replace(microsecond=0)
                task.scheduled_at = pressed_at
                try:
                    self.guard.intent(task.name, pressed_at)
                except SendRefusedError as exc:
                    raise SendRefusedError(
                        exc.refusal,
                        text=self._refusal_text(spec, exc.refusal),
                        step=f"{task.name}: {spec.screen.send_label}",
                    ) from None
                sent = True  # from here on the portal may have scheduled the job

            try:
                message = run.press_once(commit_intent)
            except OutcomeUnknownError as exc:
                if not sent:
                    raise
                # The click may have reached the portal (its answer hung or was cut off):
                # never click again; only the history can tell whether the job was scheduled.
                task.errors.append(scrub_text(str(exc)))
                log.warning("no answer to Trimite: reading the history", task=task.name)
            assert task.scheduled_at is not None  # commit_intent ran, or send() raised
            if message is None:
                self._leave_unanswered_send(portal, run)
            else:
                run.close_after_send()
            # The history may show minutes only.
            verify(run, minute_floor(task.scheduled_at), message)
        except KeyboardInterrupt:
            if task.status is TaskStatus.NOT_RUN:
                scheduled = message is not None and message.verdict is Verdict.SUCCESS
                task.status = (
                    TaskStatus.NOT_RUN
                    if not sent
                    else TaskStatus.NOT_VERIFIED
                    if scheduled
                    else TaskStatus.OUTCOME_UNKNOWN
                )
            task.errors.append("interrupted" + (" after pressing Trimite" if sent else ""))
            raise
        except (EmsysError, PlaywrightError) as exc:
            text = error_line(exc) if isinstance(exc, PlaywrightError) else scrub_text(str(exc))
            task.errors.append(text)
            # Verification decides the status itself before it raises; a failure before it
            # leaves NOT_RUN, and then it depends on whether Trimite may have been pressed.
            if task.status is TaskStatus.NOT_RUN:
                task.status = TaskStatus.OUTCOME_UNKNOWN if sent else TaskStatus.FAILED
            log.error("task failed", task=task.name, status=task.status.value, error=text)
        finally:
            if sent:
                try:
                    self.guard.outcome(task)
                except Exception as exc:  # the ledger's failure must not hide the task's
                    task.errors.append(f"run ledger: {error_line(exc)}")
            self.observer.task_finished(task)
            portal.browser.close_extra_pages()

    @staticmethod
    def _leave_unanswered_send(portal: PortalSession, run: TaskRun) -> None:
        """Back to the task's screen from the start page after a Trimite with no answer.

        Where the message should be there may be an error page, or a window stuck
        mid-navigation in which no page call returns: the windows are left, not closed, for a
        GET of the start page (never a repost) and the menu, so that the history tab is there
        to read. Verification recovers again if this fails.
        """
        try:
            portal.back_to_start()
            run.screen.open()
        except (EmsysError, PlaywrightError) as exc:
            log.warning(
                "screen not reopened after Trimite", task=run.result.name, error=error_line(exc)
            )

    def _refusal_text(self, spec: TaskSpec, refusal: Refusal) -> str:
        if refusal.at is not None:
            # The ledger keeps an offset; people read the portal's zone (EET, EEST).
            refusal = replace(refusal, at=refusal.at.astimezone(self.settings.portal.tz))
        return refusal_text(
            refusal, send_label=spec.screen.send_label, history_label=spec.screen.history_label
        )

    def _skip_refused(self, spec: TaskSpec, task: TaskResult, refusal: Refusal) -> None:
        task.status = TaskStatus.SKIPPED
        task.skip_reason = scrub_text(self._refusal_text(spec, refusal))
        task.skip_kind = refusal.kind.value
        if refusal.kind is RefusalKind.VERIFIED:
            at = refusal.at.astimezone(self.settings.portal.tz) if refusal.at else None
            task.done_by, task.done_at = refusal.run_id, at
        log.warning("task skipped", task=task.name, reason=task.skip_reason)
        if refusal.kind.needs_check:
            # Not sending is right, but the job is not done either: someone must look at the
            # portal, so the run fails (exit 1) instead of ending quietly.
            self.summary.errors.append(f"{task.name} not sent: {task.skip_reason}")
        self.observer.task_finished(task)
