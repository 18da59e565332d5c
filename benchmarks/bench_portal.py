"""The portal's own time during a run, from the mock's request log.

Each logged request is an interval (``started`` + ``duration_ms``, added latency included).
A browser may have several requests in flight (a page and its iframe), so the portal's time
is the length of the *union* of the intervals, not their sum.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class PortalTime:
    requests: int
    busy_s: float  # union of the request intervals
    summed_s: float  # plain sum (> busy_s when requests overlapped)
    first: datetime | None
    last_end: datetime | None

    @property
    def span_s(self) -> float:
        """From the first request's start to the last one's end."""
        if self.first is None or self.last_end is None:
            return 0.0
        return (self.last_end - self.first).total_seconds()


def portal_time(
    log: Iterable[Mapping[str, Any]],
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> PortalTime:
    """Busy time of the requests that started within [since, until] (aware datetimes)."""
    intervals: list[tuple[datetime, datetime]] = []
    for entry in log:
        start = datetime.fromisoformat(str(entry["started"]))
        if (since is not None and start < since) or (until is not None and start > until):
            continue
        intervals.append((start, start + timedelta(milliseconds=float(entry["duration_ms"]))))
    intervals.sort()
    busy = timedelta()
    summed = timedelta()
    current: tuple[datetime, datetime] | None = None
    for start, end in intervals:
        summed += end - start
        if current is None or start > current[1]:
            if current is not None:
                busy += current[1] - current[0]
            current = (start, end)
        elif end > current[1]:
            current = (current[0], end)
    if current is not None:
        busy += current[1] - current[0]
    return PortalTime(
        requests=len(intervals),
        busy_s=busy.total_seconds(),
        summed_s=summed.total_seconds(),
        first=intervals[0][0] if intervals else None,
        last_end=max((end for _, end in intervals), default=None),
    )
