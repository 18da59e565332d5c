"""The ``SendGuard`` of one run: the ledger's storage and its refusal rules, put together.

``refusal`` answers "may this run press Trimite for this task?" from the rows of earlier runs
today (``ledger.policy``); ``intent`` commits "about to press" just before the click, checking
again inside the same write transaction; ``outcome`` commits what the history showed. ``--force``
overrides earlier runs, never the current one, and ``intent`` itself refuses a second intent, so
the click cannot happen twice in a run.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from emsys_rpa.errors import EmsysError
from emsys_rpa.ledger.policy import INTENT, OUTCOME, Refusal, refusal_for
from emsys_rpa.ledger.store import RunLedger
from emsys_rpa.summary import RunSummary, TaskResult


class SendRefusedError(EmsysError):
    """``intent()`` refused: this send was already attempted (the click must not happen)."""

    def __init__(
        self, refusal: Refusal, *, text: str | None = None, step: str | None = None
    ) -> None:
        super().__init__(
            text
            or f"the run ledger refuses to send {refusal.task} again ({refusal.kind.value}, "
            f"run {refusal.run_id})",
            step=step,
        )
        self.refusal = refusal


class LedgerGuard:
    """``events.SendGuard`` backed by the run ledger, for one run."""

    def __init__(
        self,
        ledger: RunLedger,
        summary: RunSummary,
        *,
        force: bool,
        today: date,
        tz: tzinfo | None = None,
    ) -> None:
        """``today`` is the portal-local day of the run; ``tz`` (the portal's zone) files a
        time-zone-aware ``scheduled_at`` under the portal-local day it falls on."""
        self._ledger = ledger
        self._summary = summary
        self.force = force
        self.today = today
        self._tz = tz
        ledger.remember_day(summary, today, tz)

    def refusal(self, task: str) -> Refusal | None:
        """Why ``task`` must not be sent by this run (None: go ahead). Dry runs: always None."""
        return self._refusal(task, force=self.force)

    def _refusal(self, task: str, *, force: bool) -> Refusal | None:
        return refusal_for(
            task,
            self._ledger.events(self._summary, task, self.today),
            run_id=self._summary.run_id,
            force=force,
            dry_run=self._summary.dry_run,
        )

    def intent(self, task: str, scheduled_at: datetime) -> None:
        """Commit "about to press Trimite for ``task``"; raise ``SendRefusedError`` if refused.

        Call it immediately before the click, after everything that could still fail safely;
        anything that goes wrong after it must be recorded as ``outcome_unknown``.
        """
        with self._ledger.transaction() as conn:
            # Re-checked inside the write transaction: no other writer can slip in between
            # the check and the intent (BEGIN IMMEDIATE holds the write lock).
            refusal = self.refusal(task)
            if refusal is not None:
                raise SendRefusedError(refusal)
            overridden = self._refusal(task, force=False) if self.force else None
            self._ledger.insert_event(
                conn,
                self._summary,
                task,
                INTENT,
                None,
                day=self.today,
                scheduled_at=scheduled_at,
                detail=f"--force overrode: {overridden.kind.value} (run {overridden.run_id})"
                if overridden
                else None,
                tz=self._tz,
            )

    def outcome(self, result: TaskResult) -> None:
        """Commit the task's outcome (after the history read-back, or when it ends otherwise)."""
        with self._ledger.transaction() as conn:
            self._ledger.insert_event(
                conn, self._summary, result.name, OUTCOME, result, day=self.today, tz=self._tz
            )
