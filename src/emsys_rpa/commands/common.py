"""What several commands share: command-line values turned into the Settings layout."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from emsys_rpa.errors import ConfigError

LOG_FORMATS = ("auto", "console", "json")


def overrides(
    *,
    only: str | None = None,
    dry_run: bool = False,
    headed: bool = False,
    slow_mo: int | None = None,
    report_dir: Path | None = None,
    verify_timeout: float | None = None,
    force: bool = False,
    period_from: date | None = None,
    period_to: date | None = None,
    log_format: str | None = None,
) -> dict[str, Any]:
    """Command-line values in the Settings layout; flags not given do not hide the config."""
    return {
        "run": {
            "only": only,
            "dry_run": True if dry_run else None,
            "force": True if force else None,
            "report_dir": report_dir,
            "verify_timeout_s": verify_timeout,
            "period_from": period_from,
            "period_to": period_to,
        },
        "browser": {"headless": False if headed else None, "slow_mo_ms": slow_mo},
        "log": {"format": log_format},
    }


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ConfigError(f"{option}: {value!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def check_log_format(value: str | None) -> None:
    if value is not None and value not in LOG_FORMATS:
        raise ConfigError(f"--log-format: use {', '.join(LOG_FORMATS[:-1])} or {LOG_FORMATS[-1]}")
