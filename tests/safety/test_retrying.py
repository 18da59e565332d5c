"""Safe steps are retried with bounded, logged backoff; logins and sends never are."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from structlog.testing import capture_logs

from emsys_rpa.errors import (
    AccountLockedError,
    ControlMissingError,
    ElementNotFoundError,
    EmsysError,
    LoginRejectedError,
    OutcomeUnknownError,
    PortalUnreachableError,
    SessionExpiredError,
)
from emsys_rpa.redaction import redactor
from emsys_rpa.retrying import safe_step
from emsys_rpa.settings import RetrySettings

FAST = RetrySettings(attempts=3, initial_backoff_s=0, max_backoff_s=0)


class Flaky:
    """Fails with the given errors in turn, then returns "done"; counts its calls."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "done"


def _no_sleep(_: float) -> None:
    return None


@pytest.mark.parametrize(
    "error",
    [
        PlaywrightTimeoutError("Timeout 15000ms exceeded."),
        PortalUnreachableError("503 Service Unavailable"),
        SessionExpiredError("back on the login page"),
    ],
)
def test_transient_errors_are_retried_until_success(error: BaseException) -> None:
    step = Flaky(error, error)
    assert safe_step(FAST, "open Alerte", sleep=_no_sleep)(step) == "done"
    assert step.calls == 3


def test_gives_up_after_the_configured_attempts_with_the_original_error() -> None:
    step = Flaky(*(PortalUnreachableError(f"503 #{i}") for i in range(10)))
    with pytest.raises(PortalUnreachableError, match="503 #3"):
        safe_step(RetrySettings(attempts=4), "x", sleep=_no_sleep)(step)
    assert step.calls == 4


@pytest.mark.parametrize(
    "error",
    [
        LoginRejectedError("Utilizator sau parola incorecta"),
        AccountLockedError("Cont blocat"),
        OutcomeUnknownError("the page died after Trimite"),
    ],
)
@pytest.mark.parametrize(
    "retry_on",
    [(PlaywrightTimeoutError, PortalUnreachableError), (EmsysError,), (Exception,)],
)
def test_rejected_logins_and_unknown_outcomes_are_never_retried(
    error: BaseException, retry_on: tuple[type[BaseException], ...]
) -> None:
    step = Flaky(error)
    with capture_logs() as logs, pytest.raises(type(error)):
        safe_step(FAST, "log in", retry_on, sleep=_no_sleep)(step)
    assert step.calls == 1
    assert logs == []


@pytest.mark.parametrize("forbidden", [LoginRejectedError, AccountLockedError, OutcomeUnknownError])
def test_a_policy_that_lists_a_never_retried_error_is_refused(
    forbidden: type[BaseException],
) -> None:
    with pytest.raises(ValueError, match="must never be retried"):
        safe_step(FAST, "press Trimite", (PortalUnreachableError, forbidden))


def test_errors_outside_retry_on_are_not_retried() -> None:
    step = Flaky(ElementNotFoundError("no button Configurează trimitere alertă"))
    with pytest.raises(ElementNotFoundError):
        safe_step(FAST, "open Alerte", sleep=_no_sleep)(step)
    assert step.calls == 1


def test_each_retry_is_logged_with_step_attempt_and_error() -> None:
    step = Flaky(PortalUnreachableError("503 Service Unavailable"))
    with capture_logs() as logs:
        safe_step(FAST, "open Istoric alerte", sleep=_no_sleep)(step)
    assert len(logs) == 1
    entry = logs[0]
    assert entry["event"] == "retrying step"
    assert entry["log_level"] == "warning"
    assert entry["step"] == "open Istoric alerte"
    assert entry["attempt"] == 1
    assert entry["attempts"] == 3
    assert entry["error"] == "PortalUnreachableError: 503 Service Unavailable"


def test_logged_error_text_is_scrubbed() -> None:
    secret = "Retry-log-secret-77"
    redactor.register(secret)
    step = Flaky(PlaywrightTimeoutError(f"Timeout waiting for input[value={secret}]\nCall log:"))
    with capture_logs() as logs:
        safe_step(FAST, "log in", sleep=_no_sleep)(step)
    assert secret not in repr(logs)
    assert logs[0]["error"] == "TimeoutError: Timeout waiting for input[value=***]"


def test_backoff_is_exponential_jittered_and_capped() -> None:
    waits: list[float] = []
    settings = RetrySettings(attempts=6, initial_backoff_s=1, max_backoff_s=3)
    step = Flaky(*(PortalUnreachableError("down") for _ in range(10)))
    with pytest.raises(PortalUnreachableError):
        safe_step(settings, "open login page", sleep=waits.append)(step)
    assert len(waits) == 5
    assert 1 <= waits[0] <= 2  # 1 s + up to 1 s of jitter
    assert 2 <= waits[1] <= 3  # 2 s + jitter, capped at 3
    assert waits[2:] == [3, 3, 3]  # capped from then on


def test_on_retry_runs_after_the_wait_and_before_the_next_attempt() -> None:
    events: list[str] = []
    expired = SessionExpiredError("back on the login page")

    def step() -> str:
        events.append("attempt")
        if events.count("attempt") == 1:
            raise expired
        return "ok"

    def relogin(exc: BaseException, attempt: int) -> None:
        assert exc is expired
        events.append(f"relogin before attempt {attempt}")

    result = safe_step(
        FAST, "open Alerte", on_retry=relogin, sleep=lambda s: events.append("wait")
    )(step)
    assert result == "ok"
    assert events == ["attempt", "wait", "relogin before attempt 2", "attempt"]


def test_a_rejected_password_during_relogin_ends_the_step() -> None:
    step = Flaky(*(SessionExpiredError("expired") for _ in range(5)))
    relogins: list[int] = []

    def relogin(exc: BaseException, attempt: int) -> None:
        relogins.append(attempt)
        raise LoginRejectedError("Parola incorecta")

    with pytest.raises(LoginRejectedError):
        safe_step(FAST, "open Alerte", on_retry=relogin, sleep=_no_sleep)(step)
    assert step.calls == 1
    assert relogins == [2]


def test_iterator_form_works_too() -> None:
    step = Flaky(PlaywrightTimeoutError("slow"))
    result = ""
    for attempt in safe_step(FAST, "read history", sleep=_no_sleep):
        with attempt:
            result = step()
    assert result == "done"
    assert step.calls == 2


def test_one_policy_gives_each_use_its_own_attempts() -> None:
    policy = safe_step(FAST, "open Alerte", sleep=_no_sleep)
    first, second = (Flaky(*(PlaywrightTimeoutError("slow") for _ in range(2))) for _ in "ab")
    assert policy(first) == "done" and policy(second) == "done"
    # Three attempts each: the second use does not inherit the first one's count.
    assert (first.calls, second.calls) == (3, 3)


def test_a_control_missing_from_a_loaded_screen_is_not_tried_again() -> None:
    missing = ControlMissingError("could not find the button “Trimite alerta”")
    step = Flaky(missing, missing)
    policy = safe_step(
        FAST,
        "alerts: prepare",
        (ElementNotFoundError,),
        sleep=_no_sleep,
        give_up_on=(ControlMissingError,),
    )
    with pytest.raises(ControlMissingError):
        policy(step)
    assert step.calls == 1
    # A control not found while the page was still loading is worth another attempt.
    late = Flaky(ElementNotFoundError("not yet"))
    assert safe_step(FAST, "open Alerte", (ElementNotFoundError,), sleep=_no_sleep)(late) == "done"
