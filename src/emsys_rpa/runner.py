"""The procedure, step by step: login → alerts → Istoric alerte → invoices → Istoric facturi.

Linear on purpose: each step is named, timed, logged and recorded in the task's ``steps``; each
task's outcome is recorded on its own (alerts can succeed while invoices fail). The one
irreversible action, pressing **Trimite**, happens at most once per task: the ledger's intent
is written just before it, and anything that goes wrong after it makes the task
``outcome_unknown`` — never a retry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from time import monotonic

import structlog
import tenacity
from playwright.sync_api import Error as PlaywrightError
from pydantic import SecretStr

from emsys_rpa.errors import (
    ConfigError,
    ElementNotFoundError,
    EmsysError,
    InterruptedRunError,
    NotVerifiedError,
    OutcomeUnknownError,
    PortalUnreachableError,
    SessionExpiredError,
)
from emsys_rpa.events import NullGuard, NullObserver, RunObserver, SendGuard
from emsys_rpa.history import Tally
from emsys_rpa.logging_setup import scrub_text
from emsys_rpa.pages import alerts, invoices
from emsys_rpa.pages.history_grid import HistoryGrid, Reading
from emsys_rpa.pages.locate import Finder
from emsys_rpa.pages.login import LoginPage
from emsys_rpa.pages.menu import FUNCTIONALITIES
from emsys_rpa.pages.message import InfoMessage, Verdict
from emsys_rpa.pages.sending import Screen, SendingScreen
from emsys_rpa.pages.windows import Windows
from emsys_rpa.period import Period, minute_floor, portal_now, resolve_period
from emsys_rpa.retrying import DEFAULT_RETRY_ON, safe_step
from emsys_rpa.session import BrowserSession
from emsys_rpa.settings import Settings
from emsys_rpa.summary import (
    RunSummary,
    StepRecord,
    StepStatus,
    TaskResult,
    TaskStatus,
    Verification,
)
from emsys_rpa.textmatch import fold

log = structlog.get_logger("emsys_rpa.runner")

SCREENS: dict[str, Screen] = {"alerts": alerts.ALERTS, "invoices": invoices.INVOICES}
SESSION_TASK = "session"  # the observer's task name for login/logout
# After a send the portal itself says failed, the history is still looked at, but briefly.
_FAILED_SEND_VERIFY_S = 60.0
# Folded history statuses of rows that did not go out.
_FAILED_ROW = re.compile(r"eroare|esuat|error|fail|respins|netrimis|nu s-a trimis|invalid")
_POLL_MIN_WAIT_S = 2.0
# Beyond this difference between the portal's clock and ours, the portal's is used.
_CLOCK_SKEW_S = 60.0
_POLL_MAX_WAIT_S = 20.0


def _failing_statuses(tally: Tally) -> dict[str, int]:
    """The tally's statuses that say a row did not go out, with their counts."""
    return {k: n for k, n in tally.statuses.items() if _FAILED_ROW.search(fold(k))}


def _rows_sent(reading: Reading | None) -> int:
    """New rows that did not fail: what proves sending started."""
    if reading is None:
        return 0
    tally = reading.tally
    return tally.rows_seen - sum(_failing_statuses(tally).values())


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    if isinstance(exc, PlaywrightError) and not isinstance(exc, EmsysError):
        line = f"{type(exc).__name__}: {line}"
    return scrub_text(line)


@dataclass
class _StepHandle:
    detail: str | None = None
    screenshot: str | None = None


