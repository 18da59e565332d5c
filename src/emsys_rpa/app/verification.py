"""Proving from the history tab that sending started, and what the task's outcome then is.

``decide`` is the whole outcome rule, pure: what the history showed since Trimite was pressed,
and what the information message said, give the task's status. ``verify`` polls the history
(refreshing it the way a clerk would, with a bounded backoff), records what it saw, and applies
the decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from time import monotonic

import structlog
import tenacity
from playwright.sync_api import Error as PlaywrightError

from emsys_rpa.app.sending import TaskRun
from emsys_rpa.errors import EmsysError, NotVerifiedError, OutcomeUnknownError
from emsys_rpa.history import Tally
from emsys_rpa.pages.history_grid import Reading
from emsys_rpa.pages.message import InfoMessage, Verdict
from emsys_rpa.redaction import error_line
from emsys_rpa.summary import TaskStatus, Verification
from emsys_rpa.textmatch import fold

log = structlog.get_logger("emsys_rpa.app")

# After a send the portal itself says failed, the history is still looked at, but briefly.
FAILED_SEND_VERIFY_S = 60.0
POLL_MIN_WAIT_S = 2.0
POLL_MAX_WAIT_S = 20.0
# Folded history statuses of rows that did not go out.
_FAILED_ROW = re.compile(r"eroare|esuat|error|fail|respins|netrimis|nu s-a trimis|invalid")


class Finding(StrEnum):
    """What the history and the message add up to, after Trimite was pressed."""

    SENT = "sent"  # new rows went out
    SENT_WITH_FAILURES = "sent_with_failures"  # new rows went out, some failed
    ALL_FAILED = "all_failed"  # new rows, every one failed: nothing went out
    REFUSED = "refused"  # no new rows, and the portal's message said it failed
    NOT_SEEN = "not_seen"  # no new rows in time, though the portal said it was scheduled
    UNKNOWN = "unknown"  # no new rows and no (clear) message: it cannot be told


@dataclass(frozen=True)
class Decision:
    finding: Finding
    status: TaskStatus


_STATUS = {
    Finding.SENT: TaskStatus.VERIFIED,
    Finding.SENT_WITH_FAILURES: TaskStatus.VERIFIED,
    Finding.ALL_FAILED: TaskStatus.FAILED,
    Finding.REFUSED: TaskStatus.FAILED,
    Finding.NOT_SEEN: TaskStatus.NOT_VERIFIED,
    Finding.UNKNOWN: TaskStatus.OUTCOME_UNKNOWN,
}


def decide(rows_seen: int, rows_failed: int, verdict: Verdict | None) -> Decision:
    """The task's outcome from the new history rows (and how many failed) and the message."""
    if rows_seen:
        if rows_failed >= rows_seen:
            finding = Finding.ALL_FAILED
        else:
            finding = Finding.SENT_WITH_FAILURES if rows_failed else Finding.SENT
    elif verdict is Verdict.FAILURE:
        finding = Finding.REFUSED
    elif verdict is Verdict.SUCCESS:
        finding = Finding.NOT_SEEN
    else:
        finding = Finding.UNKNOWN
    return Decision(finding, _STATUS[finding])


def failing_statuses(tally: Tally) -> dict[str, int]:
    """The tally's statuses that say a row did not go out, with their counts."""
    return {k: n for k, n in tally.statuses.items() if _FAILED_ROW.search(fold(k))}


def rows_sent(reading: Reading | None) -> int:
    """New rows that did not fail: what proves sending started."""
    if reading is None:
        return 0
    return reading.tally.rows_seen - sum(failing_statuses(reading.tally).values())


