"""Where a run's time goes, from its Playwright trace (`trace.zip`, `EMSYS_RUN_TRACE=always`).

The trace records every Playwright call the robot made after logging in (tracing starts only
then: a trace records typed text), with its start and end in the driver's clock. Adding the
calls up by method shows which kinds of browser round trips cost the most; what is left of
the traced span is the robot's own Python time and the hops between calls.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path


@dataclass
class CallStats:
    calls: int = 0
    total_ms: float = 0.0


@dataclass(frozen=True)
class Call:
    method: str
    start: datetime  # wall clock (UTC), from the trace's own clock mapping
    end: datetime

    @property
    def ms(self) -> float:
        return (self.end - self.start).total_seconds() * 1000


@dataclass
class TraceBreakdown:
    span_ms: float = 0.0  # first call's start to last call's end
    in_calls_ms: float = 0.0  # union of the calls (nested or parallel calls counted once)
    calls: int = 0
    by_method: dict[str, CallStats] = field(default_factory=dict)
    screencast_frames: int = 0
    snapshots: int = 0
    timeline: list[Call] = field(default_factory=list)  # empty if the trace had no wall clock

    @property
    def outside_calls_ms(self) -> float:
        return max(0.0, self.span_ms - self.in_calls_ms)


def read_trace(path: Path) -> TraceBreakdown:
    """Aggregate the calls in ``trace.zip`` (every ``*.trace`` member: one per context)."""
    starts: dict[str, tuple[float, str]] = {}
    spans: list[tuple[float, float, str]] = []
    result = TraceBreakdown()
    # The trace's times are the driver's monotonic milliseconds; "context-options" pairs one
    # of them with the wall clock, which places the calls inside the robot's steps.
    origin: tuple[float, float] | None = None
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.endswith(".trace"):
                continue
            for line in archive.read(name).decode("utf-8").splitlines():
                if not line.strip():
                    continue
                event = json.loads(line)
                kind = event.get("type")
                if kind == "context-options" and "wallTime" in event and origin is None:
                    origin = (float(event["wallTime"]), float(event["monotonicTime"]))
                elif kind == "before":
                    method = f"{event.get('class', '?')}.{event.get('method', '?')}"
                    starts[event["callId"]] = (float(event["startTime"]), method)
                elif kind == "after" and event.get("callId") in starts:
                    start, method = starts.pop(event["callId"])
                    end = float(event["endTime"])
                    stats = result.by_method.setdefault(method, CallStats())
                    stats.calls += 1
                    stats.total_ms += end - start
                    spans.append((start, end, method))
                elif kind == "screencast-frame":
                    result.screencast_frames += 1
                elif kind == "frame-snapshot":
                    result.snapshots += 1
    if not spans:
        return result
    spans.sort()
    result.calls = len(spans)
    result.span_ms = max(end for _, end, _ in spans) - spans[0][0]
    current_start, current_end = spans[0][0], spans[0][1]
    for start, end, _ in spans[1:]:
        if start > current_end:
            result.in_calls_ms += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    result.in_calls_ms += current_end - current_start
    if origin is not None:
        wall_ms, mono_ms = origin

        def wall(mono: float) -> datetime:
            return datetime.fromtimestamp(0, UTC) + timedelta(milliseconds=wall_ms + mono - mono_ms)

        result.timeline = [Call(method, wall(start), wall(end)) for start, end, method in spans]
    return result


def calls_within(timeline: list[Call], start: datetime, end: datetime) -> list[Call]:
    """The calls that started inside [start, end]."""
    return [call for call in timeline if start <= call.start <= end]
