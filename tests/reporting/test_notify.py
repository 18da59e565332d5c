"""Notifications through Apprise against a real SMTP server (aiosmtpd) and a real HTTP receiver,
both local: the older [notify.email] and [notify.webhook] tables and [notify] urls alike."""

from __future__ import annotations

import base64
import datetime as dt
import email
import ipaddress
import json
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import structlog
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from emsys_rpa.cli import main
from emsys_rpa.errors import ExitStatus
from emsys_rpa.notify import send_notifications
from emsys_rpa.notify_urls import instantiate, private_values
from emsys_rpa.report import write_report
from emsys_rpa.settings import EmailNotifySettings, NotifySettings, WebhookNotifySettings
from emsys_rpa.summary import RunSummary
from emsys_rpa.wording import set_language

SummaryFactory = Callable[..., RunSummary]
SMTP_USER = "robot@example.ro"
SMTP_PASSWORD = "smtp-Pa55word-for-tests"


# --- a real SMTP server ----------------------------------------------------------------------


@dataclass
class Inbox:
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    logins: list[tuple[bytes, bool]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        data: bytes = envelope.original_content or envelope.content
        self.raw.append(data)
        self.messages.append(
            email.message_from_bytes(data, policy=default_policy)  # type: ignore[arg-type]
        )
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == SMTP_USER.encode()
            and auth_data.password == SMTP_PASSWORD.encode()
        )
        self.logins.append((auth_data.login, ok))
        # handled=False: let aiosmtpd answer 535 itself on a wrong password.
        return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (what a company relay with a private CA is)."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "emsys-rpa test SMTP")])
    now = dt.datetime.now(dt.UTC)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=True,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def _server_context(tls_files: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*tls_files)
    return context


@contextmanager
def smtp_server(port: int, **options: Any) -> Iterator[Inbox]:
    inbox = Inbox(port=port)
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox.authenticate,
        **options,
    )
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def _email_settings(port: int, **overrides: Any) -> NotifySettings:
    mail = {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "security": "none",
        "sender": "emsys-rpa@example.ro",
        "recipients": ("facturare@example.ro", "oncall@example.ro"),
        "timeout_s": 5.0,
        **overrides,
    }
    return NotifySettings(on="failure", email=EmailNotifySettings(**mail))


def _text_of(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content()).replace("\r\n", "\n")


def _everything_in(message: EmailMessage) -> str:
    """Headers, body and every attachment, decoded: what a recipient can read."""
    parts = [str(value) for value in message.values()]
    for part in message.walk():
        if not part.is_multipart():
            parts.append(str(part.get_content()))
    return "\n".join(parts)


def test_failure_mail_arrives_with_status_summary_and_report(
    make_summary: SummaryFactory, password: str, free_port: Callable[[], int]
) -> None:
    summary = make_summary("failed", error_text=f"portal echoed {password}")
    report = write_report(summary, Path(summary.run_dir or ""))
    port = free_port()

    with smtp_server(port, auth_require_tls=False) as inbox:
        sent = send_notifications(_email_settings(port), summary, report)

    assert sent == ["E-Mail (notify.email)"]
    # Apprise sends each recipient a message of their own.
    assert inbox.recipients == [["facturare@example.ro"], ["oncall@example.ro"]]
    message = inbox.messages[0]
    assert message["Subject"] == "[emsys-rpa] FAILED 2026-11-28: alerts verified, invoices failed"
    assert message["From"] == "emsys-rpa@example.ro"
    assert (message["X-Emsys-Rpa-Status"], message["X-Emsys-Rpa-Exit-Code"]) == ("FAILED", "1")
    text = _text_of(message)
    assert text.startswith("FAILED\nA task failed or did not run")
    assert "invoices: failed (failed: nothing was sent)" in text
    assert "invoices: portal echoed ***" in text
    assert f"Report (attached; also at): {report}" in text
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "emsys-rpa-report-20261128-053000.html"
    assert attachment.get_content_type() == "text/html"
    assert attachment.get_payload(decode=True) == report.read_bytes()
    for raw, received in zip(inbox.raw, inbox.messages, strict=True):
        assert password not in _everything_in(received)
        assert password.encode() not in raw


