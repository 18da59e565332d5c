"""Exit statuses and the error hierarchy, mapped to each other in one place.

Every failure the robot can explain is an ``EmsysError`` carrying the exit status it maps to,
one human sentence (``message``) and, where there is one, what to do about it (``hint``).
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Process exit codes; documented in the README."""

    OK = 0  # scheduled and verified, or nothing left to do (or dry run completed)
    FAILED = 1  # a task failed, every message failed, or its outcome is unknown
    CONFIG_ERROR = 2  # configuration, usage or set-up error: nothing was attempted
    NOT_VERIFIED = 3  # scheduled, but not seen in the history within the timeout
    LOCKED = 4  # another run holds the lock
    SENT_WITH_ERRORS = 5  # sent, but some of the new history rows say the message failed
    INTERRUPTED = 130  # Ctrl-C / SIGTERM


class EmsysError(Exception):
    """Base class: a failure with a message meant for the person reading the console."""

    exit_status: ExitStatus = ExitStatus.FAILED

    def __init__(self, message: str, *, hint: str | None = None, step: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.step = step

    def __str__(self) -> str:
        text = self.message
        if self.step:
            text = f"[{self.step}] {text}"
        if self.hint:
            text = f"{text} — {self.hint}"
        return text


class ConfigError(EmsysError):
    """The configuration or command line is wrong; nothing was attempted."""

    exit_status = ExitStatus.CONFIG_ERROR

    def __init__(self, problems: list[str] | str, *, hint: str | None = None) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems), hint=hint)


class BrowserNotFoundError(EmsysError):
    """No usable Chromium-family browser could be found or installed."""

    exit_status = ExitStatus.CONFIG_ERROR


class BrowserLaunchError(EmsysError):
    """The browser was found but could not start (not executable, no display, crashed)."""

    exit_status = ExitStatus.CONFIG_ERROR


class PortalUnreachableError(EmsysError):
    """The portal could not be reached (down, DNS, TLS, wrong URL)."""


class LoginRejectedError(EmsysError):
    """The portal refused the credentials (never retried: portals lock accounts)."""


class AccountLockedError(LoginRejectedError):
    """The portal says the account is locked."""


class SessionExpiredError(EmsysError):
    """The portal sent us back to the login page in the middle of a run."""


class ElementNotFoundError(EmsysError):
    """A label/control the procedure needs was not found: the portal may have changed."""


class ControlMissingError(ElementNotFoundError):
    """The control is not on a screen that has finished loading: trying again will not help."""


class ControlNotOperableError(ElementNotFoundError):
    """The control is there but cannot be operated (covered, disabled, moving)."""


class PortalAnswerError(EmsysError):
    """After a click the portal answered with a refusal (a validation message, an error
    label) instead of showing what comes next."""


class NotThePortalError(EmsysError):
    """The configured URL shows something other than the portal's login page (a 404, another
    site): a configuration error, reported with what the page is instead."""

    exit_status = ExitStatus.CONFIG_ERROR


class OutcomeUnknownError(EmsysError):
    """A send was attempted but whether the portal scheduled it cannot be told."""


class NotVerifiedError(EmsysError):
    """Scheduled, but the history did not show sending within the timeout."""

    exit_status = ExitStatus.NOT_VERIFIED


class AnotherRunInProgressError(EmsysError):
    """Another robot run holds the lock."""

    exit_status = ExitStatus.LOCKED


class InterruptedRunError(EmsysError):
    """The run was stopped by Ctrl-C or SIGTERM."""

    exit_status = ExitStatus.INTERRUPTED
