"""What found each control, per portal: learned after a verified run, tried first next time.

Beside the run ledger in the state folder, ``learned-locators.json`` maps a portal (its
address without path: scheme, host, port) to, for each ``[selectors]`` key, the name of the
strategy that found the control ("name", "beside", "row"…). Only a run whose every task was
verified teaches it; a run that had to fall back to another strategy says so as a warning.
The file is a hint, never a rule: unreadable or stale, it is ignored and rewritten.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import structlog

from emsys_rpa.fsutil import private_file

log = structlog.get_logger("emsys_rpa.ledger")

FILE_NAME = "learned-locators.json"


def portal_key(url: str) -> str:
    """The portal an address belongs to: scheme, host and port (paths differ per screen)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class LearnedLocators:
    """The learned strategies of one portal, in ``state_dir``."""

    def __init__(self, state_dir: Path, portal_url: str) -> None:
        self.path = state_dir / FILE_NAME
        self.portal = portal_key(portal_url)

    def _all(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def load(self) -> dict[str, str]:
        """Key → strategy for this portal (empty when nothing was learned yet)."""
        entry = self._all().get(self.portal)
        found = entry.get("controls") if isinstance(entry, dict) else None
        if not isinstance(found, dict):
            return {}
        return {str(k): str(v) for k, v in found.items() if isinstance(v, str)}

    def save(self, used: Mapping[str, str]) -> None:
        """Merge what found each control in this run into the file (written atomically)."""
        if not used:
            return
        everything = self._all()
        controls = {**self.load(), **used}
        everything[self.portal] = {
            "controls": dict(sorted(controls.items())),
            "learned_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".json.partial")
        private_file(partial)
        partial.write_text(json.dumps(everything, indent=2, ensure_ascii=False), "utf-8")
        partial.replace(self.path)
        log.info("learned how each control is found", portal=self.portal, controls=len(used))
