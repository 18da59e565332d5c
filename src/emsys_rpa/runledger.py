"""The run ledger: what every run did, so that nothing is ever sent twice by accident.

SQLite in the state folder (``state_dir/ledger.sqlite3``; the platform's user data folder by
default). Two tables:

* ``runs``: one row per run (when, against which portal and user, how it ended);
* ``task_events``: per task, an **intent** committed just *before* Trimite is pressed and an
  **outcome** once the history has been read back.

Sending is not idempotent, so the ledger is what makes reruns safe. For the same portal URL,
user and portal-local day, a task is refused (``SendGuard.skip_reason``) when an earlier run

* recorded it ``verified``, ``not_verified`` or ``outcome_unknown``, or
* recorded the intent and then either nothing (the process died around the click) or a
  failure (the click may have been delivered before the failure).

``--force`` overrides earlier runs, never the current one: a run never presses Trimite twice
for the same task, and ``intent()`` itself refuses to record a second intent the guard would
have refused, so the click cannot happen. Dry runs are recorded but never block anything.

Every write is its own committed transaction with ``synchronous=FULL``: when ``intent()``
returns, the intent survives a crash of the process or of the machine.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit, urlunsplit

from emsys_rpa.errors import ConfigError, EmsysError
from emsys_rpa.events import SendGuard
from emsys_rpa.fsutil import private_dir, private_file
from emsys_rpa.logging_setup import scrub_text
from emsys_rpa.summary import RunSummary, TaskResult, TaskStatus

LEDGER_NAME = "ledger.sqlite3"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 10_000

# Outcomes that mean "the portal has (or may have) scheduled this send today".
BLOCKING_OUTCOMES = frozenset(
    {TaskStatus.VERIFIED, TaskStatus.NOT_VERIFIED, TaskStatus.OUTCOME_UNKNOWN}
)

# Where a clerk checks what the portal did, and which button the robot presses, per task.
HISTORY_TAB = {"alerts": "Istoric alerte", "invoices": "Istoric facturi E-mail/SMS"}
SEND_BUTTON = {"alerts": "Trimite alerta", "invoices": "Trimite factura"}

INTENT = "intent"
OUTCOME = "outcome"
# What a run's tasks show as when the run recorded an intent and nothing after it.
INTENT_ONLY = "intent_without_outcome"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id      TEXT PRIMARY KEY,
    portal_url  TEXT NOT NULL,
    username    TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL,
    exit_code   INTEGER,
    dry_run     INTEGER NOT NULL DEFAULT 0,
    run_dir     TEXT,
    summary     TEXT,
    tasks_json  TEXT
);
CREATE TABLE IF NOT EXISTS task_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id       TEXT NOT NULL,
    portal_url   TEXT NOT NULL,
    username     TEXT NOT NULL,
    task         TEXT NOT NULL,
    phase        TEXT NOT NULL CHECK (phase IN ('intent', 'outcome')),
    status       TEXT NOT NULL,
    scheduled_at TEXT,
    day          TEXT NOT NULL,
    detail       TEXT,
    recorded_at  TEXT NOT NULL,
    dry_run      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS task_events_by_key
    ON task_events (portal_url, username, day, task);
CREATE INDEX IF NOT EXISTS task_events_by_run ON task_events (run_id, task);
CREATE INDEX IF NOT EXISTS runs_by_start ON runs (started_at);
"""


class SendRefusedError(EmsysError):
    """``intent()`` refused: this send was already attempted (the click must not happen)."""


@dataclass(frozen=True)
class RunRecord:
    """One run as the ledger knows it (what ``emsys-rpa runs`` prints)."""

    run_id: str
    portal_url: str
    username: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    exit_code: int | None
    dry_run: bool
    run_dir: str | None
    summary: str | None
    tasks: dict[str, str] = field(default_factory=dict)  # task -> status


@dataclass(frozen=True)
class _Event:
    run_id: str
    task: str
    phase: str
    status: str
    scheduled_at: str | None
    detail: str | None
    recorded_at: str


