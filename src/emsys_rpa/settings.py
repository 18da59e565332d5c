"""One typed ``Settings`` object, loaded once at the edge and passed down.

Sources, highest priority first: command line > environment (``EMSYS_`` prefix) > TOML file >
defaults. Environment names follow the TOML layout: ``[portal] url`` is ``EMSYS_PORTAL_URL``,
``[browser] executable`` is ``EMSYS_BROWSER_EXECUTABLE``; the top-level ``username`` and
``password`` are ``EMSYS_USERNAME`` and ``EMSYS_PASSWORD``.

The password is never read from the TOML file (files get copied, committed and mailed around):
it comes from the environment or the OS keyring.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from emsys_rpa import notify_urls
from emsys_rpa.errors import ConfigError
from emsys_rpa.secrets import KEYRING_SERVICE, secret_from_env_or_keyring
from emsys_rpa.selector_keys import SELECTOR_KEYS, unknown_selector_key

APP_NAME = "emsys-rpa"
LOCAL_CONFIG_NAME = "emsys-rpa.toml"
PASSWORD_ENV = "EMSYS_PASSWORD"  # noqa: S105 (a variable name, not a password)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PortalSettings(_Section):
    url: str | None = None
    timezone: str = "Europe/Bucharest"
    date_format: str = "%d/%m/%Y"
    navigation_timeout_s: float = Field(30.0, gt=0)
    action_timeout_s: float = Field(15.0, gt=0)
    ca_bundle: Path | None = None
    ignore_https_errors: bool = False

    @field_validator("url")
    @classmethod
    def _url_is_http(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value.startswith(("http://", "https://")):
            raise ValueError(
                "must start with http:// or https://, e.g. https://emsys.example.ro/admin"
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}, e.g. Europe/Bucharest") from exc
        return value

    @field_validator("ca_bundle")
    @classmethod
    def _bundle_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"file {value} does not exist")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class BrowserSettings(_Section):
    executable: Path | None = None
    channel: str | None = None
    headless: bool = True
    slow_mo_ms: int = Field(0, ge=0)
    extra_args: tuple[str, ...] = ()


class RunSettings(_Section):
    # Task names to run (the task registry checks them); None: every task, in the manual's order.
    only: tuple[str, ...] | None = None
    dry_run: bool = False
    force: bool = False
    report_dir: Path | None = None
    runs_root: Path = Path("runs")
    verify_timeout_s: float = Field(600.0, gt=0)
    period_from: date | None = None
    period_to: date | None = None
    check_manual_alerts: bool = True
    # on-failure / always: actions only (the run's screenshots are the pictures); full: a
    # screencast and DOM snapshots too, always kept.
    trace: Literal["off", "on-failure", "always", "full"] = "on-failure"

    @field_validator("only", mode="before")
    @classmethod
    def _split_only(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value


class RetrySettings(_Section):
    attempts: int = Field(3, ge=1, le=10)
    initial_backoff_s: float = Field(1.0, ge=0)
    max_backoff_s: float = Field(20.0, ge=0)


class EmailNotifySettings(_Section):
    smtp_host: str | None = None
    smtp_port: int = 587
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    sender: str | None = None
    recipients: tuple[str, ...] = ()
    attach_report: bool = True
    timeout_s: float = 30.0


class WebhookNotifySettings(_Section):
    url: str | None = None
    kind: Literal["generic", "teams", "slack"] = "generic"
    timeout_s: float = 15.0


class NotifySettings(_Section):
    """When to notify, and where: one Apprise URL per channel (``notify_urls`` has the rules),
    plus the older ``email`` and ``webhook`` tables, still honoured."""

    on: Literal["never", "failure", "always"] = "failure"
    urls: tuple[str, ...] = ()
    attach_report: bool = True
    # The longest one channel may take (Apprise gives up on it then; the run goes on).
    timeout_s: float = Field(60.0, gt=0)
    email: EmailNotifySettings = EmailNotifySettings()
    webhook: WebhookNotifySettings = WebhookNotifySettings()

    @property
    def configured(self) -> bool:
        return bool(self.urls or self.email.smtp_host or self.email.recipients or self.webhook.url)


class StateSettings(_Section):
    """Where the run ledger and the lock live (default: the platform's user data folder)."""

    dir: Path | None = None

    @property
    def resolved_dir(self) -> Path:
        return self.dir or Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class UiSettings(_Section):
    """What people read: ``ro`` or ``en`` (None: the system locale's, ro_* being Romanian)."""

    language: Literal["ro", "en"] | None = None


class ProfileSettings(_Section):
    """One portal among several served from one install (``--profile NAME``).

    Its url, user and selectors replace the top-level ones; it gets its own ledger, lock and
    runs listing (``<state.dir>/profiles/NAME``) and its own run folders (``runs/NAME/``).
    """

    url: str | None = None
    username: str | None = None
    timezone: str | None = None
    selectors: dict[str, str] = Field(default_factory=dict)

    @field_validator("url")
    @classmethod
    def _url_is_http(cls, value: str | None) -> str | None:
        return PortalSettings._url_is_http(value)

    @field_validator("selectors")
    @classmethod
    def _known_selector_keys(cls, value: dict[str, str]) -> dict[str, str]:
        return _known_selectors(value)


class LogSettings(_Section):
    format: Literal["auto", "console", "json"] = "auto"
    level: Literal["debug", "info", "warning", "error"] = "info"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="EMSYS_",
        env_nested_delimiter="_",
        env_nested_max_split=1,
        extra="forbid",
        frozen=True,
    )

    username: str | None = None
    password: SecretStr | None = None
    portal: PortalSettings = PortalSettings()
    browser: BrowserSettings = BrowserSettings()
    run: RunSettings = RunSettings()
    retry: RetrySettings = RetrySettings()
    selectors: dict[str, str] = Field(default_factory=dict)

    @field_validator("selectors")
    @classmethod
    def _known_selector_keys(cls, value: dict[str, str]) -> dict[str, str]:
        return _known_selectors(value)

    notify: NotifySettings = NotifySettings()
    state: StateSettings = StateSettings()
    log: LogSettings = LogSettings()
    ui: UiSettings = UiSettings()
    profiles: dict[str, ProfileSettings] = Field(default_factory=dict)
    # The profile this Settings was made for (set by with_profile, never read from a source).
    _profile: str | None = PrivateAttr(default=None)

    @property
    def profile(self) -> str | None:
        return self._profile

    # Set by load_settings() just before instantiation; None means "no file".
    _toml_file: ClassVar[Path | None] = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if cls._toml_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=cls._toml_file))
        return tuple(sources)

    def require_portal(self) -> None:
        """Raise ConfigError naming everything a run against a real portal still lacks."""
        problems = []
        from emsys_rpa.wording.i18n import _

        if not self.portal.url:
            problems.append(
                _(
                    'portal.url is not set: run `emsys-rpa init`, or put `url = "https://…"` '
                    "under [portal] in the config file, or set EMSYS_PORTAL_URL"
                )
            )
        if not self.username:
            problems.append(
                _(
                    'username is not set: run `emsys-rpa init`, or put `username = "…"` at '
                    "the top of the config file, or set EMSYS_USERNAME"
                )
            )
        if self.password is None or not self.password.get_secret_value():
            problems.append(
                _(
                    "password is not set: run `emsys-rpa init` (it stores it in the system "
                    "keyring), or set EMSYS_PASSWORD, or run `keyring set {service} {user}`"
                ).format(service=KEYRING_SERVICE, user=self.keyring_user or "<username>")
            )
        if problems:
            raise ConfigError(problems)

    @property
    def keyring_user(self) -> str | None:
        """The name the password is kept under in the keyring (a profile's: NAME:user)."""
        if not self.username:
            return None
        return f"{self.profile}:{self.username}" if self.profile else self.username


