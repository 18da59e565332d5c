"""The run ledger's storage: SQLite in the state folder, what every run and task did.

``state_dir/ledger.sqlite3`` (the platform's user data folder by default). Two tables:

* ``runs``: one row per run (when, against which portal and user, how it ended);
* ``task_events``: per task, an **intent** committed just *before* Trimite is pressed and an
  **outcome** once the history has been read back.

Every write is its own committed transaction with ``synchronous=FULL``: when an intent is
written, it survives a crash of the process or of the machine. What the rows mean for the next
send is decided by ``ledger.policy``; ``ledger.guard`` puts the two together for one run.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from emsys_rpa.errors import ConfigError
from emsys_rpa.fsutil import private_dir, private_file
from emsys_rpa.ledger.policy import (
    BLOCKING_OUTCOMES,
    OUTCOME,
    Event,
    by_task,
    task_state,
)
from emsys_rpa.redaction import scrub_text
from emsys_rpa.summary import RunSummary, TaskResult

LEDGER_NAME = "ledger.sqlite3"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 10_000

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

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """One committed write (``BEGIN IMMEDIATE``): no other writer can slip in between a
        check made inside it and the row written after the check."""
        return _transaction(self._conn)

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

    def end_run(self, summary: RunSummary, line: str) -> None:
        """Record how the run ended (``line``: its one-line summary), and any task outcome the
        run did not record itself."""
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
                    self.insert_event(conn, summary, task.name, OUTCOME, task, day=day, tz=tz)
            conn.execute(
                "UPDATE runs SET finished_at = ?, status = ?, exit_code = ?, run_dir = ?,"
                " summary = ?, tasks_json = ? WHERE run_id = ?",
                (
                    _iso(summary.finished_at) or _now(),
                    scrub_text(summary.status),
                    summary.exit_code,
                    summary.run_dir,
                    scrub_text(line),
                    json.dumps(tasks),
                    summary.run_id,
                ),
            )

    def settle(self, summary: RunSummary, run_id: str, result: TaskResult) -> None:
        """File ``result`` as the outcome of the earlier run ``run_id`` (``emsys-rpa verify``
        read the history for it), so that the refusal rules see that run's send as proven."""
        earlier = summary.model_copy(update={"run_id": run_id, "dry_run": False})
        with _transaction(self._conn) as conn:
            self.insert_event(conn, earlier, result.name, OUTCOME, result, day=None)
            row = conn.execute("SELECT tasks_json FROM runs WHERE run_id = ?", (run_id,)).fetchone()
            if row is not None:
                tasks = json.loads(row["tasks_json"]) if row["tasks_json"] else {}
                tasks[result.name] = result.status.value
                conn.execute(
                    "UPDATE runs SET tasks_json = ? WHERE run_id = ?", (json.dumps(tasks), run_id)
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
        for task, events in by_task(self._events_of_run(row["run_id"])).items():
            tasks[task] = task_state(events) or tasks.get(task, "")
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

    def remember_day(self, summary: RunSummary, today: date, tz: tzinfo | None) -> None:
        """The portal-local day (and zone) this run works on, for ``end_run``'s late filings."""
        self.begin_run_if_missing(summary)
        self._run_days[summary.run_id] = (today, tz)

    def events(self, summary: RunSummary, task: str, day: date) -> list[Event]:
        """Real (not dry) events for this key, task and day, plus this run's own, oldest first."""
        url, user = ledger_key(summary.portal_url, summary.username)
        rows = self._conn.execute(
            "SELECT * FROM task_events WHERE task = ? AND dry_run = 0 AND ("
            " (portal_url = ? AND username = ? AND day = ?) OR run_id = ?)"
            " ORDER BY id",
            (task, url, user, day.isoformat(), summary.run_id),
        ).fetchall()
        return [_event(row) for row in rows]

    def _events_of_run(self, run_id: str) -> list[Event]:
        rows = self._conn.execute(
            "SELECT * FROM task_events WHERE run_id = ? ORDER BY id", (run_id,)
        ).fetchall()
        return [_event(row) for row in rows]

    def insert_event(
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


def _event(row: sqlite3.Row) -> Event:
    return Event(
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