def ledger_key(portal_url: str, username: str) -> tuple[str, str]:
    """The (portal, user) a run is filed under: the same portal spelled differently is one key.

    Scheme and host are case-insensitive in URLs, and a trailing slash, a fragment or
    credentials in the URL do not make another portal. User names are compared
    case-insensitively: treating two spellings as one user can only make the robot more
    careful, never send twice.
    """
    parts = urlsplit(portal_url.strip())
    # Credentials embedded in the URL (user:password@host) are never part of the key.
    host = parts.hostname or ""
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = f"{host}:{port}" if port is not None else host
    path = parts.path.rstrip("/")
    normal = urlunsplit((parts.scheme.lower(), netloc, path, parts.query, ""))
    return scrub_text(normal), username.strip().casefold()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _clock(value: str | None) -> str:
    """HH:MM:SS of a stored timestamp, for messages."""
    parsed = _parse(value)
    return parsed.strftime("%H:%M:%S") if parsed else "an unknown time"


class RunLedger:
    """The SQLite run ledger. Open with ``RunLedger.open(state_dir)``; one per process."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn
        # The portal-local day (and zone) each run's guard works on, for end_run's late filings.
        self._run_days: dict[str, tuple[date, tzinfo | None]] = {}

    @classmethod
    def open(cls, state_dir: Path) -> RunLedger:
        """Open (creating it owner-only if needed) ``state_dir / "ledger.sqlite3"``."""
        private_dir(state_dir)
        path = private_file(state_dir / LEDGER_NAME)
        try:
            conn = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=True
            )
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            # FULL: an intent that was committed survives a power cut, not just a crash.
            conn.execute("PRAGMA synchronous = FULL")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                conn.close()
                raise ConfigError(
                    f"run ledger {path} was written by a newer emsys-rpa (schema {version})",
                    hint="upgrade emsys-rpa, or point [state] dir at another folder",
                )
            if version < SCHEMA_VERSION:
                conn.executescript(_SCHEMA)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise ConfigError(
                f"run ledger {path} cannot be opened: {exc}",
                hint=(
                    "move the file aside to start a new ledger; until then the robot cannot "
                    "tell what was already sent today, so check the portal's history first"
                ),
            ) from None
        return cls(path, conn)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> RunLedger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- runs ---------------------------------------------------------------------------------

    def begin_run(self, summary: RunSummary) -> None:
        """Record that a run started. Call it while holding the run lock.

        Runs still marked ``running`` at that point cannot be running (the lock says so): they
        died without ``end_run`` and are marked ``crashed``.
        """
        url, user = ledger_key(summary.portal_url, summary.username)
        with _transaction(self._conn) as conn:
            conn.execute(
                "UPDATE runs SET status = 'crashed' WHERE status = 'running' AND run_id != ?",
                (summary.run_id,),
            )
            conn.execute(
                "INSERT OR IGNORE INTO runs (run_id, portal_url, username, started_at, status,"
                " dry_run, run_dir) VALUES (?, ?, ?, ?, 'running', ?, ?)",
                (
                    summary.run_id,
                    url,
                    user,
                    summary.started_at.isoformat(),
                    int(summary.dry_run),
                    summary.run_dir,
                ),
            )

    def end_run(self, summary: RunSummary) -> None:
        """Record how the run ended, and any task outcome the runner did not record itself."""
        self.begin_run_if_missing(summary)
        tasks = {t.name: t.status.value for t in summary.tasks}
        with _transaction(self._conn) as conn:
            recorded = {
                row["task"]
                for row in conn.execute(
                    "SELECT DISTINCT task FROM task_events WHERE run_id = ? AND phase = 'outcome'",
                    (summary.run_id,),
                )
            }
            for task in summary.tasks:
                # Only outcomes that say something was (or may have been) sent are worth
                # filing after the fact; the others are in tasks_json below.
                if task.name not in recorded and task.status in BLOCKING_OUTCOMES:
                    day, tz = self._run_days.get(summary.run_id, (None, None))
                    self._insert_event(conn, summary, task.name, OUTCOME, task, day=day, tz=tz)
            conn.execute(
                "UPDATE runs SET finished_at = ?, status = ?, exit_code = ?, run_dir = ?,"
                " summary = ?, tasks_json = ? WHERE run_id = ?",
                (
                    _iso(summary.finished_at) or _now(),
                    scrub_text(summary.status),
                    summary.exit_code,
                    summary.run_dir,
                    scrub_text(summary.one_line()),
                    json.dumps(tasks),
                    summary.run_id,
                ),
            )

    def begin_run_if_missing(self, summary: RunSummary) -> None:
        row = self._conn.execute(
            "SELECT 1 FROM runs WHERE run_id = ?", (summary.run_id,)
        ).fetchone()
        if row is None:
            self.begin_run(summary)

    def latest_runs(self, limit: int = 10) -> list[RunRecord]:
        """The most recent runs, newest first, with each task's last known status."""
        rows = self._conn.execute(
            "SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?", (limit,)
        ).fetchall()
        return [self._record(row) for row in rows]

    def _record(self, row: sqlite3.Row) -> RunRecord:
        tasks: dict[str, str] = json.loads(row["tasks_json"]) if row["tasks_json"] else {}
        # Events are the truth for tasks that reached the click: an intent with nothing after it
        # is what a crash around Trimite leaves, and it must show as such.
        for task, events in _by_task(self._events_of_run(row["run_id"])).items():
            tasks[task] = _task_state(events) or tasks.get(task, "")
        started = _parse(row["started_at"])
        assert started is not None  # NOT NULL column
        return RunRecord(
            run_id=row["run_id"],
            portal_url=row["portal_url"],
            username=row["username"],
            started_at=started,
            finished_at=_parse(row["finished_at"]),
            status=row["status"],
            exit_code=row["exit_code"],
            dry_run=bool(row["dry_run"]),
            run_dir=row["run_dir"],
            summary=row["summary"],
            tasks=tasks,
        )

    # -- sends --------------------------------------------------------------------------------

    def guard(
        self, summary: RunSummary, *, force: bool, today: date, tz: tzinfo | None = None
    ) -> LedgerGuard:
        """The ``SendGuard`` for this run. ``today`` is the portal-local day of the run.

        ``tz`` (the portal's zone) converts time-zone-aware ``scheduled_at`` values to the
        portal-local day they fall on; naive values are taken as portal-local already.
        """
        self.begin_run_if_missing(summary)
        self._run_days[summary.run_id] = (today, tz)
        return LedgerGuard(self, summary, force=force, today=today, tz=tz)

    def scheduled_today(
        self, portal_url: str, username: str, task: str, day: date
    ) -> list[datetime]:
        """When our (real, not dry) runs pressed or were about to press Trimite for ``task``
        on ``day``: for telling our own dispatches from a clerk's in the portal history."""
        url, user = ledger_key(portal_url, username)
        rows = self._conn.execute(
            "SELECT DISTINCT scheduled_at FROM task_events WHERE portal_url = ? AND username = ?"
            " AND task = ? AND day = ? AND phase = 'intent' AND dry_run = 0"
            " AND scheduled_at IS NOT NULL ORDER BY scheduled_at",
            (url, user, task, day.isoformat()),
        ).fetchall()
        return [dt for row in rows if (dt := _parse(row["scheduled_at"])) is not None]

    def _events(self, summary: RunSummary, task: str, day: date) -> list[_Event]:
        """Real (not dry) events for this key, task and day, plus this run's own, oldest first."""
        url, user = ledger_key(summary.portal_url, summary.username)
        rows = self._conn.execute(
            "SELECT * FROM task_events WHERE task = ? AND dry_run = 0 AND ("
            " (portal_url = ? AND username = ? AND day = ?) OR run_id = ?)"
            " ORDER BY id",
            (task, url, user, day.isoformat(), summary.run_id),
        ).fetchall()
        return [_event(row) for row in rows]

    def _events_of_run(self, run_id: str) -> list[_Event]:
        rows = self._conn.execute(
            "SELECT * FROM task_events WHERE run_id = ? ORDER BY id", (run_id,)
        ).fetchall()
        return [_event(row) for row in rows]

    def _insert_event(
        self,
        conn: sqlite3.Connection,
        summary: RunSummary,
        task: str,
        phase: str,
        result: TaskResult | None,
        *,
        day: date | None,
        scheduled_at: datetime | None = None,
        detail: str | None = None,
        tz: tzinfo | None = None,
    ) -> None:
        url, user = ledger_key(summary.portal_url, summary.username)
        if result is not None:
            scheduled_at = result.scheduled_at or scheduled_at
            detail = detail or _detail(result)
        status = result.status.value if result is not None else "pressing"
        event_day = _portal_day(scheduled_at, tz) or day or summary.started_at.date()
        if phase == OUTCOME:
            # An outcome belongs to the day of the intent it answers, if there was one.
            event_day = self._intent_day(conn, summary.run_id, task) or event_day
        conn.execute(
            "INSERT INTO task_events (run_id, portal_url, username, task, phase, status,"
            " scheduled_at, day, detail, recorded_at, dry_run)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                summary.run_id,
                url,
                user,
                task,
                phase,
                status,
                _iso(scheduled_at),
                event_day.isoformat(),
                scrub_text(detail) if detail else None,
                _now(),
                int(summary.dry_run),
            ),
        )

    @staticmethod
    def _intent_day(conn: sqlite3.Connection, run_id: str, task: str) -> date | None:
        row = conn.execute(
            "SELECT day FROM task_events WHERE run_id = ? AND task = ? AND phase = 'intent'"
            " ORDER BY id DESC LIMIT 1",
            (run_id, task),
        ).fetchone()
        return date.fromisoformat(row["day"]) if row else None