def _known_selectors(value: dict[str, str]) -> dict[str, str]:
    unknown = [key for key in value if key not in SELECTOR_KEYS]
    if unknown:
        raise ValueError("; ".join(unknown_selector_key(key) for key in unknown))
    return value


def user_config_path() -> Path:
    """The per-user config file (``emsys-rpa init`` writes it; ``run`` reads it)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def default_config_paths() -> list[Path]:
    """Where a config file is looked for when --config is not given, in order."""
    return [Path.cwd() / LOCAL_CONFIG_NAME, user_config_path()]


def find_config_file(explicit: Path | None) -> Path | None:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(
                f"config file {explicit} does not exist",
                hint="copy config.example.toml there, or drop --config",
            )
        return explicit
    return next((p for p in default_config_paths() if p.is_file()), None)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc


def _refuse_password_in_file(data: Mapping[str, Any], path: Path, prefix: str = "") -> None:
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            if key != "selectors":
                _refuse_password_in_file(value, path, f"{dotted}.")
        elif "password" in key.lower() or "secret" in key.lower():
            raise ConfigError(
                f"{path}: `{dotted}` holds a secret; secrets are never read from the config file",
                hint=(
                    "delete that line and set the EMSYS_PASSWORD environment variable "
                    f"(SMTP: EMSYS_SMTP_PASSWORD), or store it with `keyring set {KEYRING_SERVICE} "
                    "<username>`"
                ),
            )


def _format_validation_error(exc: ValidationError) -> list[str]:
    lines = []
    for err in exc.errors():
        loc = ".".join(str(part) for part in err["loc"]) or "(root)"
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key (check its spelling against config.example.toml)"
        given = err.get("input")
        # Never echo what may be a secret: a password, or a notification URL with its token.
        secret = "password" in loc or loc.startswith("notify.")
        shown = "" if err["type"] == "extra_forbidden" or secret else f" (got {given!r})"
        lines.append(f"{loc}: {msg}{shown}")
    return lines


def load_settings(
    config_file: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    use_keyring: bool = True,
    profile: str | None = None,
) -> Settings:
    """Build Settings from CLI overrides, environment, TOML file and defaults.

    ``overrides`` uses the nested layout (``{"run": {"dry_run": True}}``); None values are
    dropped so that an option the user did not give never hides a lower source.
    """
    path = find_config_file(config_file)
    if path is not None:
        data = _read_toml(path)
        _refuse_password_in_file(data, path)
        notify_urls.refuse_secrets_in_file(data, path, [f.upper() for f in Settings.model_fields])
    init = _drop_none(dict(overrides or {}))
    Settings._toml_file = path
    try:
        settings = Settings(**init)
    except ValidationError as exc:
        where = f" (config file: {path})" if path else ""
        raise ConfigError(
            _format_validation_error(exc), hint=f"fix the keys above{where}"
        ) from None
    finally:
        Settings._toml_file = None
    if settings.notify.configured:
        notify_urls.check(settings.notify)
    if profile is not None:
        settings = with_profile(settings, profile, path)
    if settings.password is None and use_keyring:
        secret = secret_from_env_or_keyring(PASSWORD_ENV, KEYRING_SERVICE, settings.keyring_user)
        if secret is not None:
            settings = settings.model_copy(update={"password": secret})
    return settings


def with_profile(settings: Settings, name: str, path: Path | None = None) -> Settings:
    """``settings`` for the portal of ``[profiles.NAME]``: its url, user, zone and selectors,
    and a state folder and runs folder of its own."""
    chosen = settings.profiles.get(name)
    if chosen is None:
        known = ", ".join(sorted(settings.profiles)) or "none"
        where = f" in {path}" if path else ""
        raise ConfigError(
            f"--profile {name}: no [profiles.{name}] table{where} (profiles: {known})",
            hint=f"add one, or run `emsys-rpa init --profile {name}`",
        )
    portal = settings.portal.model_copy(
        update={
            "url": chosen.url or settings.portal.url,
            "timezone": chosen.timezone or settings.portal.timezone,
        }
    )
    state = StateSettings(dir=settings.state.resolved_dir / "profiles" / name)
    run = settings.run.model_copy(update={"runs_root": settings.run.runs_root / name})
    chosen_settings = settings.model_copy(
        update={
            "portal": portal,
            "username": chosen.username or settings.username,
            "selectors": {**settings.selectors, **chosen.selectors},
            "state": state,
            "run": run,
        }
    )
    chosen_settings._profile = name
    return chosen_settings


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = _drop_none(value)
            if not value:
                continue
        if value is None:
            continue
        cleaned[key] = value
    return cleaned