def test_starttls_with_login_from_the_environment(
    make_summary: SummaryFactory,
    tls_files: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    free_port: Callable[[], int],
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files[0]))  # trust the test CA, verify as usual
    monkeypatch.setenv("EMSYS_SMTP_PASSWORD", SMTP_PASSWORD)
    summary = make_summary("not_verified")
    port = free_port()
    server_tls = _server_context(tls_files)

    with smtp_server(
        port, tls_context=server_tls, require_starttls=True, auth_required=True
    ) as inbox:
        settings = _email_settings(port, security="starttls", username=SMTP_USER)
        sent = send_notifications(settings, summary, None)

    assert sent == ["E-Mail (notify.email)"]
    assert inbox.logins == [(SMTP_USER.encode(), True)]
    assert len(inbox.messages) == 2
    message = inbox.messages[0]
    assert message["Subject"].startswith("[emsys-rpa] NOT VERIFIED 2026-11-28: ")
    assert message["From"] == "emsys-rpa@example.ro"
    assert not list(message.iter_attachments())
    assert SMTP_PASSWORD not in _everything_in(message)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_implicit_tls(
    make_summary: SummaryFactory,
    tls_files: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    free_port: Callable[[], int],
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files[0]))
    monkeypatch.setenv("EMSYS_SMTP_PASSWORD", SMTP_PASSWORD)
    summary = make_summary("failed")
    port = free_port()

    # aiosmtpd only offers AUTH on implicit TLS when told TLS is not required (it checks for
    # STARTTLS, not for an already encrypted connection).
    with smtp_server(
        port, ssl_context=_server_context(tls_files), auth_required=True, auth_require_tls=False
    ) as inbox:
        settings = _email_settings(port, security="ssl", username=SMTP_USER)
        sent = send_notifications(settings, summary, None)

    assert sent == ["E-Mail (notify.email)"]
    assert inbox.logins == [(SMTP_USER.encode(), True)]
    assert inbox.messages[0]["X-Emsys-Rpa-Status"] == "FAILED"


def test_an_untrusted_certificate_is_refused_not_ignored(
    make_summary: SummaryFactory, tls_files: tuple[Path, Path], free_port: Callable[[], int]
) -> None:
    port = free_port()
    with (
        structlog.testing.capture_logs() as logs,
        smtp_server(port, tls_context=_server_context(tls_files), require_starttls=True) as inbox,
    ):
        settings = _email_settings(port, security="starttls")
        sent = send_notifications(settings, make_summary("failed"), None)

    assert sent == []
    assert inbox.messages == []
    [failure] = [e for e in logs if e["event"] == "notify_failed"]
    assert failure["channel"] == "notify.email"
    assert "CERTIFICATE_VERIFY_FAILED" in failure["error"]


def test_a_rejected_smtp_login_is_logged_without_the_password_and_does_not_raise(
    make_summary: SummaryFactory,
    tls_files: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    free_port: Callable[[], int],
) -> None:
    wrong = "wrong-smtp-password-123"
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files[0]))
    monkeypatch.setenv("EMSYS_SMTP_PASSWORD", wrong)
    port = free_port()
    with (
        structlog.testing.capture_logs() as logs,
        smtp_server(port, tls_context=_server_context(tls_files), auth_required=True) as inbox,
    ):
        settings = _email_settings(port, security="starttls", username=SMTP_USER)
        sent = send_notifications(settings, make_summary("failed"), None)

    assert sent == []
    # smtplib tries each mechanism the server offers (PLAIN, then LOGIN): all refused.
    assert inbox.logins
    assert set(inbox.logins) == {(SMTP_USER.encode(), False)}
    assert inbox.messages == []
    assert any(e["event"] == "notify_failed" and "535" in e["error"] for e in logs)
    assert wrong not in repr(logs)


def test_an_unreachable_smtp_server_does_not_raise(
    make_summary: SummaryFactory, free_port: Callable[[], int]
) -> None:
    with structlog.testing.capture_logs() as logs:
        sent = send_notifications(_email_settings(free_port()), make_summary("failed"), None)
    assert sent == []
    assert [e["channel"] for e in logs if e["event"] == "notify_failed"] == ["notify.email"]


@pytest.mark.parametrize(
    ("on", "outcome", "expected"),
    [
        ("failure", "ok", 0),
        ("failure", "not_verified", 1),
        ("failure", "failed", 1),
        ("always", "ok", 1),
        ("never", "failed", 0),
    ],
)
def test_when_to_send(
    make_summary: SummaryFactory,
    free_port: Callable[[], int],
    on: str,
    outcome: str,
    expected: int,
) -> None:
    port = free_port()
    settings = _email_settings(port, recipients=("oncall@example.ro",))
    with smtp_server(port, auth_require_tls=False) as inbox:
        sent = send_notifications(
            settings.model_copy(update={"on": on}), make_summary(outcome), None
        )
    assert len(inbox.messages) == len(sent) == expected


