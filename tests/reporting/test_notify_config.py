"""[notify] as loaded: Apprise URLs checked, secrets refused in the file, older tables mapped."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from emsys_rpa.errors import ConfigError
from emsys_rpa.notify_urls import channels, instantiate
from emsys_rpa.settings import EmailNotifySettings, NotifySettings, load_settings

SLACK = "https://hooks.slack.com/services/T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ"
WORKFLOWS = (
    "https://prod-42.westus.logic.azure.com:443/workflows/abcdef0123456789abcdef0123456789"
    "/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun"
    "&sv=1.0&sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEF"
)
OFFICE_CONNECTOR = (
    "https://contoso.webhook.office.com/webhookb2/4c1f1a83-2a68-4c1c-bb0e-1e7e9b1a9b7b"
    "@0f6e6c3f-3f6b-4b5c-9d8f-2d9b6e6b6b6b/IncomingWebhook/a1b2c3d4e5f6/9e8d7c6b-5a4f"
)


def _load(tmp_path: Path, notify_toml: str) -> NotifySettings:
    config = tmp_path / "emsys-rpa.toml"
    config.write_text(notify_toml, encoding="utf-8")
    return load_settings(config, use_keyring=False).notify


def _refusal(tmp_path: Path, notify_toml: str) -> str:
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, notify_toml)
    return f"{info.value} {info.value.hint}"


@pytest.mark.parametrize(
    "url",
    [
        "mailtos://robot:Lit3ral-pw@example.ro?to=oncall@example.ro",
        "ntfy://ntfy.example.ro/alerts?pass=Lit3ral-pw&user=robot",
        "json://hooks.example.ro/in?token=Lit3ral-pw",
        "mailtos://Lit3ral-pw@example.ro?user=robot@example.ro",
    ],
)
def test_a_url_showing_a_secret_in_the_file_is_refused_without_repeating_it(
    tmp_path: Path, url: str
) -> None:
    text = _refusal(tmp_path, f'[notify]\nurls = ["ntfy://ntfy.example.ro/ok", "{url}"]\n')

    assert "`notify.urls[1]` shows a secret" in text
    assert "{EMSYS_SMTP_PASSWORD}" in text  # what to write instead
    assert "Lit3ral-pw" not in text


def test_placeholders_stand_where_secrets_go(tmp_path: Path) -> None:
    urls = [
        "mailtos://robot:{EMSYS_SMTP_PASSWORD}@example.ro?smtp=smtp.example.ro&to=a@example.ro",
        "ntfy://ntfy.example.ro/alerts?user=robot&pass={EMSYS_NTFY_PASSWORD}",
        # A bot token has a format of its own: checked, with its secret, when sending.
        "tgram://{EMSYS_TELEGRAM_TOKEN}/12345/",
    ]
    notify = _load(tmp_path, f"[notify]\nurls = {json.dumps(urls)}\n")

    assert notify.urls == tuple(urls)
    assert [c.key for c in channels(notify)] == [f"notify.urls[{i}]" for i in range(3)]


def test_the_environment_may_hold_whole_urls_secrets_included(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = ["mailtos://robot:In-env-pw@example.ro?to=a@example.ro"]
    monkeypatch.setenv("EMSYS_NOTIFY_URLS", json.dumps(urls))
    assert _load(tmp_path, "[notify]\non = 'always'\n").urls == tuple(urls)


def test_a_url_apprise_does_not_accept_is_named(tmp_path: Path) -> None:
    urls = ["ntfy://ntfy.example.ro/ok", "tgram://not-a-bot-token/", "json://[x/", "nosuch://x"]
    text = _refusal(tmp_path, f"[notify]\nurls = {json.dumps(urls)}\n")

    assert "notify.urls[1]: Apprise does not accept this URL" in text
    assert "notify.urls[2]: Apprise does not accept this URL" in text
    assert "notify.urls[3]: Apprise does not accept this URL" in text
    assert "notify.urls[0]" not in text


def test_a_placeholder_the_settings_would_read_as_theirs_is_refused(tmp_path: Path) -> None:
    text = _refusal(
        tmp_path, '[notify]\nurls = ["ntfy://robot:{EMSYS_NOTIFY_PW}@ntfy.example.ro/a"]\n'
    )
    assert "EMSYS_NOTIFY_PW would be read as a [notify] setting" in text


def test_a_wrong_value_under_notify_is_not_echoed(tmp_path: Path) -> None:
    text = _refusal(tmp_path, "[notify]\nurls = 5\n")
    assert text.startswith("notify.urls: ") and "got" not in text


# --- the older tables, turned into Apprise URLs ----------------------------------------------


def test_notify_email_becomes_a_mailtos_url_apprise_reads_as_before(tmp_path: Path) -> None:
    notify = _load(
        tmp_path,
        "[notify.email]\n"
        'smtp_host = "smtp.example.ro"\nsmtp_port = 465\nsecurity = "ssl"\n'
        'username = "robot@example.ro"\nsender = "emsys-rpa@example.ro"\n'
        'recipients = ["facturare@example.ro", "oncall@example.ro"]\ntimeout_s = 7\n',
    )
    [channel] = channels(notify)

    assert channel.key == "notify.email" and channel.attach and channel.timeout_s == 7
    assert channel.url.startswith("mailtos://robot%40example.ro@smtp.example.ro:465/?")
    service = instantiate(channel.url)
    assert service is not None
    assert (service.smtp_host, service.port, service.secure_mode) == ("smtp.example.ro", 465, "ssl")
    assert service.user == "robot@example.ro"
    assert service.from_addr[1] == "emsys-rpa@example.ro"
    assert [to for _, to in service.targets] == ["facturare@example.ro", "oncall@example.ro"]


def test_notify_email_without_security_is_plain_mailto() -> None:
    email = EmailNotifySettings(smtp_host="10.0.0.5", smtp_port=25, security="none")
    [channel] = channels(NotifySettings(email=email.model_copy(update={"recipients": ("a@b.ro",)})))
    service = instantiate(channel.url)
    assert service is not None and not service.secure
    assert (service.smtp_host, service.port) == ("10.0.0.5", 25)


def test_notify_email_needs_both_host_and_recipients(tmp_path: Path) -> None:
    text = _refusal(tmp_path, '[notify.email]\nrecipients = ["oncall@example.ro"]\n')
    assert "notify.email: set both smtp_host and recipients" in text


@pytest.mark.parametrize(("kind", "url"), [("slack", SLACK), ("teams", WORKFLOWS)])
def test_a_slack_or_teams_workflows_webhook_url_is_an_apprise_url_as_it_is(
    tmp_path: Path, kind: str, url: str
) -> None:
    notify = _load(tmp_path, f'[notify.webhook]\nurl = "{url}"\nkind = "{kind}"\n')
    [channel] = channels(notify)
    assert (channel.key, channel.url, channel.timeout_s) == ("notify.webhook", url, 15.0)


def test_a_retired_office_365_connector_url_is_refused_saying_what_to_do(tmp_path: Path) -> None:
    text = _refusal(tmp_path, f'[notify.webhook]\nurl = "{OFFICE_CONNECTOR}"\nkind = "teams"\n')
    assert "notify.webhook: not a Slack or Teams Workflows webhook URL" in text
    assert "create a Workflows webhook" in text


@pytest.mark.parametrize("url", ["ftp://example.ro/x", "http://[not-an-address/x"])
def test_a_generic_webhook_must_be_http(tmp_path: Path, url: str) -> None:
    text = _refusal(tmp_path, f'[notify.webhook]\nurl = "{url}"\n')
    assert "notify.webhook.url: must be an http:// or https:// URL" in text
    assert channels(NotifySettings()) == []


def test_apprise_is_imported_only_when_a_channel_is_configured(tmp_path: Path) -> None:
    code = (
        "import sys; from emsys_rpa.settings import load_settings; "
        "import emsys_rpa.app.run; "
        "load_settings(None, use_keyring=False); print('apprise' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