def verify(run: TaskRun, since: datetime, message: InfoMessage | None) -> None:
    """Read the history until it shows the send, then set the task's status from ``decide``.

    Raises (after setting the status) when the task did not end verified, so that the step
    shows as failed with the reason.
    """
    task = run.result
    verdict = message.verdict if message else None
    timeout = run.settings.run.verify_timeout_s
    if verdict is Verdict.FAILURE:
        timeout = min(timeout, FAILED_SEND_VERIFY_S)
    tab = run.spec.screen.history_tab.what
    verification = Verification(since=since)
    task.verification = verification
    with run.steps.step(task, f"verify in {tab}") as step:
        reading = _poll_history(run, since, timeout, verification)
        tally = reading.tally if reading is not None else Tally()
        failing = failing_statuses(tally)
        decision = decide(tally.rows_seen, sum(failing.values()), verdict)
        task.status = decision.status
        if tally.rows_seen:
            verification.rows_seen = tally.rows_seen
            verification.first_sent_at = tally.first_sent_at
            verification.last_sent_at = tally.last_sent_at
            verification.statuses = dict(tally.statuses)
            step.screenshot = run.steps.shot(f"{task.name}-history", evidence=True)
        else:
            step.screenshot = run.steps.shot(f"{task.name}-history-nothing-new")
            step.detail = f"no row dated {since:%d/%m/%Y %H:%M} or later within {timeout:.0f} s"
        listed = ", ".join(f"{n} × “{k}”" for k, n in failing.items())
        match decision.finding:
            case Finding.SENT | Finding.SENT_WITH_FAILURES:
                step.detail = f"{tally.rows_seen} row(s) sent since {since:%H:%M}" + (
                    f" (first {tally.first_sent_at:%H:%M}, last {tally.last_sent_at:%H:%M})"
                    if tally.first_sent_at and tally.last_sent_at
                    else ""
                )
                if failing:
                    # Sending started (verified), but say plainly that some rows failed.
                    task.errors.append(f"{tab} shows rows that were not sent: {listed}")
            case Finding.ALL_FAILED:
                # The portal tried and nothing went out. Not verified and not a success; the
                # ledger's outcome keeps a rerun from sending blindly.
                raise EmsysError(
                    f"{tab} shows {tally.rows_seen} new row(s) since {since:%H:%M}, none of "
                    f"them sent: {listed}",
                    hint="the portal failed to send; check it before running again",
                )
            case Finding.REFUSED:
                assert message is not None
                raise EmsysError(f"the portal did not schedule it: {message.text}")
            case Finding.NOT_SEEN:
                raise NotVerifiedError(
                    f"scheduled at {since:%H:%M}, but {tab} showed nothing new within "
                    f"{timeout:.0f} s",
                    hint="look at the history later; do not send again",
                )
            case Finding.UNKNOWN:
                raise OutcomeUnknownError(
                    "Trimite was pressed, but neither an information message nor new history "
                    "rows appeared",
                    hint="check the portal's history before running again",
                )


def _poll_history(
    run: TaskRun, since: datetime, timeout_s: float, verification: Verification
) -> Reading | None:
    """Refresh and read the history until new rows show, with a bounded backoff."""
    started = monotonic()
    last_error: list[str] = []

    def poll() -> Reading | None:
        verification.polls += 1
        try:
            run.refresh_history(verification.polls)
            return run.grid.read_since(since)
        except (EmsysError, PlaywrightError) as exc:
            last_error[:] = [error_line(exc)]
            log.warning("history not readable yet", error=last_error[0])
            try:
                run.portal.back_to_start()
            except (EmsysError, PlaywrightError) as again:
                log.warning("portal not usable yet", error=error_line(again))
            return None

    retrying = tenacity.Retrying(
        stop=tenacity.stop_before_delay(timeout_s),
        wait=tenacity.wait_exponential(multiplier=1, min=POLL_MIN_WAIT_S, max=POLL_MAX_WAIT_S),
        # Rows that all failed may be followed by rows that went out: keep looking.
        retry=tenacity.retry_if_result(lambda r: rows_sent(r) == 0),
        retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
    )
    reading: Reading | None = retrying(poll)
    verification.duration_s = round(monotonic() - started, 3)
    if reading is None and last_error:
        raise EmsysError(f"the history could not be read: {last_error[0]}")
    return reading
