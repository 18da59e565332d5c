"""The running portal's state: data, clock, jobs, sessions, counters, and the ledger."""

from __future__ import annotations

import secrets
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Final

from emsys_rpa.mockportal.armed import ArmedFaults
from emsys_rpa.mockportal.clock import Clock, local_from_epoch
from emsys_rpa.mockportal.db import Database
from emsys_rpa.mockportal.faults import Faults
from emsys_rpa.mockportal.jobs import JobRunner
from emsys_rpa.mockportal.variants import Variant

DEMO_USERNAME: Final = "operator"
# Demo credentials of a mock: printed on purpose by `emsys-rpa mock-portal`.
DEMO_PASSWORD: Final = "Emsys#Demo2024"  # noqa: S105
DEMO_DISPLAY_NAME: Final = "Operator Facturare"
MAX_FAILED_LOGINS: Final = 5
REQUEST_LOG_LIMIT: Final = 100_000


@dataclass
class SessionInfo:
    username: str
    display_name: str
    requests: int = 0


@dataclass
class Stats:
    logins: int = 0
    failed_logins: int = 0
    sessions_expired: int = 0
    requests: int = 0
    failed_by_user: dict[str, int] = field(default_factory=dict)
    locked_users: set[str] = field(default_factory=set)
    # None until the first successful login; then how many more requests answer 503.
    unavailable_left: int | None = None


