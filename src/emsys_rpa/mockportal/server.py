"""Start the portal in-process: uvicorn in a background thread on 127.0.0.1, stopped on exit."""

from __future__ import annotations

import logging
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Final

import uvicorn

from emsys_rpa.mockportal.app import build_app
from emsys_rpa.mockportal.client import MockPortalClient
from emsys_rpa.mockportal.clock import Clock
from emsys_rpa.mockportal.db import Database
from emsys_rpa.mockportal.faults import NO_FAULTS, Faults
from emsys_rpa.mockportal.jobs import JobRunner
from emsys_rpa.mockportal.portal import DEMO_PASSWORD, DEMO_USERNAME, PortalState
from emsys_rpa.mockportal.seeding import seed_database
from emsys_rpa.mockportal.variants import DEFAULT_VARIANT, Variant


@dataclass(frozen=True)
class MockPortalOptions:
    variant: Variant = DEFAULT_VARIANT
    faults: Faults = NO_FAULTS
    today: date | None = None
    seed: int = 1
    db_path: Path | None = None  # None: a temporary file, deleted on exit
    history_rows: int | None = None  # extra rows per history grid (None/0: just the replayed past)
    send_start_delay_s: float = 2.0
    send_rate_per_s: float = 20.0
    port: int = 0  # 0: any free port
    username: str = DEMO_USERNAME
    password: str = field(default=DEMO_PASSWORD, repr=False)
    locked_users: tuple[str, ...] = ()  # accounts locked from the start
    # Labels of the manual shown otherwise, as an upgrade of the portal may rename them:
    # (("Trimite alerta", "Trimitere alertă"),) — every page and answer shows the new text.
    relabel: tuple[tuple[str, str], ...] = ()
    # The clock starts here and runs on (naive: Europe/Bucharest wall time); not with today.
    now: datetime | None = None


@dataclass(kw_only=True)
class MockPortal(MockPortalClient):
    """The portal ``running_mock_portal`` started: a client, and (for its own tests) its state."""

    db_path: Path
    state: PortalState = field(repr=False)


# uvicorn's own words when an answer is cut off on purpose (the drop and hang faults).
CUT_OFF_LOG: Final = "ASGI callable returned without completing response."


class _QuietCutOffs(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != CUT_OFF_LOG


def open_state(options: MockPortalOptions, db_path: Path, stopping: threading.Event) -> PortalState:
    """Create (or reopen) the database and everything the app needs, without serving it."""
    clock = Clock(options.today, options.now)
    db = Database(db_path)
    if db.is_seeded():
        db.refresh_counts()
    else:
        seed_database(
            db, seed=options.seed, today=clock.today(), history_rows=options.history_rows or 0
        )
    runner = JobRunner(
        db,
        clock,
        start_delay_s=options.send_start_delay_s,
        rate_per_s=options.send_rate_per_s,
        fail_fraction=options.faults.job_fail,
        stopping=stopping,
    )
    return PortalState(
        db=db,
        clock=clock,
        variant=options.variant,
        faults=options.faults,
        runner=runner,
        stopping=stopping,
        username=options.username,
        password=options.password,
        locked_users=options.locked_users,
        relabel=options.relabel,
    )


@contextmanager
def running_mock_portal(options: MockPortalOptions | None = None) -> Iterator[MockPortal]:
    """Serve the mock portal on 127.0.0.1 (a free port unless ``options.port``) until exit."""
    options = options or MockPortalOptions()
    with tempfile.TemporaryDirectory(prefix="emsys-mockportal-") as scratch:
        db_path = options.db_path or Path(scratch) / "portal.sqlite3"
        stopping = threading.Event()
        state = open_state(options, db_path, stopping)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", options.port))
        except OSError:
            sock.close()
            state.db.close()
            raise
        port = sock.getsockname()[1]
        uvicorn_log = logging.getLogger("uvicorn.error")
        if not any(isinstance(f, _QuietCutOffs) for f in uvicorn_log.filters):
            uvicorn_log.addFilter(_QuietCutOffs())
        config = uvicorn.Config(
            build_app(state),
            log_level=logging.WARNING,
            access_log=False,
            lifespan="off",
            date_header=False,
            timeout_graceful_shutdown=2,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="mockportal-server", daemon=True
        )
        thread.start()
        try:
            deadline = time.monotonic() + 30
            while not server.started:
                if not thread.is_alive() or time.monotonic() > deadline:
                    raise RuntimeError("the mock portal did not start")
                time.sleep(0.01)
            yield MockPortal(
                base_url=f"http://127.0.0.1:{port}",
                username=state.username,
                password=state.password,
                db_path=db_path,
                state=state,
            )
        finally:
            stopping.set()
            server.should_exit = True
            thread.join(10)
            state.runner.join(5)
            sock.close()
            state.db.close()
