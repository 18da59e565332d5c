"""Faults armed at a step: which are waiting, which fired at which request.

A fault counts the portal requests that match its step from the moment it is armed and fires
at the ``start``-th one and the ones after it, ``times`` times in all. One fault fires per
request: when several are due, the one armed first fires and the others wait for the next
matching request. Every firing is logged, so a test can prove its fault really happened.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from emsys_rpa.mockportal.faults import StepFault


@dataclass
class Armed:
    id: int
    fault: StepFault
    origin: str  # "start-up" (--fault) or "control" (POST /__mock__/control)
    seen: int = 0  # matching requests since it was armed
    fired: int = 0
    disarmed: bool = False

    @property
    def state(self) -> str:
        if self.disarmed:
            return "disarmed"
        if self.fault.times is not None and self.fired >= self.fault.times:
            return "spent"
        return "armed"

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "spec": self.fault.spec,
            "state": self.state,
            "fired": self.fired,
            "origin": self.origin,
        }


class ArmedFaults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Armed] = []
        self._fired: list[dict[str, Any]] = []

    def arm(self, faults: Iterable[StepFault], origin: str) -> list[int]:
        """Arm each fault; returns their ids (for ``disarm``), in order."""
        with self._lock:
            added = [
                Armed(len(self._faults) + n + 1, fault, origin) for n, fault in enumerate(faults)
            ]
            self._faults.extend(added)
            return [armed.id for armed in added]

    def check_ids(self, ids: Iterable[int]) -> None:
        """ValueError unless every id is a fault's (armed, spent or disarmed)."""
        with self._lock:
            unknown = [i for i in ids if not 1 <= i <= len(self._faults)]
        if unknown:
            raise ValueError(f"no armed fault with id {unknown[0]}")

    def disarm(self, ids: Iterable[int] | None = None) -> None:
        """Disarm these faults (all when ``ids`` is None)."""
        chosen = None if ids is None else list(ids)
        if chosen is not None:
            self.check_ids(chosen)
        with self._lock:
            for armed in self._faults:
                if chosen is None or armed.id in chosen:
                    armed.disarmed = True

    def take(self, step: str, method: str, path: str, at: datetime) -> StepFault | None:
        """The fault that fires at this request, if any (counting it against every match)."""
        with self._lock:
            firing: Armed | None = None
            for armed in self._faults:
                if armed.state != "armed" or not armed.fault.matches(step):
                    continue
                armed.seen += 1
                if firing is None and armed.seen >= armed.fault.start:
                    firing = armed
            if firing is None:
                return None
            firing.fired += 1
            self._fired.append(
                {
                    "id": firing.id,
                    "spec": firing.fault.spec,
                    "step": step,
                    "method": method,
                    "path": path,
                    "at": at.isoformat(timespec="milliseconds"),
                }
            )
            return firing.fault

    def describe(self) -> list[dict[str, Any]]:
        with self._lock:
            return [armed.describe() for armed in self._faults]

    def fired(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._fired)
