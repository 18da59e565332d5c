"""Notification channels as Apprise URLs: where each one is configured, its secrets, its checks.

A channel is one Apprise URL (``mailtos://…``, ``workflows://…``, ``slack://…``, ``tgram://…``,
``ntfy://…``, ``json://…``): each entry of ``[notify] urls``, and the older ``[notify.email]``
and ``[notify.webhook]`` tables turned into the URL they stand for.

Secrets are never read from the config file. A URL names a secret with a placeholder,
``{NAME}``, filled in only when sending: from the environment variable NAME, else the OS
keyring entry (service ``emsys-rpa-notify``, user NAME). The value is URL-encoded into place
and registered with the redactor. A URL in the file that shows a password or a token
(``user:pw@``, ``?pass=…``, ``?token=…``) is refused.

Apprise is imported only to check a configured channel and to send: it is slow to import.
"""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from pydantic import SecretStr

from emsys_rpa.errors import ConfigError
from emsys_rpa.secrets import NOTIFY_KEYRING_SERVICE, secret_from_env_or_keyring

if TYPE_CHECKING:
    from apprise import AppriseAsset
    from apprise.plugins.base import NotifyBase

    from emsys_rpa.settings import EmailNotifySettings, NotifySettings

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Query arguments that hold a secret in Apprise URLs (pass, password, token, apikey, key, …).
_SECRET_ARG = re.compile(r"pass|pwd|secret|token|key", re.IGNORECASE)
# Stands for a placeholder's value when a URL is checked before any secret is read.
_STAND_IN = "emsys0stand0in"
EXAMPLE = "mailtos://robot:{EMSYS_SMTP_PASSWORD}@example.ro?smtp=smtp.example.ro&to=…"


@dataclass(frozen=True)
class Channel:
    key: str  # where it is configured, for messages: notify.urls[0], notify.email, …
    url: str  # an Apprise URL, {NAME} placeholders not yet filled in
    attach: bool  # attach report.html if the service takes attachments
    timeout_s: float | None = None  # the older tables' socket timeout; else Apprise's


def channels(notify: NotifySettings, *, smtp_password: SecretStr | None = None) -> list[Channel]:
    """Every configured channel, in order: ``urls``, then ``[notify.email]``, ``[notify.webhook]``.

    A ``generic`` webhook is not among them: its JSON body is emsys-rpa's own (see notify.py).
    """
    found = [
        Channel(f"notify.urls[{index}]", url, notify.attach_report)
        for index, url in enumerate(notify.urls)
    ]
    email = notify.email
    if email.smtp_host or email.recipients:
        url = _email_url(email, smtp_password)
        found.append(Channel("notify.email", url, email.attach_report, email.timeout_s))
    webhook = notify.webhook
    if webhook.url and webhook.kind != "generic":
        # Apprise recognises Slack's and Teams Workflows' own https:// webhook URLs.
        found.append(Channel("notify.webhook", webhook.url, False, webhook.timeout_s))
    return found


def _email_url(email: EmailNotifySettings, password: SecretStr | None) -> str:
    """``[notify.email]`` as the Apprise URL it stands for (README: the mapping)."""
    scheme = "mailto" if email.security == "none" else "mailtos"
    auth = quote(email.username or "", safe="")
    if auth and password is not None:
        auth += ":" + quote(password.get_secret_value(), safe="")
    args = {
        "to": ",".join(email.recipients),
        "from": email.sender or _default_sender(email.username),
        "smtp": email.smtp_host or "",  # explicit: no provider defaults guessed from the domain
    }
    if email.security != "none":
        args["mode"] = email.security
    host = f"{email.smtp_host or ''}:{email.smtp_port}"
    return f"{scheme}://{auth + '@' if auth else ''}{host}/?{urlencode(args)}"


def _default_sender(username: str | None) -> str:
    if username and "@" in username:
        return username
    host = socket.getfqdn()
    return f"emsys-rpa@{host if '.' in host else 'localhost'}"


def fill_in(url: str) -> str:
    """``url`` with each ``{NAME}`` replaced by its secret (registered with the redactor)."""

    def value(match: re.Match[str]) -> str:
        name = match[1]
        secret = secret_from_env_or_keyring(name, NOTIFY_KEYRING_SERVICE, name)
        if secret is None:
            raise ConfigError(
                f"{{{name}}} is not set: set the environment variable {name}, or run "
                f"`keyring set {NOTIFY_KEYRING_SERVICE} {name}`"
            )
        return quote(secret.get_secret_value(), safe="")

    return PLACEHOLDER.sub(value, url)


