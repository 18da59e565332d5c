"""The task registry: what the robot does, one ``TaskSpec`` per task, in the manual's order.

A task is a sending screen (its labels and windows live in the page objects), a title for
people, the name of the step that opens the screen, and the steps it has that the others do
not (alerts: check that nobody sent them by hand today, then choose the sending method;
invoices: fill Perioada). Everything else — logging in, ticking Fundal, pressing Trimite once,
the ledger, verification, the report — is the same for every task and reads this registry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from emsys_rpa.app import extra_steps
from emsys_rpa.errors import ConfigError
from emsys_rpa.pages import alerts, invoices
from emsys_rpa.pages.sending import Screen

if TYPE_CHECKING:
    from emsys_rpa.app.sending import TaskRun

# A step of one task only. Returns False when the task stops there (it was skipped).
ExtraStep = Callable[["TaskRun"], bool]


@dataclass(frozen=True)
class TaskSpec:
    name: str  # in --only, the ledger, summary.json: never translated
    title: str  # for people (console, report, notifications)
    screen: Screen
    open_step: str  # the name of the step that opens the screen from the menu
    before_configure: tuple[ExtraStep, ...] = ()
    after_configure: tuple[ExtraStep, ...] = ()


ALERTS = TaskSpec(
    name="alerts",
    title="Alerts (Transmitere alerte)",
    screen=alerts.ALERTS,
    open_step="open Alerte",
    before_configure=(extra_steps.check_manual_sends,),
    after_configure=(extra_steps.choose_sending_method,),
)
INVOICES = TaskSpec(
    name="invoices",
    title="Invoices (Transmitere facturi)",
    screen=invoices.INVOICES,
    open_step="open Transmitere Facturi",
    before_configure=(extra_steps.fill_period,),
)

# The manual's order: alerts first, so that customers are notified without delay.
TASKS: tuple[TaskSpec, ...] = (ALERTS, INVOICES)


def names(tasks: Sequence[TaskSpec] = TASKS) -> list[str]:
    return [spec.name for spec in tasks]


def select(only: Sequence[str] | None, tasks: Sequence[TaskSpec] = TASKS) -> list[TaskSpec]:
    """The tasks ``only`` names (all when None), in registry order; ConfigError for others."""
    if only is None:
        return list(tasks)
    wanted = [name.strip() for name in only if name.strip()]
    valid = names(tasks)
    unknown = [name for name in wanted if name not in valid]
    if unknown or not wanted:
        shown = ", ".join(unknown) if unknown else "(none)"
        raise ConfigError(f"unknown task(s) {shown}; use {' and/or '.join(valid)}")
    return [spec for spec in tasks if spec.name in wanted]
