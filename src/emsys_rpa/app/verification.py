"""Proving from the history tab that sending started, and what the task's outcome then is.

``decide`` is the whole outcome rule, pure: what the history showed since Trimite was pressed,
and what the information message said, give the task's status. ``verify`` polls the history
(refreshing it the way a clerk would, with a bounded backoff), records what it saw, and applies
the decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from time import monotonic

import structlog
import tenacity
from playwright.sync_api import Error as PlaywrightError

from emsys_rpa.app.sending import TaskRun
from emsys_rpa.errors import EmsysError, NotVerifiedError, OutcomeUnknownError
from emsys_rpa.history import Tally, is_failed_status
from emsys_rpa.pages.history_grid import Reading
from emsys_rpa.pages.message import InfoMessage, Verdict
from emsys_rpa.redaction import error_line
from emsys_rpa.summary import TaskResult, TaskStatus, Verification
from emsys_rpa.wording.formats import fmt_clock, fmt_dt
from emsys_rpa.wording.i18n import _, ngettext

log = structlog.get_logger("emsys_rpa.app")

# After a send the portal itself says failed, the history is still looked at, but briefly.
FAILED_SEND_VERIFY_S = 60.0
POLL_MIN_WAIT_S = 2.0
POLL_MAX_WAIT_S = 20.0


class Finding(StrEnum):
    """What the history and the message add up to, after Trimite was pressed."""

    SENT = "sent"  # new rows went out
    SENT_WITH_FAILURES = "sent_with_failures"  # new rows went out, some failed
    ALL_FAILED = "all_failed"  # new rows, every one failed: the portal tried, nothing went out
    REFUSED = "refused"  # no new rows, and the portal's message said it failed
    NOT_SEEN = "not_seen"  # no new rows in time, though the portal said it was scheduled
    UNKNOWN = "unknown"  # no new rows and no (clear) message: it cannot be told


@dataclass(frozen=True)
class Decision:
    finding: Finding
    status: TaskStatus


_STATUS = {
    Finding.SENT: TaskStatus.VERIFIED,
    Finding.SENT_WITH_FAILURES: TaskStatus.SENT_WITH_ERRORS,
    Finding.ALL_FAILED: TaskStatus.ALL_FAILED,
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
    return {k: n for k, n in tally.statuses.items() if is_failed_status(k)}


def rows_sent(reading: Reading | None) -> int:
    """New rows that did not fail: what proves sending started."""
    if reading is None:
        return 0
    return reading.tally.rows_seen - sum(failing_statuses(reading.tally).values())


def verify(run: TaskRun, since: datetime, message: InfoMessage | None) -> None:
    """Read the history until it shows the send, then set the task's status from ``decide``.

    Raises (after setting the status) when the task did not end verified, so that the step
    shows as failed with the reason. Sent with some failed rows is not raised: the step passed,
    and the task's errors say how many failed.
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
        reading, appeared = _poll_history(run, since, timeout, verification)
        tally = reading.tally if reading is not None else Tally()
        failing = failing_statuses(tally)
        if appeared:
            # Failed rows without a send date that showed up at the grid's newest end while
            # we watched: this send's, though the portal wrote no date on them.
            label = next(iter(failing), None) or _("error (no send date)")
            failing[label] = failing.get(label, 0) + appeared
        seen = tally.rows_seen + appeared
        failed = sum(failing.values())
        decision = decide(seen, failed, verdict)
        task.status = decision.status
        apply_reading(task, tally, failing, appeared)
        step.screenshot = (
            run.steps.shot(f"{task.name}-history", evidence=True)
            if seen
            else run.steps.shot(f"{task.name}-history-nothing-new")
        )
        step.detail = reading_detail(decision.finding, since, seen, failed, tally, timeout)
        raise_for(decision.finding, tab, since, seen, failed, failing, message, timeout, task)


def apply_reading(task: TaskResult, tally: Tally, failing: dict[str, int], appeared: int) -> None:
    """Record what the history showed in the task's verification."""
    verification = task.verification
    assert verification is not None
    seen = tally.rows_seen + appeared
    if not seen:
        return
    verification.rows_seen = seen
    verification.rows_failed = sum(failing.values())
    verification.first_sent_at = tally.first_sent_at
    verification.last_sent_at = tally.last_sent_at
    statuses = dict(tally.statuses)
    for label, count in failing.items():
        statuses[label] = max(statuses.get(label, 0), count)
    verification.statuses = statuses


