"""What several commands share: command-line values turned into the Settings layout."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from emsys_rpa.errors import ConfigError
from emsys_rpa.settings import Settings, load_settings
from emsys_rpa.wording.i18n import LANGUAGES, set_language

LOG_FORMATS = ("auto", "console", "json")

# Options several commands share, declared once.
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="Config file (TOML; default: ./emsys-rpa.toml, then the "
        "user config file that `init` writes).",
    ),
]
ProfileOption = Annotated[
    str | None,
    typer.Option(
        "--profile",
        "-p",
        envvar="EMSYS_PROFILE",
        help="Use the portal of [profiles.NAME] (its own ledger, lock and runs).",
    ),
]

# Whether --lang (or EMSYS_LANG) chose the language: then the config's [ui] language does not.
_lang_from_command_line: list[bool] = [False]


def choose_language(value: str | None) -> None:
    """--lang / EMSYS_LANG: set the language now (None: the system locale's, for now)."""
    if value is not None and value.lower() not in LANGUAGES:
        raise ConfigError(f"--lang: use {' or '.join(LANGUAGES)} (got {value!r})")
    _lang_from_command_line[0] = value is not None
    set_language(value)


def load(
    config: Path | None,
    values: Mapping[str, Any] | None = None,
    *,
    profile: str | None = None,
    use_keyring: bool = True,
) -> Settings:
    """Settings for a command, and the language they ask for unless --lang said otherwise."""
    settings = load_settings(config, values, use_keyring=use_keyring, profile=profile)
    if not _lang_from_command_line[0] and settings.ui.language is not None:
        set_language(settings.ui.language)
    return settings


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
    raise ConfigError(
        f"{option}: {value!r} is not a date (use YYYY-MM-DD, DD/MM/YYYY or DD.MM.YYYY)"
    )


def check_log_format(value: str | None) -> None:
    if value is not None and value not in LOG_FORMATS:
        raise ConfigError(f"--log-format: use {', '.join(LOG_FORMATS[:-1])} or {LOG_FORMATS[-1]}")
