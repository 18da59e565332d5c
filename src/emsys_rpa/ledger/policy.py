"""When a send must be refused: pure rules over what the run ledger recorded, no SQL, no wording.

For the same portal, user and portal-local day, a task is refused when an earlier run

* recorded it ``verified``, ``not_verified`` or ``outcome_unknown``, or
* recorded the intent and then either nothing (the process died around the click) or a
  failure (the click may have been delivered before the failure);

and, ``--force`` or not, when this very run already recorded the intent: a run never presses
Trimite twice. Dry runs never block anything. ``Refusal`` says which rule applied; the sentence
a person reads is made from it by ``emsys_rpa.wording``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from emsys_rpa.summary import TaskStatus

INTENT = "intent"
OUTCOME = "outcome"
# What a run's task shows as when the run recorded an intent and nothing after it.
INTENT_ONLY = "intent_without_outcome"

# Outcomes that mean "the portal has (or may have) scheduled this send today".
BLOCKING_OUTCOMES = frozenset(
    {
        TaskStatus.VERIFIED,
        TaskStatus.SENT_WITH_ERRORS,
        TaskStatus.NOT_VERIFIED,
        TaskStatus.OUTCOME_UNKNOWN,
    }
)


class RefusalKind(StrEnum):
    SAME_RUN = "same_run"  # this run already recorded the intent
    VERIFIED = "verified"  # an earlier run's send was seen in the history
    NOT_VERIFIED = "not_verified"  # scheduled earlier, sending not seen yet
    OUTCOME_UNKNOWN = "outcome_unknown"  # an earlier run could not tell
    INTENT_WITHOUT_OUTCOME = "intent_without_outcome"  # an earlier run died around the click
    FAILED_AFTER_INTENT = "failed_after_intent"  # it failed after the intent

    @property
    def needs_check(self) -> bool:
        """A person should look at the portal before anything is sent again."""
        return self not in (RefusalKind.VERIFIED, RefusalKind.SAME_RUN)


@dataclass(frozen=True)
class Event:
    """One ledger row about a task: an intent (just before Trimite) or an outcome."""

    run_id: str
    task: str
    phase: str  # INTENT | OUTCOME
    status: str
    scheduled_at: str | None
    detail: str | None
    recorded_at: str


@dataclass(frozen=True)
class Refusal:
    """Why a send is refused: the rule, the run that caused it, and what it recorded."""

    kind: RefusalKind
    task: str
    run_id: str
    at: datetime | None  # when that run pressed (or was about to press) Trimite
    status: str | None = None  # FAILED_AFTER_INTENT: how that run ended
    detail: str | None = None  # FAILED_AFTER_INTENT: its error


def refusal_for(
    task: str, events: Sequence[Event], *, run_id: str, force: bool, dry_run: bool
) -> Refusal | None:
    """Why run ``run_id`` must not send ``task`` (None: go ahead).

    ``events`` are the task's real (not dry-run) events for this portal, user and day, plus this
    run's own, oldest first.
    """
    if dry_run:
        return None
    own = [e for e in events if e.run_id == run_id and e.phase == INTENT]
    if own:
        return Refusal(
            RefusalKind.SAME_RUN, task, run_id, _moment(own[0].scheduled_at or own[0].recorded_at)
        )
    if force:
        return None
    earlier = [e for e in events if e.run_id != run_id]
    # The most recent earlier run that forbids it is the one worth naming.
    for other, run_events in reversed(list(by_run(earlier).items())):
        refusal = earlier_run_refusal(task, other, run_events)
        if refusal is not None:
            return refusal
    return None


def earlier_run_refusal(task: str, run_id: str, events: Sequence[Event]) -> Refusal | None:
    """Why ``events`` (one earlier run's, oldest first) forbid sending ``task`` again."""
    intents = [e for e in events if e.phase == INTENT]
    blocking = [e for e in events if e.phase == OUTCOME and e.status in BLOCKING_OUTCOMES]
    if blocking:
        last = blocking[-1]
        at = _moment(last.scheduled_at or (intents[-1].scheduled_at if intents else None))
        kind = {
            TaskStatus.VERIFIED: RefusalKind.VERIFIED,
            TaskStatus.SENT_WITH_ERRORS: RefusalKind.VERIFIED,
            TaskStatus.NOT_VERIFIED: RefusalKind.NOT_VERIFIED,
        }.get(TaskStatus(last.status), RefusalKind.OUTCOME_UNKNOWN)
        return Refusal(kind, task, run_id, at)
    if not intents:
        return None
    last_intent = max(i for i, e in enumerate(events) if e.phase == INTENT)
    at = _moment(events[last_intent].scheduled_at or events[last_intent].recorded_at)
    after = [e for e in events[last_intent + 1 :] if e.phase == OUTCOME]
    if not after:
        return Refusal(RefusalKind.INTENT_WITHOUT_OUTCOME, task, run_id, at)
    failure = after[-1]
    return Refusal(
        RefusalKind.FAILED_AFTER_INTENT, task, run_id, at, failure.status, failure.detail
    )


def task_state(events: Sequence[Event]) -> str | None:
    """A task's status in one run, from its events: the last outcome, else the bare intent."""
    outcomes = [e for e in events if e.phase == OUTCOME]
    if outcomes:
        return outcomes[-1].status
    if any(e.phase == INTENT for e in events):
        return INTENT_ONLY
    return None


def by_run(events: Sequence[Event]) -> dict[str, list[Event]]:
    return _grouped(events, lambda e: e.run_id)


def by_task(events: Sequence[Event]) -> dict[str, list[Event]]:
    return _grouped(events, lambda e: e.task)


def _grouped(events: Sequence[Event], key: Callable[[Event], str]) -> dict[str, list[Event]]:
    grouped: dict[str, list[Event]] = {}
    for event in events:
        grouped.setdefault(key(event), []).append(event)
    return grouped


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# What `emsys-rpa verify` can settle: an earlier run pressed Trimite and could not prove it.
UNSETTLED = frozenset(
    {TaskStatus.NOT_VERIFIED.value, TaskStatus.OUTCOME_UNKNOWN.value, INTENT_ONLY}
)


@dataclass(frozen=True)
class Unsettled:
    """The run whose send of ``task`` is still to be proven, and when it pressed Trimite."""

    task: str
    run_id: str
    status: str
    scheduled_at: datetime | None


def unsettled(task: str, events: Sequence[Event]) -> Unsettled | None:
    """The latest run's send of ``task`` if it is left unproven (None: nothing to verify).

    Only the latest run that did anything with the task counts: once a later run settled it
    (verified, or sent again with --force), the earlier doubt no longer matters.
    """
    for run_id, run_events in reversed(list(by_run(events).items())):
        state = task_state(run_events)
        if state is None:
            continue
        if state not in UNSETTLED:
            return None
        times = [e.scheduled_at for e in run_events if e.scheduled_at]
        return Unsettled(task, run_id, state, _moment(times[-1]) if times else None)
    return None