def listed(failing: dict[str, int]) -> str:
    return ", ".join(f"{n} × “{k}”" for k, n in failing.items())


def reading_detail(
    finding: Finding,
    since: datetime,
    seen: int,
    failed: int,
    tally: Tally,
    timeout: float,
) -> str:
    """The verify step's one-line detail (the step list and the report show it)."""
    if not seen:
        return _("no row dated {since} or later within {timeout} s").format(
            since=fmt_dt(since, seconds=False), timeout=f"{timeout:.0f}"
        )
    text = ngettext("{n} new row since {since}", "{n} new rows since {since}", seen).format(
        n=seen, since=fmt_clock(since, seconds=False)
    )
    if tally.first_sent_at and tally.last_sent_at:
        text += " " + _("(first {first}, last {last})").format(
            first=fmt_clock(tally.first_sent_at, seconds=False),
            last=fmt_clock(tally.last_sent_at, seconds=False),
        )
    if failed:
        text += "; " + ngettext("{n} failed", "{n} failed", failed).format(n=failed)
    return text


def raise_for(
    finding: Finding,
    tab: str,
    since: datetime,
    seen: int,
    failed: int,
    failing: dict[str, int],
    message: InfoMessage | None,
    timeout: float,
    task: TaskResult,
) -> None:
    """Say what went wrong: raise for every finding but a send (with or without failures)."""
    at = fmt_clock(since, seconds=False)
    match finding:
        case Finding.SENT:
            return
        case Finding.SENT_WITH_FAILURES:
            # Sending started, but say plainly how many messages failed (exit 5).
            task.errors.append(
                ngettext(
                    "sent with errors: {failed} of {seen} new row in {tab} failed: {listed}",
                    "sent with errors: {failed} of {seen} new rows in {tab} failed: {listed}",
                    seen,
                ).format(failed=failed, seen=seen, tab=tab, listed=listed(failing))
            )
        case Finding.ALL_FAILED:
            # Trimite was pressed and the portal tried: every message failed. The ledger's
            # outcome keeps a rerun from sending blindly.
            raise EmsysError(
                ngettext(
                    "sent, but every message failed: {tab} shows {seen} new row since {at}, "
                    "none of them sent: {listed}",
                    "sent, but every message failed: {tab} shows {seen} new rows since {at}, "
                    "none of them sent: {listed}",
                    seen,
                ).format(tab=tab, seen=seen, at=at, listed=listed(failing)),
                hint=_("the portal failed to send them; check it before running again"),
            )
        case Finding.REFUSED:
            assert message is not None
            raise EmsysError(
                _("the portal did not schedule it: {message}").format(message=message.text)
            )
        case Finding.NOT_SEEN:
            raise NotVerifiedError(
                _("scheduled at {at}, but {tab} showed nothing new within {timeout} s").format(
                    at=at, tab=tab, timeout=f"{timeout:.0f}"
                ),
                hint=_("look at the history later, or run `emsys-rpa verify`; do not send again"),
            )
        case Finding.UNKNOWN:
            raise OutcomeUnknownError(
                _(
                    "Trimite was pressed, but neither an information message nor new history "
                    "rows appeared"
                ),
                hint=_(
                    "check the portal's history before running again, or run `emsys-rpa verify`"
                ),
            )


def _poll_history(
    run: TaskRun, since: datetime, timeout_s: float, verification: Verification
) -> tuple[Reading | None, int]:
    """Refresh and read the history until new rows show, with a bounded backoff.

    Also returns how many undated failed rows appeared at the grid's newest end while it was
    watched (see ``history.undated_failures``): the fewest seen there is the baseline.
    """
    started = monotonic()
    last_error: list[str] = []
    at_end: list[int] = []

    def poll() -> Reading | None:
        verification.polls += 1
        try:
            run.refresh_history(verification.polls)
            reading = run.grid.read_since(since)
            at_end.append(reading.tally.failed_at_newest_end)
            return reading
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
        raise EmsysError(_("the history could not be read: {error}").format(error=last_error[0]))
    appeared = at_end[-1] - min(at_end) if at_end and reading is not None else 0
    return reading, max(appeared, 0)
