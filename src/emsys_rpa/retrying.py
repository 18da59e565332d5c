"""Retries for the steps that are safe to repeat, and never for the others.

Safe to repeat: opening the login page, navigating menus, opening a tab, reading a history
grid, logging in again after a 5xx, a timeout or an expired session. Never repeated:

* a rejected password (``LoginRejectedError``): portals lock accounts after a few failures;
* anything whose outcome is unknown (``OutcomeUnknownError``): pressing **Trimite** is not
  idempotent, and a second press can send 40,000 customers their alerts twice.

That rule is enforced here, whatever a caller passes as ``retry_on``: listing a never-retried
error is refused when the policy is built, and the retry predicate drops them at run time (so
a broad ``retry_on=(EmsysError,)`` still never retries them).

The backoff is tenacity's own bounded, jittered wait; the robot's code never sleeps itself.
"""

from __future__ import annotations

from collections.abc import Callable

import structlog
import tenacity
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from emsys_rpa.errors import (
    LoginRejectedError,
    OutcomeUnknownError,
    PortalUnreachableError,
    SessionExpiredError,
)
from emsys_rpa.redaction import error_line
from emsys_rpa.settings import RetrySettings

# Errors no policy may retry (subclasses included, e.g. AccountLockedError).
NEVER_RETRY: tuple[type[BaseException], ...] = (LoginRejectedError, OutcomeUnknownError)

# What a safe step retries unless told otherwise: transient conditions a new attempt can fix.
DEFAULT_RETRY_ON: tuple[type[BaseException], ...] = (
    PlaywrightTimeoutError,
    PortalUnreachableError,
    SessionExpiredError,
)

RetryHook = Callable[[BaseException, int], None]

_log = structlog.get_logger("emsys_rpa.retrying")


def is_retryable(
    exc: BaseException,
    retry_on: tuple[type[BaseException], ...],
    give_up_on: tuple[type[BaseException], ...] = (),
) -> bool:
    """The hard rule: listed in ``retry_on`` and not one of ``NEVER_RETRY`` (nor of
    ``give_up_on``: a narrower kind of a listed error that another attempt will not fix)."""
    return isinstance(exc, retry_on) and not isinstance(exc, (*NEVER_RETRY, *give_up_on))


def safe_step(
    settings: RetrySettings,
    step: str,
    retry_on: tuple[type[BaseException], ...] = DEFAULT_RETRY_ON,
    *,
    on_retry: RetryHook | None = None,
    sleep: Callable[[float], None] | None = None,
    give_up_on: tuple[type[BaseException], ...] = (),
) -> tenacity.Retrying:
    """A tenacity policy for one safe step, named ``step`` in the log.

    Up to ``settings.attempts`` attempts, exponential backoff starting at
    ``initial_backoff_s`` with up to as much jitter, each wait capped at ``max_backoff_s``.
    The last error is re-raised as itself (not wrapped in ``RetryError``).

    ``on_retry(exc, attempt)`` runs before each new attempt, after the wait: the place to log
    in again after ``SessionExpiredError``. An error it raises ends the step (a rejected
    password during that re-login is not retried either). ``give_up_on``: errors of a listed
    kind that are not retried all the same. ``sleep`` is for tests.

    Use it as ``for attempt in safe_step(...): with attempt: ...`` or ``safe_step(...)(fn)``.
    """
    refused = [cls.__name__ for cls in retry_on if issubclass(cls, NEVER_RETRY)]
    if refused:
        raise ValueError(
            f"safe_step({step!r}): {', '.join(refused)} must never be retried "
            "(portals lock accounts; a send is not idempotent)"
        )

    # The error that ended the previous attempt, handed to on_retry just before the next one
    # (tenacity clears the attempt's outcome before calling ``before``).
    pending: list[BaseException] = []

    def before_sleep(state: tenacity.RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        wait_s = state.next_action.sleep if state.next_action else 0.0
        _log.warning(
            "retrying step",
            step=step,
            attempt=state.attempt_number,
            attempts=settings.attempts,
            wait_s=round(wait_s, 2),
            error=error_line(exc, kind=True) if exc else None,
        )
        if exc is not None:
            pending[:] = [exc]

    def before(state: tenacity.RetryCallState) -> None:
        if on_retry is not None and pending:
            exc = pending.pop()
            on_retry(exc, state.attempt_number)

    return tenacity.Retrying(
        stop=tenacity.stop_after_attempt(settings.attempts),
        wait=tenacity.wait_exponential_jitter(
            multiplier=settings.initial_backoff_s,
            max=settings.max_backoff_s,
            jitter=settings.initial_backoff_s,
        ),
        retry=tenacity.retry_if_exception(lambda exc: is_retryable(exc, retry_on, give_up_on)),
        before=before,
        before_sleep=before_sleep,
        reraise=True,
        name=step,
        sleep=sleep if sleep is not None else tenacity.nap.sleep,
    )