def visible_secret(url: str) -> str | None:
    """Which part of ``url`` shows a password or token in plain text, if any."""
    try:
        parts = urlsplit(url)
    except ValueError:  # not a URL at all: check() says so, naming it
        return None
    args = parse_qsl(parts.query, keep_blank_values=True)
    if parts.password and not _placeholders_only(parts.password):
        return "the password after `user:`"
    # Apprise reads `secret@host?user=name` as the password `secret` of the user `name`.
    password_alone = not parts.password and any(name == "user" for name, _ in args)
    if parts.username and password_alone and not _placeholders_only(parts.username):
        return "the password before `@`"
    for name, value in args:
        if _SECRET_ARG.search(name) and value and not _placeholders_only(value):
            return f"`{name}=`"
    return None


def _placeholders_only(text: str) -> bool:
    return not PLACEHOLDER.sub("", text)


def refuse_secrets_in_file(data: Mapping[str, Any], path: Path, settings_fields: list[str]) -> None:
    """ConfigError if a ``[notify] urls`` entry of the file shows a secret, or names one with a
    placeholder the settings would read as one of theirs (``EMSYS_NOTIFY_…``)."""
    notify = data.get("notify")
    urls = notify.get("urls") if isinstance(notify, Mapping) else None
    for index, url in enumerate(urls if isinstance(urls, list) else []):
        if not isinstance(url, str):
            continue
        key = f"notify.urls[{index}]"
        shown = visible_secret(url)
        if shown is not None:
            raise ConfigError(
                f"{path}: `{key}` shows a secret ({shown}); secrets are never read from the "
                "config file",
                hint=f"write a placeholder in its place, e.g. {EXAMPLE}, and set that "
                f"environment variable (or `keyring set {NOTIFY_KEYRING_SERVICE} "
                "EMSYS_SMTP_PASSWORD`)",
            )
        for name in PLACEHOLDER.findall(url):
            taken = next(
                (f for f in settings_fields if name.upper().startswith(f"EMSYS_{f}_")), None
            )
            if taken is not None:
                raise ConfigError(
                    f"{path}: `{key}`: the environment variable {name} would be read as a "
                    f"[{taken.lower()}] setting",
                    hint="name the secret otherwise, e.g. {EMSYS_SMTP_PASSWORD}",
                )


def check(notify: NotifySettings) -> None:
    """ConfigError naming each configured channel that could not be sent as it stands.

    A URL whose placeholders Apprise rejects in their stand-in form (a Telegram bot token has a
    format of its own) is checked again, with its secrets, when sending.
    """
    problems = []
    email = notify.email
    email_incomplete = bool(email.smtp_host) != bool(email.recipients)
    if email_incomplete:
        problems.append("notify.email: set both smtp_host and recipients (or neither)")
    webhook = notify.webhook
    if webhook.url and webhook.kind == "generic" and not _is_http(webhook.url):
        problems.append("notify.webhook.url: must be an http:// or https:// URL")
    for channel in channels(notify):
        if channel.key == "notify.email" and email_incomplete:
            continue
        stand_in = PLACEHOLDER.sub(_STAND_IN, channel.url)
        if instantiate(stand_in) is None and stand_in == channel.url:
            problems.append(
                f"{channel.key}: {_NOT_ACCEPTED.get(channel.key, _NOT_ACCEPTED['urls'])}"
            )
    if problems:
        raise ConfigError(problems, hint="fix the [notify] settings above (README: Notifications)")


def _is_http(url: str) -> bool:
    try:
        return urlsplit(url).scheme in ("http", "https")
    except ValueError:
        return False


_NOT_ACCEPTED = {
    "urls": "Apprise does not accept this URL; see https://appriseit.com/services/ for the "
    "form of each service's URL",
    "notify.email": "Apprise does not accept these settings: sender and recipients must be "
    "e-mail addresses",
    "notify.webhook": "not a Slack or Teams Workflows webhook URL that Apprise recognises "
    "(Teams' older Office 365 connector URLs, …webhook.office.com/…, were retired in April "
    "2026: create a Workflows webhook in the channel), nor an Apprise URL",
}


def instantiate(url: str, asset: AppriseAsset | None = None) -> NotifyBase | None:
    """The Apprise service for ``url``, or None if Apprise does not accept it."""
    from apprise import Apprise

    quiet_apprise_logging()
    return Apprise.instantiate(url, asset=asset)


def private_values(plugin: NotifyBase) -> list[str]:
    """The values Apprise itself marks private in this service (tokens, passwords)."""
    specs = {**plugin.template_tokens, **plugin.template_args}
    found = []
    for key, spec in specs.items():
        if spec.get("private"):
            value = getattr(plugin, spec.get("map_to") or key, None)
            found += [value] if isinstance(value, str) else []
    return found


def quiet_apprise_logging() -> None:
    """Keep Apprise's log records out of stderr and our logs (they can carry a URL's secrets):
    Apprise still hands them to the caller in each result, which is where notify.py reads why a
    channel failed, and scrubs it."""
    logger = logging.getLogger("apprise")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())  # else Python's last resort prints to stderr
    logger.propagate = False
    logger.setLevel(logging.DEBUG)  # a failure's detail ("Socket Exception: …") is DEBUG