def test_the_message_is_in_the_language_in_use_on_every_channel(
    make_summary: SummaryFactory, free_port: Callable[[], int], receiver: Receiver
) -> None:
    port = free_port()
    hook = receiver.base_url.replace("http://", "json://") + "/hooks/ro"
    settings = _email_settings(port, recipients=("oncall@example.ro",))
    settings = settings.model_copy(update={"urls": (hook,)})
    set_language("ro")
    try:
        with smtp_server(port) as inbox:
            send_notifications(settings, make_summary("failed"), None)
    finally:
        set_language("en")

    [message] = inbox.messages
    assert message["Subject"].startswith("[emsys-rpa] EȘUAT 2026-11-28: ")
    assert message["X-Emsys-Rpa-Status"] == "EȘUAT"
    text = _text_of(message)
    assert "Rulare:   20261128-053000 (cod de ieșire 1)" in text and "Sarcini:" in text
    [(_, _, payload)] = receiver.requests
    assert payload["title"] == message["Subject"]
    assert "Sarcini:" in payload["message"]


# --- [notify] urls: Apprise URLs, their secrets filled in when sending -------------------------


def test_a_mailtos_url_takes_its_password_from_the_environment_and_never_shows_it(
    make_summary: SummaryFactory,
    tls_files: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    free_port: Callable[[], int],
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files[0]))
    monkeypatch.setenv("EMSYS_RELAY_PW", SMTP_PASSWORD)
    port = free_port()
    url = (
        f"mailtos://robot:{{EMSYS_RELAY_PW}}@example.ro:{port}"
        "?smtp=127.0.0.1&user=robot@example.ro&to=oncall@example.ro"
    )
    settings = NotifySettings(on="always", urls=(url,))
    summary = make_summary("ok")
    report = write_report(summary, Path(summary.run_dir or ""))

    with (
        structlog.testing.capture_logs() as logs,
        smtp_server(port, tls_context=_server_context(tls_files), auth_required=True) as inbox,
    ):
        sent = send_notifications(settings, summary, report)

    assert sent == ["E-Mail (notify.urls[0])"]
    assert inbox.logins == [(SMTP_USER.encode(), True)]
    [message] = inbox.messages
    assert message["From"] == "emsys-rpa <robot@example.ro>"
    assert message["Subject"] == (
        "[emsys-rpa] OK: SCHEDULED AND VERIFIED 2026-11-28: alerts verified, invoices verified"
    )
    assert message["X-Emsys-Rpa-Exit-Code"] == "0"
    assert "Report (attached; also at)" in _text_of(message)
    assert len(list(message.iter_attachments())) == 1
    assert SMTP_PASSWORD not in _everything_in(message)
    out, err = capsys.readouterr()
    assert SMTP_PASSWORD not in repr(logs) + out + err
    assert "Connecting to remote SMTP server" not in out + err  # Apprise's own log stays in


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_a_placeholder_comes_from_the_keyring_when_the_environment_lacks_it(
    make_summary: SummaryFactory, monkeypatch: pytest.MonkeyPatch, free_port: Callable[[], int]
) -> None:
    asked: list[tuple[str, str]] = []

    def from_keyring(service: str, user: str) -> str:
        asked.append((service, user))
        return SMTP_PASSWORD

    monkeypatch.setattr("keyring.get_password", from_keyring)
    port = free_port()
    url = f"mailto://robot:{{EMSYS_RELAY_PW}}@example.ro:{port}?smtp=127.0.0.1&user={SMTP_USER}"
    with smtp_server(port, auth_required=True, auth_require_tls=False) as inbox:
        sent = send_notifications(
            NotifySettings(on="always", urls=(url,)), make_summary("ok"), None
        )

    assert sent == ["E-Mail (notify.urls[0])"]
    assert asked == [("emsys-rpa-notify", "EMSYS_RELAY_PW")]
    assert inbox.logins == [(SMTP_USER.encode(), True)]