class PortalState:
    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        variant: Variant,
        faults: Faults,
        runner: JobRunner,
        stopping: threading.Event,
        username: str = DEMO_USERNAME,
        password: str = DEMO_PASSWORD,
        locked_users: Iterable[str] = (),
        relabel: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.db = db
        self.relabel = tuple(relabel)
        self.clock = clock
        self.variant = variant
        self.faults = faults
        self.runner = runner
        self.stopping = stopping
        self.username = username
        self.password = password
        self.secret_key = secrets.token_urlsafe(32)
        self.stats = Stats(locked_users={user.strip().lower() for user in locked_users})
        self.sessions: dict[str, SessionInfo] = {}
        # Sessions ended by an armed ``expire``: their next request says "Sesiunea a expirat".
        self.expired_sessions: set[str] = set()
        self.armed = ArmedFaults()
        self.armed.arm(faults.at, "start-up")
        self.request_log: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_LIMIT)
        self.lock = threading.Lock()

    # -- authentication -------------------------------------------------------------------

    def check_login(self, username: str, password: str) -> tuple[str | None, str | None]:
        """(session id, None) on success, else (None, the message the login page shows)."""
        user = username.strip().lower()
        with self.lock:
            if user in self.stats.locked_users:
                self.stats.failed_logins += 1
                return None, (
                    "Contul este blocat după prea multe încercări eșuate. "
                    "Contactați administratorul aplicației."
                )
            own = self.username.strip().lower()
            if user == own and secrets.compare_digest(password, self.password):
                self.stats.logins += 1
                self.stats.failed_by_user.pop(user, None)
                if self.stats.unavailable_left is None:
                    self.stats.unavailable_left = self.faults.unavailable
                sid = secrets.token_urlsafe(24)
                self.sessions[sid] = SessionInfo(user, DEMO_DISPLAY_NAME)
                return sid, None
            self.stats.failed_logins += 1
            if user:
                failures = self.stats.failed_by_user.get(user, 0) + 1
                self.stats.failed_by_user[user] = failures
                if user == own and failures >= MAX_FAILED_LOGINS:
                    self.stats.locked_users.add(user)
                    return None, (
                        "Contul a fost blocat după 5 încercări eșuate. "
                        "Contactați administratorul aplicației."
                    )
                left = MAX_FAILED_LOGINS - failures
                if user == own and left <= 2:
                    return None, (
                        f"Utilizator sau parolă incorectă. Mai aveți {left} "
                        f"{'încercare' if left == 1 else 'încercări'} înainte de blocarea contului."
                    )
            return None, "Utilizator sau parolă incorectă."

    def touch_session(self, sid: str | None) -> tuple[SessionInfo | None, bool]:
        """(session, expired_now): counts one authenticated request against session_expiry."""
        if not sid:
            return None, False
        with self.lock:
            if sid in self.expired_sessions:
                self.expired_sessions.discard(sid)
                self.stats.sessions_expired += 1
                return None, True
            info = self.sessions.get(sid)
            if info is None:
                return None, False
            info.requests += 1
            limit = self.faults.session_expiry
            if limit and info.requests > limit:
                del self.sessions[sid]
                self.stats.sessions_expired += 1
                return None, True
            return info, False

    def end_session(self, sid: str | None) -> None:
        with self.lock:
            self.sessions.pop(sid or "", None)

    def expire_session(self, sid: str) -> None:
        """End a live session so that its next request lands on the login page, expired."""
        with self.lock:
            if self.sessions.pop(sid, None) is not None:
                self.expired_sessions.add(sid)

    # -- test controls (POST /__mock__/control) -------------------------------------------

    def set_credentials(self, username: str | None, password: str | None) -> None:
        with self.lock:
            if username is not None:
                self.username = username
            if password is not None:
                self.password = password

    def set_faults(self, **changes: object) -> None:
        """Replace global faults (latency_ms, down, job_fail) while the portal runs."""
        with self.lock:
            self.faults = replace(self.faults, **changes)  # type: ignore[arg-type]
            self.runner.fail_fraction = self.faults.job_fail

    def lock_users(self, users: Iterable[str], *, locked: bool) -> None:
        with self.lock:
            for user in (u.strip().lower() for u in users):
                if locked:
                    self.stats.locked_users.add(user)
                else:
                    self.stats.locked_users.discard(user)
                    self.stats.failed_by_user.pop(user, None)

    # -- faults and request accounting ---------------------------------------------------

    def take_unavailable(self) -> bool:
        """True if this request must answer 503 (the first N after login)."""
        with self.lock:
            left = self.stats.unavailable_left
            if left:
                self.stats.unavailable_left = left - 1
                return True
            return False

    def record_request(
        self,
        method: str,
        path: str,
        status: int,
        started: datetime,
        duration_ms: float,
        *,
        step: str,
        fault: str | None,
    ) -> None:
        with self.lock:
            self.stats.requests += 1
            self.request_log.append(
                {
                    "method": method,
                    "path": path,
                    "status": status,
                    "started": started.isoformat(timespec="milliseconds"),
                    "duration_ms": round(duration_ms, 3),
                    "step": step,
                    "fault": fault,
                }
            )

    def requests(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.request_log)

    # -- the ledger ----------------------------------------------------------------------------

    def ledger(self) -> dict[str, Any]:
        jobs = [
            {
                "id": row["id"],
                "type": row["type"],
                "background": bool(row["background"]),
                "period_from": row["period_from"],
                "period_to": row["period_to"],
                "scheduled_at": _iso(row["scheduled_at"]),
                "started_at": _iso(row["started_at"]),
                "finished_at": _iso(row["finished_at"]),
                "eligible": row["eligible"],
                "sent": row["sent"],
                "failed": row["failed"],
                "status": row["status"],
            }
            for row in self.db.all("SELECT * FROM jobs WHERE seeded = 0 ORDER BY id")
        ]
        with self.lock:
            stats = self.stats
            return {
                "jobs": jobs,
                "duplicate_sends": self.duplicate_sends(),
                "logins": stats.logins,
                "failed_logins": stats.failed_logins,
                "locked_users": sorted(stats.locked_users),
                "sessions_expired": stats.sessions_expired,
                "requests": stats.requests,
                "today": self.clock.today().isoformat(),
                "now": self.clock.now().isoformat(timespec="seconds"),
                "variant": self.variant.spec,
                "faults": self.faults.describe(),
                "armed_faults": self.armed.describe(),
                "fired_faults": self.armed.fired(),
            }

    def duplicate_sends(self) -> int:
        """Invoices e-mailed more than once, plus alerts delivered twice for the same thing."""
        invoices = self.db.scalar(
            "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM invoice_history "
            "WHERE invoice_id IS NOT NULL AND status = 'sent' GROUP BY invoice_id HAVING n > 1)"
        )
        alerts = self.db.scalar(
            "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM alert_deliveries "
            "GROUP BY alert_code, ref, channel HAVING n > 1)"
        )
        return int(invoices or 0) + int(alerts or 0)


def _iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return local_from_epoch(float(epoch)).isoformat(timespec="milliseconds")


def utc_now() -> datetime:
    return datetime.now(UTC)