class Refusal(NamedTuple):
    """Why a send is refused: ``kind`` for code, ``text`` for people."""

    kind: str  # one of the REFUSAL_* constants
    run_id: str
    text: str


REFUSAL_SAME_RUN = "same_run"  # this run already recorded the intent
REFUSAL_VERIFIED = "verified"  # an earlier run's send was seen in the history
REFUSAL_NOT_VERIFIED = "not_verified"  # scheduled earlier, sending not seen yet
REFUSAL_UNKNOWN = "outcome_unknown"  # an earlier run could not tell
REFUSAL_NO_OUTCOME = "intent_without_outcome"  # an earlier run died around the click
REFUSAL_FAILED_AFTER_INTENT = "failed_after_intent"  # it failed after the intent


class LedgerGuard(SendGuard):
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
        self._ledger = ledger
        self._summary = summary
        self.force = force
        self.today = today
        self._tz = tz

    def skip_reason(self, task: str) -> str | None:
        """Why ``task`` must not be sent by this run (None: go ahead). Dry runs: always None."""
        refusal = self.refusal(task)
        return refusal.text if refusal is not None else None

    def refusal(self, task: str) -> Refusal | None:
        """``skip_reason`` with its kind: only ``verified`` needs nobody to look at the portal."""
        if self._summary.dry_run:
            return None
        return self._refusal(task, honour_force=True)

    def needs_check(self, task: str) -> bool:
        """True when ``task`` is refused and a person should look at the portal's history
        (the earlier send was not seen completing, or its outcome is unknown)."""
        refusal = self.refusal(task)
        return refusal is not None and refusal.kind not in (REFUSAL_VERIFIED, REFUSAL_SAME_RUN)

    def _refusal(self, task: str, *, honour_force: bool) -> Refusal | None:
        events = self._ledger._events(self._summary, task, self.today)
        own = [e for e in events if e.run_id == self._summary.run_id and e.phase == INTENT]
        # Never twice in one run, --force or not.
        if own:
            return Refusal(
                REFUSAL_SAME_RUN,
                self._summary.run_id,
                f"this run already pressed {SEND_BUTTON.get(task, 'Trimite')} for {task} at "
                f"{_clock(own[0].scheduled_at or own[0].recorded_at)}; it is never pressed "
                "twice in one run",
            )
        if self.force and honour_force:
            return None
        earlier = [e for e in events if e.run_id != self._summary.run_id]
        # The most recent earlier run that forbids it is the one worth naming.
        for run_id, run_events in reversed(list(_by_run(earlier).items())):
            refusal = _earlier_run_refusal(task, run_id, run_events)
            if refusal is not None:
                return refusal
        return None

    def intent(self, task: str, scheduled_at: datetime) -> None:
        """Commit "about to press Trimite for ``task``" (raise ``SendRefusedError`` if refused).

        Call it immediately before the click, after everything that could still fail safely;
        anything that goes wrong after it must be recorded as ``outcome_unknown``.
        """
        with _transaction(self._ledger._conn) as conn:
            # Re-checked inside the write transaction: no other writer can slip in between
            # the check and the intent (BEGIN IMMEDIATE holds the write lock).
            reason = self.skip_reason(task)
            if reason is not None:
                raise SendRefusedError(reason, step=f"{task}: {SEND_BUTTON.get(task, 'Trimite')}")
            overridden = None
            if self.force and not self._summary.dry_run:
                overridden = self._refusal(task, honour_force=False)
            self._ledger._insert_event(
                conn,
                self._summary,
                task,
                INTENT,
                None,
                day=self.today,
                scheduled_at=scheduled_at,
                detail=f"--force overrode: {overridden.text}" if overridden else None,
                tz=self._tz,
            )

    def outcome(self, result: TaskResult) -> None:
        """Commit the task's outcome (after the history read-back, or when it ends otherwise)."""
        with _transaction(self._ledger._conn) as conn:
            self._ledger._insert_event(
                conn, self._summary, result.name, OUTCOME, result, day=self.today, tz=self._tz
            )