def test_a_missing_placeholder_fails_that_channel_only_saying_how_to_set_it(
    make_summary: SummaryFactory, free_port: Callable[[], int]
) -> None:
    port = free_port()
    urls = (
        "mailto://robot:{EMSYS_NOWHERE_PW}@example.ro?smtp=127.0.0.1",
        f"mailto://example.ro:{port}?smtp=127.0.0.1&from=emsys-rpa@example.ro&to=a@example.ro",
    )
    with structlog.testing.capture_logs() as logs, smtp_server(port) as inbox:
        sent = send_notifications(NotifySettings(on="always", urls=urls), make_summary("ok"), None)

    assert sent == ["E-Mail (notify.urls[1])"]
    assert len(inbox.messages) == 1
    [failure] = [e for e in logs if e["event"] == "notify_failed"]
    assert failure["channel"] == "notify.urls[0]"
    assert failure["error"].startswith("{EMSYS_NOWHERE_PW} is not set")
    assert "keyring set emsys-rpa-notify EMSYS_NOWHERE_PW" in failure["error"]


def test_a_hung_smtp_server_fails_the_channel_after_its_timeout(
    make_summary: SummaryFactory,
) -> None:
    # It accepts the connection and never says hello: the robot must not wait forever.
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen()
        settings = _email_settings(hung.getsockname()[1], timeout_s=1.0)
        with structlog.testing.capture_logs() as logs:
            sent = send_notifications(settings, make_summary("failed"), None)

    assert sent == []
    [failure] = [e for e in logs if e["event"] == "notify_failed"]
    assert "timed out" in failure["error"]


