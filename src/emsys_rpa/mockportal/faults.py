"""Faults the mock can inject (``--fault``, repeatable and combinable).

- ``latency=MS``: every portal response is delayed by MS milliseconds.
- ``unavailable=N``: the first N portal requests after the first successful login answer 503.
- ``session_expiry=N``: a session dies after N authenticated requests; the next request lands
  on the login page saying "Sesiunea a expirat".
- ``late_confirm=S``: the information message after Trimite appears S seconds late (the job
  is scheduled at once; the response is held back).
- ``job_fail=FRACTION``: a job fails after sending that fraction of its rows: a few rows get
  an error status, the rest are never sent.
- ``down``: the portal answers every page with 503 Service Unavailable (what a reverse proxy
  in front of a stopped application pool does). ``/__mock__/`` keeps working so tests can
  still read the ledger.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, TypeVar

T = TypeVar("T", int, float)

FAULT_HELP: Final = (
    "latency=MS, unavailable=N, session_expiry=N, late_confirm=S, job_fail=FRACTION, down"
)


@dataclass(frozen=True)
class Faults:
    latency_ms: int = 0
    unavailable: int = 0
    session_expiry: int = 0
    late_confirm_s: float = 0.0
    job_fail: float | None = None
    down: bool = False

    @property
    def any(self) -> bool:
        return self != NO_FAULTS

    def describe(self) -> list[str]:
        """The specs that would rebuild these faults (for the start-up line and the ledger)."""
        specs = []
        if self.latency_ms:
            specs.append(f"latency={self.latency_ms}")
        if self.unavailable:
            specs.append(f"unavailable={self.unavailable}")
        if self.session_expiry:
            specs.append(f"session_expiry={self.session_expiry}")
        if self.late_confirm_s:
            specs.append(f"late_confirm={self.late_confirm_s:g}")
        if self.job_fail is not None:
            specs.append(f"job_fail={self.job_fail:g}")
        if self.down:
            specs.append("down")
        return specs


NO_FAULTS: Final = Faults()


def parse_faults(specs: Sequence[str]) -> Faults:
    """Combine ``--fault`` specs; each may also hold several, comma-separated."""
    values: dict[str, object] = {}
    for raw in specs:
        for part in raw.split(","):
            part = part.strip()
            if not part:
                continue
            key, sep, value = part.partition("=")
            key = key.strip().lower().replace("-", "_")
            value = value.strip()
            if key == "down":
                if sep and value.lower() not in {"1", "true", "yes"}:
                    raise ValueError(f"fault 'down' takes no value (got {part!r})")
                values["down"] = True
                continue
            if not sep or not value:
                raise ValueError(f"fault {part!r} needs a value; valid faults: {FAULT_HELP}")
            if key == "latency":
                values["latency_ms"] = _number(part, value, int, minimum=0)
            elif key == "unavailable":
                values["unavailable"] = _number(part, value, int, minimum=0)
            elif key == "session_expiry":
                values["session_expiry"] = _number(part, value, int, minimum=1)
            elif key == "late_confirm":
                values["late_confirm_s"] = _number(part, value, float, minimum=0)
            elif key == "job_fail":
                fraction = _number(part, value, float, minimum=0)
                if fraction > 1:
                    raise ValueError(f"fault {part!r}: job_fail is a fraction between 0 and 1")
                values["job_fail"] = fraction
            else:
                raise ValueError(f"unknown fault {part!r}; valid faults: {FAULT_HELP}")
    return Faults(**values)  # type: ignore[arg-type]


def _number(part: str, value: str, kind: type[T], *, minimum: float) -> T:
    try:
        number = kind(value)
    except ValueError:
        raise ValueError(f"fault {part!r}: {value!r} is not a {kind.__name__}") from None
    if number < minimum:
        raise ValueError(f"fault {part!r}: must be at least {minimum:g}")
    return number