def _earlier_run_refusal(task: str, run_id: str, events: Sequence[_Event]) -> Refusal | None:
    """Why ``events`` (one earlier run's, oldest first) forbid sending ``task`` again."""
    tab = HISTORY_TAB.get(task, "the history tab")
    button = SEND_BUTTON.get(task, "Trimite")
    intents = [e for e in events if e.phase == INTENT]
    blocking = [e for e in events if e.phase == OUTCOME and e.status in BLOCKING_OUTCOMES]
    if blocking:
        last = blocking[-1]
        at = _clock(last.scheduled_at or (intents[-1].scheduled_at if intents else None))
        if last.status == TaskStatus.VERIFIED:
            return Refusal(
                REFUSAL_VERIFIED,
                run_id,
                f"already scheduled today by run {run_id} at {at} and seen sending in {tab}; "
                "use --force to send again",
            )
        if last.status == TaskStatus.NOT_VERIFIED:
            return Refusal(
                REFUSAL_NOT_VERIFIED,
                run_id,
                f"already scheduled today by run {run_id} at {at}, but {tab} had not shown "
                f"sending yet — check {tab} in the portal before rerunning with --force",
            )
        return Refusal(
            REFUSAL_UNKNOWN,
            run_id,
            f"an earlier run (id {run_id}) pressed {button} at {at} and could not tell whether "
            f"the portal accepted it — check {tab} in the portal before rerunning with --force",
        )
    if not intents:
        return None
    last_intent = max(i for i, e in enumerate(events) if e.phase == INTENT)
    at = _clock(events[last_intent].scheduled_at or events[last_intent].recorded_at)
    after = [e for e in events[last_intent + 1 :] if e.phase == OUTCOME]
    if not after:
        return Refusal(
            REFUSAL_NO_OUTCOME,
            run_id,
            f"an earlier run (id {run_id}) was about to press {button} at {at} and never "
            f"recorded the result — check {tab} in the portal before rerunning with --force",
        )
    failure = after[-1]
    what = f" ({failure.detail})" if failure.detail else ""
    return Refusal(
        REFUSAL_FAILED_AFTER_INTENT,
        run_id,
        f"an earlier run (id {run_id}) was about to press {button} at {at} and then ended "
        f"{failure.status}{what}; the click may have reached the portal — check {tab} in the "
        "portal before rerunning with --force",
    )


