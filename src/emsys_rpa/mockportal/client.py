"""A handle on a running mock portal, over HTTP only: in this process or another.

``running_mock_portal`` yields a ``MockPortal`` (a subclass); for a portal started with
``emsys-rpa mock-portal --port 8080``, ``MockPortalClient("http://127.0.0.1:8080")`` does the
same. Every control goes through ``POST /__mock__/control``, so what a test can do here, a
user's CI can do with curl.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from emsys_rpa.mockportal.pages import LOGIN_PATH
from emsys_rpa.mockportal.portal import DEMO_PASSWORD, DEMO_USERNAME

CONTROL_PATH = "/__mock__/control"


class MockPortalControlError(RuntimeError):
    """The control endpoint refused a change (its message says why)."""


@dataclass
class MockPortalClient:
    base_url: str  # http://127.0.0.1:PORT
    username: str = DEMO_USERNAME
    password: str = field(default=DEMO_PASSWORD, repr=False)

    @property
    def url(self) -> str:
        """The login page: what a user configures as ``portal.url``."""
        return self.base_url + LOGIN_PATH

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    # -- reading -------------------------------------------------------------------------------

    def ledger(self) -> dict[str, Any]:
        """What ``GET /__mock__/ledger`` answers."""
        return self._call("GET", "/__mock__/ledger")  # type: ignore[no-any-return]

    def requests(self) -> list[dict[str, Any]]:
        """What ``GET /__mock__/requests`` answers: every portal request, oldest first."""
        return self._call("GET", "/__mock__/requests")  # type: ignore[no-any-return]

    def fired(self, fault_id: int | None = None) -> list[dict[str, Any]]:
        """The armed faults that fired (one entry per request), or those of one fault."""
        fired: list[dict[str, Any]] = self.ledger()["fired_faults"]
        return [f for f in fired if fault_id is None or f["id"] == fault_id]

    def wait_for_jobs(self, timeout_s: float = 60.0) -> dict[str, Any]:
        """Poll the ledger until no job is queued or running; returns the last ledger."""
        deadline = time.monotonic() + timeout_s
        while True:
            ledger = self.ledger()
            busy = [j for j in ledger["jobs"] if j["status"] in {"queued", "running"}]
            if not busy or time.monotonic() > deadline:
                return ledger
            time.sleep(0.1)

    # -- changing the portal (POST /__mock__/control) ---------------------------------------

    def control(self, **changes: Any) -> dict[str, Any]:
        """Send changes as they are (control.py lists the keys); returns the controls' state."""
        return self._call("POST", CONTROL_PATH, changes)  # type: ignore[no-any-return]

    def arm(self, *specs: str) -> list[int]:
        """Arm faults at steps (``"at=send:drop"``, ``"history:503x2"``); returns their ids."""
        return list(self.control(arm=list(specs))["armed"])

    def disarm(self, *fault_ids: int) -> None:
        """Disarm these faults, or every one when none is named (``down`` stays: set_down)."""
        self.control(disarm=list(fault_ids) if fault_ids else "all")

    def set_password(self, password: str) -> None:
        self.control(password=password)
        self.password = password

    def set_username(self, username: str) -> None:
        self.control(username=username)
        self.username = username

    def lock_user(self, username: str | None = None) -> None:
        """Lock an account (the portal's own user by default), as 5 wrong passwords do."""
        self.control(lock=[username or self.username])

    def unlock_user(self, username: str | None = None) -> None:
        self.control(unlock=[username or self.username])

    def set_latency(self, milliseconds: int) -> None:
        self.control(latency_ms=milliseconds)

    def set_down(self, down: bool = True) -> None:
        self.control(down=down)

    def set_job_fail(self, fraction: float | None) -> None:
        """Jobs that start from now on fail after that fraction (None: they do not fail)."""
        self.control(job_fail=fraction)

    def set_now(self, when: datetime | str) -> None:
        """Set the portal's clock (a naive value or text is Europe/Bucharest wall time)."""
        self.control(now=when if isinstance(when, str) else when.isoformat())

    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(  # noqa: S310 (our own http://127.0.0.1 URL)
            self.base_url + path,
            method=method,
            data=None if payload is None else json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"} if payload is not None else {},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return json.load(response)
        except urllib.error.HTTPError as exc:
            try:
                reason = json.load(exc).get("error", exc.reason)
            except ValueError:
                reason = exc.reason
            raise MockPortalControlError(f"{method} {path}: {exc.code} {reason}") from None
