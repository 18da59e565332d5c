"""``/__mock__/control``: change the running portal from a test (loopback clients only).

``POST`` a JSON object with any of these keys; everything is checked before anything changes:

- ``username``, ``password``: new credentials (sessions already open stay open);
- ``lock``, ``unlock``: a user name or a list of them (unlocking also forgets failed logins);
- ``disarm``: fault ids, or ``"all"``; ``arm``: ``at=`` specs (faults.py), or a list of them;
- ``latency_ms`` (int), ``down`` (bool), ``job_fail`` (fraction, or null): global faults;
- ``now``: set the clock (``2026-10-25T03:30``, Europe/Bucharest; ``+02:00`` allowed).

The answer (also to ``GET``) is the controls' state, and ``armed``: the ids just armed. The
password is never in it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from emsys_rpa.mockportal.clock import parse_local_datetime
from emsys_rpa.mockportal.faults import StepFault, parse_step_fault
from emsys_rpa.mockportal.portal import PortalState

KEYS: Final = (
    "username",
    "password",
    "lock",
    "unlock",
    "disarm",
    "arm",
    "latency_ms",
    "down",
    "job_fail",
    "now",
)


@dataclass
class Changes:
    credentials: dict[str, str] = field(default_factory=dict)
    lock: list[str] = field(default_factory=list)
    unlock: list[str] = field(default_factory=list)
    disarm: list[int] | None = field(default_factory=list)  # None: all
    arm: list[StepFault] = field(default_factory=list)
    faults: dict[str, object] = field(default_factory=dict)
    now: datetime | None = None


def parse_changes(body: object) -> Changes:
    """The request's JSON as Changes; ValueError says what is wrong."""
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object")
    unknown = sorted(set(body) - set(KEYS))
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}; keys: {', '.join(KEYS)}")
    changes = Changes()
    for key in ("username", "password"):
        if key in body:
            value = body[key]
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{key} must be a non-empty string")
            changes.credentials[key] = value
    changes.lock = _strings(body, "lock")
    changes.unlock = _strings(body, "unlock")
    changes.arm = [parse_step_fault(spec) for spec in _strings(body, "arm")]
    changes.disarm = _ids(body.get("disarm", []))
    if "latency_ms" in body:
        latency = body["latency_ms"]
        if type(latency) is not int or latency < 0:
            raise ValueError("latency_ms must be a whole number of milliseconds, 0 or more")
        changes.faults["latency_ms"] = latency
    if "down" in body:
        if not isinstance(body["down"], bool):
            raise ValueError("down must be true or false")
        changes.faults["down"] = body["down"]
    if "job_fail" in body:
        fraction = body["job_fail"]
        if fraction is not None and (type(fraction) not in {int, float} or not 0 <= fraction <= 1):
            raise ValueError("job_fail must be a fraction between 0 and 1, or null")
        changes.faults["job_fail"] = fraction
    if "now" in body:
        if not isinstance(body["now"], str):
            raise ValueError("now must be a date-time string like 2026-10-25T03:55")
        changes.now = parse_local_datetime(body["now"])
    return changes


def apply_changes(portal: PortalState, changes: Changes) -> list[int]:
    """Apply checked changes; returns the ids of the faults armed."""
    portal.set_credentials(changes.credentials.get("username"), changes.credentials.get("password"))
    portal.lock_users(changes.unlock, locked=False)
    portal.lock_users(changes.lock, locked=True)
    if changes.disarm is None or changes.disarm:
        portal.armed.disarm(changes.disarm)
    ids = portal.armed.arm(changes.arm, "control")
    if changes.faults:
        portal.set_faults(**changes.faults)
    if changes.now is not None:
        portal.clock.set_now(changes.now)
    return ids


def control_state(portal: PortalState) -> dict[str, Any]:
    faults = portal.faults
    return {
        "username": portal.username,
        "locked_users": sorted(portal.stats.locked_users),
        "latency_ms": faults.latency_ms,
        "down": faults.down,
        "job_fail": faults.job_fail,
        "now": portal.clock.now().isoformat(timespec="seconds"),
        "faults": faults.describe(),
        "armed_faults": portal.armed.describe(),
    }


def control_endpoint(portal: PortalState) -> Callable[[Request], Awaitable[Response]]:
    async def control(request: Request) -> Response:
        if not _loopback(request):
            refusal = {"error": "the control endpoint answers loopback clients only"}
            return JSONResponse(refusal, 403)
        if request.method == "GET":
            return JSONResponse(control_state(portal))
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            # Also keeps a web page's plain form post from changing the portal.
            return JSONResponse({"error": "send JSON (Content-Type: application/json)"}, 415)
        try:
            changes = parse_changes(await request.json())
            portal.armed.check_ids(changes.disarm or [])
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, 400)
        armed = apply_changes(portal, changes)
        return JSONResponse({"armed": armed, **control_state(portal)})

    return control


def _loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


def _strings(body: dict[str, Any], key: str) -> list[str]:
    value = body.get(key, [])
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise ValueError(f"{key} must be a string or a list of strings")
    return values


def _ids(value: object) -> list[int] | None:
    if value == "all":
        return None
    values = [value] if type(value) is int else value
    if not isinstance(values, list) or not all(type(v) is int for v in values):
        raise ValueError('disarm must be a fault id, a list of them, or "all"')
    return values
