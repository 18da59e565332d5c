"""A fresh mock portal for every measured run, from databases seeded once per history size.

A run changes the portal (today's alerts are sent, invoices are marked), and the next run must
find it as the first one did; so every run gets its own copy of a seeded database and its own
mock (a uvicorn thread in this process). Seeding goes through the mock's bulk path (a recursive
CTE inside SQLite), so even a million history rows take seconds, once.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from emsys_rpa.mockportal import (
    MockPortal,
    MockPortalOptions,
    parse_faults,
    parse_variant,
    running_mock_portal,
)

# Jobs start at once and finish within milliseconds, so that when the robot looks the rows are
# all there: how many grid pages it reads must not depend on a race with the job.
SEND_RATE_PER_S = 10_000.0


@dataclass
class FreshPortals:
    scratch: Path
    say: Callable[[str], None]
    templates: dict[int, Path] = field(default_factory=dict)
    send_rate_per_s: float = SEND_RATE_PER_S  # how fast the mock's jobs write history rows
    seeding_s: dict[int, float] = field(default_factory=dict)
    counter: int = 0

    def template(self, rows: int) -> Path:
        """A seeded portal database with ``rows`` extra history rows (seeded once, then copied)."""
        if rows in self.templates:
            return self.templates[rows]
        path = self.scratch / "templates" / f"portal-{rows}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        clock = time.perf_counter()
        with running_mock_portal(MockPortalOptions(db_path=path, history_rows=rows)):
            pass  # starting the portal seeds the file; leaving closes it cleanly (no WAL left)
        self.seeding_s[rows] = time.perf_counter() - clock
        self.say(
            f"seeded a portal with {rows:,} extra history rows in {self.seeding_s[rows]:.1f} s"
        )
        self.templates[rows] = path
        return path

    @contextmanager
    def fresh(
        self, *, history_rows: int = 0, order: str = "newest", latency_ms: int = 0
    ) -> Iterator[tuple[MockPortal, Path]]:
        """A new mock on a copy of the seeded database, and a new work folder for the run.

        The default variant otherwise; sends start at once.
        """
        self.counter += 1
        work = self.scratch / f"run-{self.counter:03d}"
        work.mkdir(parents=True)
        db_path = work / "portal.sqlite3"
        shutil.copyfile(self.template(history_rows), db_path)
        options = MockPortalOptions(
            variant=parse_variant(f"order={order}"),
            faults=parse_faults([f"latency={latency_ms}"] if latency_ms else []),
            db_path=db_path,
            send_start_delay_s=0.0,
            send_rate_per_s=self.send_rate_per_s,
        )
        try:
            with running_mock_portal(options) as portal:
                yield portal, work
        finally:
            db_path.unlink(missing_ok=True)
