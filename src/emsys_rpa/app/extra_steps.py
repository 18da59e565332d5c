"""The steps only some tasks have (the registry in ``app.tasks`` says which task has which)."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

import structlog

from emsys_rpa.errors import ConfigError
from emsys_rpa.pages import alerts, invoices
from emsys_rpa.pages.sending import press_then_expect
from emsys_rpa.period import resolve_period
from emsys_rpa.summary import TaskStatus

if TYPE_CHECKING:
    from emsys_rpa.app.sending import TaskRun

log = structlog.get_logger("emsys_rpa.app")


def check_manual_sends(run: TaskRun) -> bool:
    """Alerts: stop if Istoric alerte already shows a dispatch today this robot did not make.

    A clerk who sent the alerts by hand must not have them sent again; someone must decide
    whether today's alerts are done, so the run fails (exit 1).
    """
    settings, task = run.settings.run, run.result
    if settings.dry_run or settings.force or not settings.check_manual_alerts:
        return True
    midnight = datetime.combine(run.portal.now().date(), time(0), tzinfo=run.settings.portal.tz)
    tab = run.spec.screen.history_label
    with run.steps.step(task, f"check {tab} for today's sends") as step:
        home = run.screen.open_history(remember_home=True)
        reading = run.grid.read_since(midnight)
        seen = reading.tally.rows_seen
        step.detail = f"{seen} alert row(s) dated today"
        if seen:
            step.screenshot = run.steps.shot(f"{task.name}-history-before", evidence=True)
    if seen:
        first = reading.tally.first_sent_at
        task.status = TaskStatus.SKIPPED
        task.skip_reason = (
            f"{tab} already shows {seen} alert(s) sent today"
            f"{f' from {first:%H:%M}' if first else ''}, not scheduled by this robot; "
            "not sending again (use --force to send anyway)"
        )
        log.warning("task skipped", task=task.name, reason=task.skip_reason)
        run.summary.errors.append(f"{task.name} not sent: {task.skip_reason}")
        return False
    with run.steps.step(task, "back to Alerte") as step:
        how = run.screen.back_from_history(home)
        step.detail = {
            "shown": "its button is shown beside the history",
            "tab": f"by its tab “{home.text}”" if home else "",
            "menu": "by the menu",
        }[how]
    return True


def choose_sending_method(run: TaskRun) -> bool:
    """Alerts: the first window's "Alegere modalitate transmitere alerte" opens the second."""
    with run.steps.step(run.result, "choose the sending method"):
        screen = run.screen
        press_then_expect(
            screen.finder, screen.dialogs, alerts.CHOOSE_METHOD, run.spec.screen.background
        )
    return True


def fill_period(run: TaskRun) -> bool:
    """Invoices: Perioada, one calendar month back to today on the portal's clock."""
    settings, task = run.settings, run.result
    with run.steps.step(task, "fill Perioada") as step:
        try:
            period = resolve_period(
                settings.portal.tz,
                start=settings.run.period_from,
                end=settings.run.period_to,
                now=run.portal.now(),
            )
        except ValueError as exc:
            raise ConfigError(f"run.period_from / period_to: {exc}") from None
        start, end = invoices.fill_period(
            run.screen.finder, period.start, period.end, settings.portal.date_format
        )
        task.period_from, task.period_to = start, end
        step.detail = f"Perioada {start} – {end}"
    return True