def _task_state(events: Sequence[_Event]) -> str | None:
    """A task's status in one run, from its events: the last outcome, else the bare intent."""
    outcomes = [e for e in events if e.phase == OUTCOME]
    if outcomes:
        return outcomes[-1].status
    if any(e.phase == INTENT for e in events):
        return INTENT_ONLY
    return None


def _by_run(events: Sequence[_Event]) -> dict[str, list[_Event]]:
    grouped: dict[str, list[_Event]] = {}
    for event in events:
        grouped.setdefault(event.run_id, []).append(event)
    return grouped


def _by_task(events: Sequence[_Event]) -> dict[str, list[_Event]]:
    grouped: dict[str, list[_Event]] = {}
    for event in events:
        grouped.setdefault(event.task, []).append(event)
    return grouped


def _event(row: sqlite3.Row) -> _Event:
    return _Event(
        run_id=row["run_id"],
        task=row["task"],
        phase=row["phase"],
        status=row["status"],
        scheduled_at=row["scheduled_at"],
        detail=row["detail"],
        recorded_at=row["recorded_at"],
    )


def _detail(result: TaskResult) -> str | None:
    if result.errors:
        return "; ".join(result.errors)
    if result.skip_reason:
        return result.skip_reason
    ver = result.verification
    if ver is not None:
        text = f"{ver.rows_seen} rows seen"
        if ver.first_sent_at:
            text += f", first sent {ver.first_sent_at.isoformat()}"
        return text
    return None


def _portal_day(value: datetime | None, tz: tzinfo | None) -> date | None:
    if value is None:
        return None
    if value.tzinfo is not None and tz is not None:
        value = value.astimezone(tz)
    return value.date()


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT (ROLLBACK on error) on an autocommit connection."""
    if conn.in_transaction:  # nested use from within a guard method
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