class Runner:
    """Runs the procedure once against the portal in ``settings``, filling ``summary``."""

    def __init__(
        self,
        settings: Settings,
        summary: RunSummary,
        *,
        run_dir: Path | None,
        observer: RunObserver | None = None,
        guard: SendGuard | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.settings = settings
        self.summary = summary
        self.run_dir = run_dir
        self.observer = observer or NullObserver()
        self.guard = guard or NullGuard()
        self._now = now or (lambda: datetime.now(UTC))
        self.tz = settings.portal.tz
        self.run_error: EmsysError | None = None
        self._session: BrowserSession | None = None
        self._finder: Finder | None = None
        self._home_url: str | None = None
        self._skew_logged = False

    # -- plumbing --------------------------------------------------------------------------

    @property
    def session(self) -> BrowserSession:
        assert self._session is not None
        return self._session

    @property
    def finder(self) -> Finder:
        assert self._finder is not None
        return self._finder

    def _portal_now(self) -> datetime:
        """Now on the portal's clock, in its zone.

        Our clock, unless the portal's (its HTTP Date header) is more than a minute away: then
        the history's times and today's date are the portal's, and so must "since" be.
        """
        now = self._now()
        offset = self._session.clock_offset_s if self._session is not None else None
        if offset is not None and abs(offset) > _CLOCK_SKEW_S:
            if not self._skew_logged:
                log.warning("the portal's clock differs from ours", offset_s=round(offset))
                self._skew_logged = True
            now += timedelta(seconds=offset)
        return portal_now(self.tz, now)

    @contextmanager
    def _step(self, task: TaskResult | None, name: str) -> Iterator[_StepHandle]:
        """Name, time, log and record one step; a failure gets a screenshot and re-raises."""
        owner = task.name if task else SESSION_TASK
        handle = _StepHandle()
        started = self._portal_now()
        clock = monotonic()
        self.observer.step_started(owner, name)
        log.info("step started", task=owner, step=name)
        status = StepStatus.OK
        try:
            yield handle
        except BaseException as exc:
            status = StepStatus.FAILED
            handle.detail = handle.detail or _first_line(exc)
            if isinstance(exc, EmsysError) and exc.step is None:
                # The console and summary.json show the error away from its step list: the
                # message names the step itself (the innermost one that failed).
                exc.step = name
            if not isinstance(exc, KeyboardInterrupt) and self._session is not None:
                handle.screenshot = self._shot(f"{owner}-{name}-failed")
            raise
        finally:
            record = StepRecord(
                name=name,
                status=status,
                started_at=started,
                duration_s=round(monotonic() - clock, 3),
                detail=handle.detail,
                screenshot=handle.screenshot,
            )
            if task is not None:
                task.steps.append(record)
            else:
                self.summary.steps.append(record)
            log_method = log.info if status is StepStatus.OK else log.error
            log_method(
                "step finished",
                task=owner,
                step=name,
                status=status.value,
                duration_s=record.duration_s,
                detail=record.detail,
            )
            self.observer.step_finished(owner, record)

    def _shot(self, name: str) -> str | None:
        if self._session is None:
            return None
        # The password field is masked anyway; hiding it keeps even its length out of the image.
        mask = [self.session.top_page().locator("input[type=password]")]
        return self.session.screenshot(name, mask=mask)

    # -- the run ---------------------------------------------------------------------------

    def run(self) -> RunSummary:
        """Run every selected task. Run-level failures land in ``run_error`` and ``errors``."""
        summary = self.summary
        wanted = set(self.settings.run.only)
        if not summary.tasks:
            summary.tasks = [TaskResult(name=name) for name in SCREENS]
        for task in summary.tasks:
            if task.name not in wanted:
                task.status = TaskStatus.SKIPPED
                task.skip_reason = "not selected (--only)"
        self.observer.run_started(summary)
        try:
            with BrowserSession(self.settings, self.run_dir) as session:
                self._session = session
                self._finder = Finder(
                    session.context,
                    self.settings.selectors,
                    timeout_s=self.settings.portal.action_timeout_s,
                )
                summary.browser = session.choice.describe() if session.choice else None
                try:
                    self._login()
                    self.finder.guard = self._session_alive
                    session.start_tracing()
                    for task in summary.tasks:
                        if task.status is TaskStatus.NOT_RUN:
                            self._run_task(task)
                    self._logout()
                finally:
                    failed = self.run_error is not None or summary.derive_exit_status() != 0
                    summary.trace = session.stop_tracing(failed=failed)
        except KeyboardInterrupt:
            self.run_error = InterruptedRunError("the run was interrupted (Ctrl-C / SIGTERM)")
            summary.errors.append(self.run_error.message)
            raise
        except EmsysError as exc:
            self.run_error = exc
            summary.errors.append(scrub_text(str(exc)))
        except PlaywrightError as exc:
            self.run_error = EmsysError(f"the browser failed: {_first_line(exc)}")
            summary.errors.append(self.run_error.message)
        finally:
            self._session = None
        return summary

    # -- session ---------------------------------------------------------------------------

    def _password(self) -> SecretStr:
        password = self.settings.password
        if password is None or not self.settings.username:
            raise ConfigError("username and password are required to log in")
        return password

    def _login_page(self) -> LoginPage:
        return LoginPage(
            self.finder,
            self.session.page,
            timeout_s=self.settings.portal.action_timeout_s,
            server_error=self.session.shows_server_error,
        )

    def _login(self) -> None:
        url = self.settings.portal.url
        if not url:
            raise ConfigError("portal.url is not set")
        with self._step(None, "open the portal"):
            for attempt in safe_step(self.settings.retry, "open the portal"):
                with attempt:
                    self.session.goto(url)
        try:
            self._sign_in()
        except PortalUnreachableError:
            # Logged in (or not) but the page after it was a 503: ask for it again.
            self._back_to_portal()

    def _session_alive(self) -> None:
        """Finder guard: the login form in the main window means the session expired."""
        password = self.session.page.locator("input[type=password]").filter(visible=True)
        if password.count() > 0:
            raise SessionExpiredError(
                "the portal shows its login form: the session expired",
                hint="the robot logs in again for steps that are safe to repeat",
            )

    def _sign_in(self) -> None:
        page = self.session.page
        self.session.pause_tracing_for_login()
        with self._step(None, "log in") as step, self.finder.unguarded():
            self._login_page().login(
                self.settings.username or "",
                self._password(),
                signed_in=FUNCTIONALITIES,
                timeout_s=self.settings.portal.navigation_timeout_s,
            )
            self._home_url = page.url
            step.detail = f"logged in as {self.settings.username}"

    def _relogin_if_needed(self) -> None:
        if self._login_page().is_shown():
            log.warning("the portal shows the login form again: logging in again")
            self._sign_in()

    def _back_to_portal(self) -> None:
        """Recover a usable main window: popups closed, the portal's start page open, logged in.

        Only ever a GET of the start page (never a reload: that could post a form again) and,
        if the login form shows, a new login. Retried while the portal answers 5xx.
        """
        url = self._home_url or self.settings.portal.url or ""

        def once() -> None:
            self.session.close_extra_pages()
            self.session.goto(url)
            self._relogin_if_needed()
            with self.finder.unguarded():
                self.finder.find(FUNCTIONALITIES)

        with self._step(None, "back to the portal's start page"):
            retry_on = (*DEFAULT_RETRY_ON, ElementNotFoundError)
            for attempt in safe_step(self.settings.retry, "back to the start page", retry_on):
                with attempt:
                    once()

    def _recover(self, exc: BaseException, attempt: int) -> None:
        """``safe_step``'s hook between two attempts of a step that is safe to repeat."""
        log.warning("recovering before trying again", error=_first_line(exc), attempt=attempt)
        self._back_to_portal()

    def _logout(self) -> None:
        try:
            with self._step(None, "log out") as step:
                self.session.close_extra_pages()
                logged_out = self._login_page().logout()
                step.detail = "logged out" if logged_out else "no log-out control found"
        except (EmsysError, PlaywrightError):
            pass  # recorded in the step; logging out is a courtesy, not part of the job

    def check_login(self) -> RunSummary:
        """Open the portal, log in and out; nothing else (``emsys-rpa check``)."""
        self.observer.run_started(self.summary)
        try:
            with BrowserSession(self.settings, self.run_dir) as session:
                self._session = session
                self._finder = Finder(
                    session.context,
                    self.settings.selectors,
                    timeout_s=self.settings.portal.action_timeout_s,
                )
                self.summary.browser = session.choice.describe() if session.choice else None
                self._login()
                self._logout()
        except EmsysError as exc:
            self.run_error = exc
            self.summary.errors.append(scrub_text(str(exc)))
        except PlaywrightError as exc:
            self.run_error = EmsysError(f"the browser failed: {_first_line(exc)}")
            self.summary.errors.append(self.run_error.message)
        finally:
            self._session = None
        return self.summary

    # -- one task --------------------------------------------------------------------------

    def _run_task(self, task: TaskResult) -> None:
        screen_def = SCREENS[task.name]
        reason = self.guard.skip_reason(task.name)
        if reason is not None:
            task.status = TaskStatus.SKIPPED
            task.skip_reason = scrub_text(reason)
            log.warning("task skipped", task=task.name, reason=task.skip_reason)
            if self.guard.needs_check(task.name):
                # Not sending is right, but the job is not done either: someone must look at
                # the portal, so the run fails (exit 1) instead of ending quietly.
                self.summary.errors.append(f"{task.name} not sent: {task.skip_reason}")
            self.observer.task_finished(task)
            return
        screen = SendingScreen(
            self.finder,
            self.session.dialogs,
            Windows(self.finder, self.session.dialogs, self.session.page),
            screen_def,
        )
        grid = HistoryGrid(
            self.finder,
            self.tz,
            key=screen_def.history_key,
            date_headers=screen_def.history_date_headers,
        )
        sent = False
        message: InfoMessage | None = None
        try:
            # Everything before Trimite is safe to repeat: a failed attempt (expired session,
            # 503, a window that did not open) starts again from the portal's start page.
            retry_on = (*DEFAULT_RETRY_ON, ElementNotFoundError)
            label = f"{task.name}: prepare"
            for attempt in safe_step(self.settings.retry, label, retry_on, on_retry=self._recover):
                with attempt:
                    ready = self._prepare(task, screen, grid)
            if not ready:
                return

            def commit_intent() -> None:
                nonlocal sent
                pressed_at = self._portal_now().replace(microsecond=0)
                task.scheduled_at = pressed_at
                self.guard.intent(task.name, pressed_at)
                sent = True  # from here on the portal may have scheduled the job

            message = self._press_send(task, screen, commit_intent)
            assert task.scheduled_at is not None  # commit_intent ran, or send() raised
            since = minute_floor(task.scheduled_at)  # the history may show minutes only
            self._close_after_send(task, screen)
            self._verify(task, screen, grid, since, message)
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
            text = _first_line(exc) if isinstance(exc, PlaywrightError) else scrub_text(str(exc))
            task.errors.append(text)
            if task.status is TaskStatus.NOT_RUN:
                # Verification sets its own verdict (not_verified, failed) before raising.
                task.status = TaskStatus.OUTCOME_UNKNOWN if sent else TaskStatus.FAILED
            log.error("task failed", task=task.name, status=task.status.value, error=text)
        finally:
            if sent:
                try:
                    self.guard.outcome(task)
                except Exception as exc:  # the ledger's failure must not hide the task's
                    task.errors.append(f"run ledger: {_first_line(exc)}")
            self.observer.task_finished(task)
            if self._session is not None:
                self.session.close_extra_pages()

    def _prepare(self, task: TaskResult, screen: SendingScreen, grid: HistoryGrid) -> bool:
        """Every screen up to (not including) Trimite. False: stop here (skipped, dry run)."""
        label = "open Alerte" if task.name == "alerts" else "open Transmitere Facturi"
        with self._step(task, label):
            self._relogin_if_needed()
            screen.open()
        if task.name == "alerts" and self._someone_else_sent_today(task, screen, grid):
            return False
        if task.name == "invoices":
            self._fill_period(task)
        with self._step(task, "open the configuration window"):
            screen.open_configuration()
        if task.name == "alerts":
            with self._step(task, "choose the sending method"):
                found = self.finder.find(alerts.CHOOSE_METHOD)
                found.locator.click()
                self.finder.find(screen.screen.background)
        with self._step(task, "tick Fundal") as step:
            screen.tick_background()
            step.screenshot = self._shot(f"{task.name}-form-filled")
        if self.settings.run.dry_run:
            with self._step(task, "cancel (dry run)") as step:
                screen.close_windows(cancel=True)
                step.detail = "dry run: Trimite not pressed, windows closed with Renunț/X"
            task.status = TaskStatus.DRY_RUN
            return False
        return True

    def _someone_else_sent_today(
        self, task: TaskResult, screen: SendingScreen, grid: HistoryGrid
    ) -> bool:
        """Istoric alerte already shows a dispatch today that this robot did not schedule."""
        run = self.settings.run
        if run.dry_run or run.force or not run.check_manual_alerts:
            return False
        midnight = datetime.combine(self._portal_now().date(), time(0), tzinfo=self.tz)
        with self._step(task, "check Istoric alerte for today's sends") as step:
            screen.open_history()
            reading = grid.read_since(midnight)
            seen = reading.tally.rows_seen
            step.detail = f"{seen} alert row(s) dated today"
            if seen:
                step.screenshot = self._shot("alerts-history-before")
        if seen:
            first = reading.tally.first_sent_at
            task.status = TaskStatus.SKIPPED
            task.skip_reason = (
                f"Istoric alerte already shows {seen} alert(s) sent today"
                f"{f' from {first:%H:%M}' if first else ''}, not scheduled by this robot; "
                "not sending again (use --force to send anyway)"
            )
            log.warning("alerts skipped", reason=task.skip_reason)
            # Someone must decide whether today's alerts are done: the run fails (exit 1).
            self.summary.errors.append(f"{task.name} not sent: {task.skip_reason}")
            return True
        with self._step(task, "back to Alerte"):
            screen.open()
        return False

    def _fill_period(self, task: TaskResult) -> Period:
        run = self.settings.run
        fmt = self.settings.portal.date_format
        with self._step(task, "fill Perioada") as step:
            try:
                period = resolve_period(
                    self.tz, start=run.period_from, end=run.period_to, now=self._portal_now()
                )
            except ValueError as exc:
                raise ConfigError(f"run.period_from / period_to: {exc}") from None
            start, end = period.typed(fmt)
            task.period_from, task.period_to = start, end
            invoices.fill_period(self.finder, start, end, (period.start, period.end))
            step.detail = f"Perioada {start} – {end}"
        return period

    def _press_send(
        self, task: TaskResult, screen: SendingScreen, commit_intent: Callable[[], None]
    ) -> InfoMessage | None:
        with self._step(task, "press Trimite (once)") as step:
            message = screen.send(
                message_timeout_s=self.settings.portal.navigation_timeout_s,
                before_click=commit_intent,
            )
            if message is None:
                step.detail = "no information message appeared"
                step.screenshot = self._shot(f"{task.name}-no-message")
            else:
                step.detail = f"portal said ({message.via}): {message.text}"
                step.screenshot = self._shot(f"{task.name}-confirmation")
        return message

    def _close_after_send(self, task: TaskResult, screen: SendingScreen) -> None:
        try:
            with self._step(task, "close the windows"):
                screen.close_windows()
        except (EmsysError, PlaywrightError) as exc:
            # The job is scheduled or not whatever the windows do; the history will say.
            task.errors.append(f"closing the windows: {_first_line(exc)}")
            self.session.close_extra_pages()

    # -- verification ----------------------------------------------------------------------

    def _verify(
        self,
        task: TaskResult,
        screen: SendingScreen,
        grid: HistoryGrid,
        since: datetime,
        message: InfoMessage | None,
    ) -> None:
        verdict = message.verdict if message else None
        timeout = self.settings.run.verify_timeout_s
        if verdict is Verdict.FAILURE:
            timeout = min(timeout, _FAILED_SEND_VERIFY_S)
        tab = screen.screen.history_tab.what
        verification = Verification(since=since)
        task.verification = verification
        with self._step(task, f"verify in {tab}") as step:
            reading = self._poll_history(screen, grid, since, timeout, verification)
            tally = reading.tally if reading else None
            if tally is not None and tally.rows_seen:
                verification.rows_seen = tally.rows_seen
                verification.first_sent_at = tally.first_sent_at
                verification.last_sent_at = tally.last_sent_at
                verification.statuses = dict(tally.statuses)
                step.screenshot = self._shot(f"{task.name}-history")
                failing = _failing_statuses(tally)
                listed = ", ".join(f"{n} × “{k}”" for k, n in failing.items())
                if not _rows_sent(reading):
                    # Every new row failed: the portal tried and nothing went out. Not verified
                    # and not a success; the ledger's outcome keeps a rerun from sending blindly.
                    task.status = TaskStatus.FAILED
                    raise EmsysError(
                        f"{tab} shows {tally.rows_seen} new row(s) since {since:%H:%M}, none of "
                        f"them sent: {listed}",
                        hint="the portal failed to send; check it before running again",
                    )
                step.detail = (
                    f"{tally.rows_seen} row(s) sent since {since:%H:%M}"
                    f" (first {tally.first_sent_at:%H:%M}, last {tally.last_sent_at:%H:%M})"
                    if tally.first_sent_at and tally.last_sent_at
                    else f"{tally.rows_seen} row(s) sent since {since:%H:%M}"
                )
                task.status = TaskStatus.VERIFIED
                if failing:
                    # Sending started (verified), but say plainly that some rows failed.
                    task.errors.append(f"{tab} shows rows that were not sent: {listed}")
                return
            step.screenshot = self._shot(f"{task.name}-history-nothing-new")
            step.detail = f"no row dated {since:%d/%m/%Y %H:%M} or later within {timeout:.0f} s"
            if verdict is Verdict.FAILURE:
                assert message is not None
                task.status = TaskStatus.FAILED
                raise EmsysError(f"the portal did not schedule it: {message.text}")
            if verdict is Verdict.SUCCESS:
                task.status = TaskStatus.NOT_VERIFIED
                raise NotVerifiedError(
                    f"scheduled at {since:%H:%M}, but {tab} showed nothing new within "
                    f"{timeout:.0f} s",
                    hint="look at the history later; do not send again",
                )
            raise OutcomeUnknownError(
                "Trimite was pressed, but neither an information message nor new history rows "
                "appeared",
                hint="check the portal's history before running again",
            )

    def _poll_history(
        self,
        screen: SendingScreen,
        grid: HistoryGrid,
        since: datetime,
        timeout_s: float,
        verification: Verification,
    ) -> Reading | None:
        """Refresh and read the history until new rows show, with a bounded backoff."""
        started = monotonic()
        last_error: list[str] = []

        def poll() -> Reading | None:
            verification.polls += 1
            try:
                self._refresh_history(screen, verification.polls)
                return grid.read_since(since)
            except (EmsysError, PlaywrightError) as exc:
                last_error[:] = [_first_line(exc)]
                log.warning("history not readable yet", error=last_error[0])
                try:
                    self._back_to_portal()
                except (EmsysError, PlaywrightError) as again:
                    log.warning("portal not usable yet", error=_first_line(again))
                return None

        retrying = tenacity.Retrying(
            stop=tenacity.stop_before_delay(timeout_s),
            wait=tenacity.wait_exponential(
                multiplier=1, min=_POLL_MIN_WAIT_S, max=_POLL_MAX_WAIT_S
            ),
            # Rows that all failed may be followed by rows that went out: keep looking.
            retry=tenacity.retry_if_result(lambda r: _rows_sent(r) == 0),
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
        )
        reading: Reading | None = retrying(poll)
        verification.duration_s = round(monotonic() - started, 3)
        if reading is None and last_error:
            raise EmsysError(f"the history could not be read: {last_error[0]}")
        return reading

    def _refresh_history(self, screen: SendingScreen, poll: int) -> None:
        """Show fresh history rows, the way the portal allows.

        First poll: open the tab. Then the grid's own refresh button if it has one; otherwise
        the tab again, and every other time the screen re-opened from the menu (a tab that only
        toggles what was loaded with the page shows nothing new until then). The page is never
        reloaded: after a postback that would post the send form again.
        """
        if poll == 1:
            screen.open_history()
            return
        if screen.refresh_history():
            return
        on_screen = self.finder.present(screen.screen.history_tab)
        if poll % 2 == 1 or not on_screen:
            self._relogin_if_needed()
            screen.open()
        screen.open_history()