def test_a_report_too_large_to_mail_is_named_not_attached(
    make_summary: SummaryFactory, free_port: Callable[[], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("emsys_rpa.notify.MAX_ATTACHMENT_BYTES", 100)
    summary = make_summary("failed")
    report = write_report(summary, Path(summary.run_dir or ""))
    port = free_port()
    settings = _email_settings(port, recipients=("oncall@example.ro",))
    with structlog.testing.capture_logs() as logs, smtp_server(port) as inbox:
        send_notifications(settings, summary, report)

    [message] = inbox.messages
    assert not list(message.iter_attachments())
    assert f"Report (at): {report}" in _text_of(message)
    assert any(e["event"] == "notify_report_not_attached" for e in logs)


# --- a real HTTP receiver --------------------------------------------------------------------


@dataclass
class Receiver:
    base_url: str
    status: int = 200
    requests: list[tuple[str, dict[str, str], Any]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append((self.path, dict(self.headers), json.loads(body)))
            self.send_response(state.status)
            self.end_headers()
            self.wfile.write(b"1")

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state = Receiver(base_url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _hook(receiver: Receiver, kind: str, token: str) -> NotifySettings:
    # A unique path per test: hook URLs are registered as secrets with the process's redactor.
    url = f"{receiver.base_url}/hooks/{kind}/{token}"
    return NotifySettings(
        on="failure", webhook=WebhookNotifySettings(url=url, kind=kind, timeout_s=5.0)
    )


def test_generic_webhook_gets_the_summary_essentials(
    make_summary: SummaryFactory, receiver: Receiver, password: str
) -> None:
    summary = make_summary("not_verified", error_text=None)
    summary.errors.append(f"stopped while typing {password}")
    report = Path(summary.run_dir or "") / "report.html"

    sent = send_notifications(_hook(receiver, "generic", "t0k3n-g"), summary, report)

    assert sent == ["generic webhook (HTTP 200)"]
    [(path, headers, payload)] = receiver.requests
    assert path == "/hooks/generic/t0k3n-g"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert payload["title"] == "NOT VERIFIED"
    assert payload["exit_code"] == 3
    assert payload["ok"] is False
    assert payload["summary"].startswith("emsys-rpa NOT VERIFIED (exit 3)")
    assert payload["report"] == str(report)
    assert [(t["name"], t["status"], t["rows_seen"]) for t in payload["tasks"]] == [
        ("alerts", "verified", 4),
        ("invoices", "not_verified", 0),
    ]
    assert payload["tasks"][0]["first_sent_at"] == "2026-11-28T05:31:00"
    assert payload["errors"] == ["stopped while typing ***"]
    assert password not in json.dumps(payload, ensure_ascii=False)


def test_a_json_url_posts_apprise_s_message_with_the_report(
    make_summary: SummaryFactory, receiver: Receiver, password: str
) -> None:
    summary = make_summary("failed", error_text=f"portal echoed {password}")
    report = write_report(summary, Path(summary.run_dir or ""))
    url = receiver.base_url.replace("http://", "json://") + "/hooks/json/t0k3n-j"

    sent = send_notifications(NotifySettings(urls=(url,)), summary, report)

    assert sent == ["JSON (notify.urls[0])"]
    [(path, _, payload)] = receiver.requests
    assert path == "/hooks/json/t0k3n-j"
    assert payload["title"] == "[emsys-rpa] FAILED 2026-11-28: alerts verified, invoices failed"
    assert payload["type"] == "failure"
    assert payload["message"].startswith("FAILED\nA task failed or did not run")
    assert "invoices: portal echoed ***" in payload["message"]
    [attachment] = payload["attachments"]
    assert attachment["filename"] == "emsys-rpa-report-20261128-053000.html"
    assert base64.b64decode(attachment["base64"]) == report.read_bytes()
    assert password not in json.dumps(payload)


def test_a_failing_channel_does_not_stop_the_others_and_its_token_stays_out_of_the_log(
    make_summary: SummaryFactory, receiver: Receiver, free_port: Callable[[], int]
) -> None:
    receiver.status = 500
    port = free_port()
    hook = receiver.base_url.replace("http://", "json://") + "/hooks/t0k3n-f"
    settings = _email_settings(port, recipients=("oncall@example.ro",))
    settings = settings.model_copy(update={"urls": (hook,)})
    with structlog.testing.capture_logs() as logs, smtp_server(port) as inbox:
        sent = send_notifications(settings, make_summary("failed"), None)

    assert sent == ["E-Mail (notify.email)"]
    assert len(inbox.messages) == 1
    assert len(receiver.requests) == 1
    [failure] = [e for e in logs if e["event"] == "notify_failed"]
    assert failure["channel"] == "notify.urls[0]"
    assert "500" in failure["error"]
    assert "t0k3n-f" not in repr(logs)


def test_an_unreachable_webhook_does_not_raise_nor_show_its_path(
    make_summary: SummaryFactory, free_port: Callable[[], int]
) -> None:
    port = free_port()
    urls = (f"json://127.0.0.1:{port}/hooks/t0k3n-down",)
    webhook = WebhookNotifySettings(url=f"http://127.0.0.1:{port}/hooks/t0k3n-gone", timeout_s=5)
    settings = NotifySettings(on="always", urls=urls, webhook=webhook)
    with structlog.testing.capture_logs() as logs:
        assert send_notifications(settings, make_summary("ok"), None) == []
    failures = [e for e in logs if e["event"] == "notify_failed"]
    assert [e["channel"] for e in failures] == ["notify.urls[0]", "notify.webhook"]
    assert "t0k3n" not in repr(logs)


def test_the_values_apprise_keeps_private_are_found_for_the_redactor() -> None:
    # A Telegram bot token sits in the URL's host, not where a password goes: Apprise knows it
    # is private, and notify registers what private_values finds before anything is sent.
    token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    service = instantiate(f"tgram://{token}/12345/")
    assert service is not None
    assert token in private_values(service)


# --- the whole command -----------------------------------------------------------------------


@pytest.mark.browser
def test_a_refusing_smtp_server_leaves_the_run_s_exit_code_and_summary_alone(
    tmp_path: Path,
    free_port: Callable[[], int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The portal is not there either: the run fails at once, and its failure is what counts.
    config = tmp_path / "emsys-rpa.toml"
    config.write_text(
        'username = "robot"\n'
        f'[portal]\nurl = "http://127.0.0.1:{free_port()}/Login.aspx"\n'
        f'[state]\ndir = "{tmp_path / "state"}"\n'
        f'[notify.email]\nsmtp_host = "127.0.0.1"\nsmtp_port = {free_port()}\n'
        'security = "none"\nrecipients = ["oncall@example.ro"]\ntimeout_s = 5\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("EMSYS_PASSWORD", "Portal-pw-31337")
    run_dir = tmp_path / "run"

    with pytest.raises(SystemExit) as info:
        main(["run", "--config", str(config), "--report-dir", str(run_dir), "--quiet"])

    assert info.value.code == ExitStatus.FAILED
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    assert (summary["exit_code"], summary["status"]) == (ExitStatus.FAILED, "failed")
    assert "notify" not in json.dumps(summary)
    out, err = capsys.readouterr()
    assert out.startswith("emsys-rpa FAILED (exit 1)") and out.count("\n") == 1 and not err
    events = [json.loads(line) for line in (run_dir / "run.log.jsonl").read_text().splitlines()]
    [failure] = [e for e in events if e["event"] == "notify_failed"]
    assert failure["channel"] == "notify.email" and "Connection refused" in failure["error"]
