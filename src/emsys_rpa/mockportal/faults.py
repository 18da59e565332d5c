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
- ``at=[SCREEN.]STEP[#K]:ACTION[xN|x*]``: a fault armed at a step of the procedure (steps.py),
  firing at the K-th matching request (default the first) and N times (default once; ``x*``:
  every time). Actions: ``503`` (answered 503, not executed), ``expire`` (the session ends: the
  request lands on the login page, not executed), ``drop`` (executed, then the connection is
  closed before the answer is complete), ``hang`` (executed, never answered), ``late=S``
  (executed, answered S seconds later), ``down`` (the portal goes down from this request on).
  Repeatable: ``at=send:drop,at=history:503x2``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, TypeVar

from emsys_rpa.mockportal.steps import GROUPS, SCREENS, STEPS, step_matches

T = TypeVar("T", int, float)

FAULT_HELP: Final = (
    "latency=MS, unavailable=N, session_expiry=N, late_confirm=S, job_fail=FRACTION, down, "
    "at=[SCREEN.]STEP[#K]:ACTION[xN|x*]"
)
ACTIONS: Final = ("503", "expire", "drop", "hang", "late=S", "down")
AT_HELP: Final = (
    f"at=[SCREEN.]STEP[#K]:ACTION[xN|x*] with SCREEN {'|'.join(SCREENS)}, STEP "
    f"{'|'.join([*STEPS, *GROUPS])}, ACTION {'|'.join(ACTIONS)}"
)
_AT: Final = re.compile(
    r"(?:(?P<screen>[a-z]+)\.)?(?P<step>[a-z_]+)(?:#(?P<start>\d+))?"
    r":(?P<action>503|expire|drop|hang|down|late=(?P<seconds>[0-9.]+))"
    r"(?:x(?P<times>\d+|\*))?"
)


@dataclass(frozen=True)
class StepFault:
    """A fault armed at a step: ``at=send:drop``, ``at=alerts.history#2:503x3``."""

    step: str  # a step of steps.STEPS or a group (any, grid)
    action: str  # 503 | expire | drop | hang | late | down
    screen: str | None = None  # alerts | invoices | None (either)
    start: int = 1  # fires from the start-th matching request after it was armed
    times: int | None = 1  # how many requests it fires at; None: every one
    seconds: float = 0.0  # late=S

    @property
    def spec(self) -> str:
        where = f"{self.screen}.{self.step}" if self.screen else self.step
        if self.start != 1:
            where += f"#{self.start}"
        action = f"late={self.seconds:g}" if self.action == "late" else self.action
        times = "" if self.times == 1 else "x*" if self.times is None else f"x{self.times}"
        return f"at={where}:{action}{times}"

    def matches(self, step: str) -> bool:
        return step_matches(self.screen, self.step, step)


def parse_step_fault(spec: str) -> StepFault:
    """``at=send:drop`` (the ``at=`` may be left out) as a StepFault."""
    text = spec.strip()
    text = text[3:] if text.lower().startswith("at=") else text
    found = _AT.fullmatch(text.lower().replace("-", "_"))
    if found is None:
        raise ValueError(f"fault {spec!r} is not {AT_HELP}")
    screen, step, action = found["screen"], found["step"], found["action"]
    if screen is not None and screen not in SCREENS:
        raise ValueError(f"fault {spec!r}: no screen {screen!r} (screens: {', '.join(SCREENS)})")
    if step not in STEPS and step not in GROUPS:
        raise ValueError(
            f"fault {spec!r}: no step {step!r} (steps: {', '.join([*STEPS, *GROUPS])})"
        )
    if action == "expire" and step in {"login_page", "login"}:
        raise ValueError(f"fault {spec!r}: there is no session to expire before the login")
    times_text = found["times"]
    if action == "down" and times_text is not None:
        raise ValueError(f"fault {spec!r}: down lasts until disarmed; it takes no xN")
    times = None if times_text == "*" else int(times_text or 1)
    start = int(found["start"] or 1)
    if times == 0 or start == 0:
        raise ValueError(f"fault {spec!r}: #K and xN count from 1")
    seconds = 0.0
    if found["seconds"] is not None:
        seconds = _number(spec, found["seconds"], float, minimum=0)
        action = "late"
    return StepFault(step, action, screen, start, times, seconds)


@dataclass(frozen=True)
class Faults:
    latency_ms: int = 0
    unavailable: int = 0
    session_expiry: int = 0
    late_confirm_s: float = 0.0
    job_fail: float | None = None
    down: bool = False
    at: tuple[StepFault, ...] = ()  # armed at start-up

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
        specs.extend(fault.spec for fault in self.at)
        return specs


NO_FAULTS: Final = Faults()


def parse_faults(specs: Sequence[str]) -> Faults:
    """Combine ``--fault`` specs; each may also hold several, comma-separated."""
    values: dict[str, object] = {}
    armed: list[StepFault] = []
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
            if key == "at":
                armed.append(parse_step_fault(part))
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
    return Faults(**values, at=tuple(armed))  # type: ignore[arg-type]


def _number(part: str, value: str, kind: type[T], *, minimum: float) -> T:
    try:
        number = kind(value)
    except ValueError:
        raise ValueError(f"fault {part!r}: {value!r} is not a {kind.__name__}") from None
    if number < minimum:
        raise ValueError(f"fault {part!r}: must be at least {minimum:g}")
    return number
