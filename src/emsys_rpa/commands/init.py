"""``emsys-rpa init``: set up a new installation — config file, password, and a first check.

Asks for the portal's URL and the user (or takes ``--url`` and ``--user``, for scripts), keeps
the password in the system keyring when there is one (otherwise says how to give it through
``EMSYS_PASSWORD``), writes the config file where ``run`` looks for it, and runs ``check``.
An existing config file (or profile) is never overwritten without ``--force``.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from pydantic import SecretStr

from emsys_rpa.commands.check import run_check
from emsys_rpa.commands.common import ProfileOption, load
from emsys_rpa.errors import ConfigError, ExitStatus
from emsys_rpa.fsutil import private_dir, private_file
from emsys_rpa.secrets import KEYRING_SERVICE, register_secret
from emsys_rpa.settings import PASSWORD_ENV, PortalSettings, user_config_path
from emsys_rpa.wording import _, language


def _toml(value: str) -> str:
    # A TOML basic string: JSON's escapes are TOML's.
    return json.dumps(value, ensure_ascii=False)


def config_text(url: str, user: str, lang: str) -> str:
    return (
        f"# emsys-rpa configuration, written by `emsys-rpa init` on {date.today():%Y-%m-%d}.\n"
        "# Every key is described in config.example.toml. The password is never kept here.\n"
        f"username = {_toml(user)}\n\n"
        "[portal]\n"
        f"url = {_toml(url)}\n\n"
        "[ui]\n"
        f"language = {_toml(lang)}\n"
    )


def profile_text(name: str, url: str, user: str) -> str:
    return f"\n[profiles.{name}]\nurl = {_toml(url)}\nusername = {_toml(user)}\n"


def _has_profile(text: str, name: str) -> bool:
    import tomllib

    try:
        return name in tomllib.loads(text).get("profiles", {})
    except tomllib.TOMLDecodeError:
        return False


def write_config(path: Path, url: str, user: str, profile: str | None, *, force: bool) -> None:
    """Write (or, for a profile, add to) the config file; never overwrite without ``force``."""
    existing = path.read_text(encoding="utf-8") if path.is_file() else None
    if profile is None:
        if existing is not None and not force:
            raise ConfigError(
                _("{path} already exists; not overwritten").format(path=path),
                hint=_("use --force to replace it, or --config to write another file"),
            )
        text = config_text(url, user, language())
    else:
        if existing is not None and _has_profile(existing, profile) and not force:
            raise ConfigError(
                _("{path} already has [profiles.{name}]; not overwritten").format(
                    path=path, name=profile
                ),
                hint=_("edit it by hand, or remove that table first"),
            )
        base = existing if existing is not None else config_text("", "", language())
        if existing is None:
            base = base.replace('username = ""\n', "").replace('url = ""\n', "")
        text = base.rstrip("\n") + "\n" + profile_text(profile, url, user)
    private_dir(path.parent)
    private_file(path)
    path.write_text(text, encoding="utf-8")


def store_password(user_key: str, password: SecretStr) -> bool:
    """Keep the password in the system keyring; False when there is no usable keyring."""
    try:
        import keyring

        # The "fail" and "null" backends (priority 0 and below) keep nothing.
        if keyring.get_keyring().priority <= 0:
            return False
        keyring.set_password(KEYRING_SERVICE, user_key, password.get_secret_value())
    except Exception:  # no D-Bus, a locked wallet, no backend: "not available"
        return False
    return True


def _ask(value: str | None, prompt: str, option: str) -> str:
    if value:
        return value.strip()
    if not sys.stdin.isatty():
        raise ConfigError(
            _("{option} is required when there is no terminal to ask on").format(option=option)
        )
    answer: str = typer.prompt(prompt)
    return answer.strip()


def _password(interactive: bool, from_stdin: bool) -> SecretStr | None:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        return SecretStr(line) if line else None
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return SecretStr(from_env)
    if not interactive:
        return None
    typed: str = typer.prompt(_("Portal password (not shown)"), hide_input=True)
    return SecretStr(typed) if typed else None


def command(
    url: Annotated[
        str | None, typer.Option("--url", help="The portal's login page (https://…).")
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="The portal user.")] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="Where to write (default: the user config file)."),
    ] = None,
    profile: ProfileOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing config file.")
    ] = False,
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from standard input (scripts)."),
    ] = False,
    no_check: Annotated[
        bool, typer.Option("--no-check", help="Do not log in to check at the end.")
    ] = False,
) -> ExitStatus:
    """Set up: ask for the portal and user, keep the password, write the config, check."""
    interactive = sys.stdin.isatty()
    url = _ask(url, _("Portal address (the login page, https://…)"), "--url")
    try:
        url = PortalSettings(url=url).url or url
    except ValueError as exc:
        raise ConfigError(f"--url: {url!r}: {exc}") from None
    user = _ask(user, _("Portal user"), "--user")
    if not user:
        raise ConfigError(_("--user must not be empty"))
    path = config or user_config_path()
    write_config(path, url, user, profile, force=force)
    typer.echo(_("config: written to {path}").format(path=path))

    password = _password(interactive, password_stdin)
    register_secret(password)
    key = f"{profile}:{user}" if profile else user
    if password is not None and (password_stdin or not os.environ.get(PASSWORD_ENV)):
        if store_password(key, password):
            typer.echo(
                _("password: kept in the system keyring ({service} / {key})").format(
                    service=KEYRING_SERVICE, key=key
                )
            )
        else:
            typer.echo(
                _(
                    "password: no system keyring here; give it to every run in the "
                    "environment variable {env} (see deploy/emsys-rpa.env.example)"
                ).format(env=PASSWORD_ENV)
            )
    elif password is None:
        typer.echo(
            _("password: not given; set {env}, or run `keyring set {service} {key}`").format(
                env=PASSWORD_ENV, service=KEYRING_SERVICE, key=key
            )
        )
    if no_check:
        return ExitStatus.OK
    settings = load(path, profile=profile)
    if settings.password is None and password is not None:
        settings = settings.model_copy(update={"password": password})
    run_check(settings)
    typer.echo(_("Ready: `emsys-rpa run` will use this configuration."))
    return ExitStatus.OK
