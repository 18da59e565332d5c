"""Notifications against a real SMTP server (aiosmtpd) and a real HTTP receiver, both local."""

from __future__ import annotations

import datetime as dt
import email
import ipaddress
import json
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

from emsys_rpa.notify import send_notifications
from emsys_rpa.report import write_report
from emsys_rpa.settings import EmailNotifySettings, NotifySettings, WebhookNotifySettings
from emsys_rpa.summary import RunSummary

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

    assert sent == ["email to facturare@example.ro, oncall@example.ro"]
    assert inbox.recipients == [["facturare@example.ro", "oncall@example.ro"]]
    [message] = inbox.messages
    assert message["Subject"] == "[emsys-rpa] FAILED 2026-11-28: alerts verified, invoices failed"
    assert message["X-Emsys-Rpa-Exit-Code"] == "1"
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content().replace("\r\n", "\n")
    assert text.startswith("FAILED\nA task failed or did not run")
    assert "invoices: failed (failed: nothing was sent)" in text
    assert "invoices: portal echoed ***" in text
    assert f"Report (attached; also at): {report}" in text
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "emsys-rpa-report-20261128-053000.html"
    assert attachment.get_content_type() == "text/html"
    assert attachment.get_content().encode("utf-8") == report.read_bytes()
    assert password not in _everything_in(message)
    assert password.encode() not in inbox.raw[0]


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

    assert sent == ["email to facturare@example.ro, oncall@example.ro"]
    assert inbox.logins == [(SMTP_USER.encode(), True)]
    [message] = inbox.messages
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

    assert sent == ["email to facturare@example.ro, oncall@example.ro"]
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
    assert failure["channel"] == "email"
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
    assert [e["channel"] for e in logs if e["event"] == "notify_failed"] == ["email"]


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
    settings = _email_settings(port).model_copy(update={"on": on})
    with smtp_server(port, auth_require_tls=False) as inbox:
        sent = send_notifications(settings, make_summary(outcome), None)
    assert len(inbox.messages) == len(sent) == expected


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

    assert sent == ["generic webhook to 127.0.0.1 (HTTP 200)"]
    [(path, headers, payload)] = receiver.requests
    assert path == "/hooks/generic/t0k3n-g"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert payload["title"] == "NOT VERIFIED"
    assert payload["exit_code"] == 3
    assert payload["ok"] is False
    assert payload["report"] == str(report)
    assert [(t["name"], t["status"], t["rows_seen"]) for t in payload["tasks"]] == [
        ("alerts", "verified", 4),
        ("invoices", "not_verified", 0),
    ]
    assert payload["tasks"][0]["first_sent_at"] == "2026-11-28T05:31:00"
    assert payload["errors"] == ["stopped while typing ***"]
    assert password not in json.dumps(payload, ensure_ascii=False)


def test_teams_webhook_gets_an_adaptive_card(
    make_summary: SummaryFactory, receiver: Receiver
) -> None:
    sent = send_notifications(_hook(receiver, "teams", "t0k3n-t"), make_summary("failed"), None)

    assert sent == ["teams webhook to 127.0.0.1 (HTTP 200)"]
    [(_, _, payload)] = receiver.requests
    assert payload["type"] == "message"
    [attachment] = payload["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    title = card["body"][0]
    assert (title["text"], title["color"]) == ("emsys-rpa: FAILED", "Attention")
    facts = {f["title"]: f["value"] for f in card["body"][2]["facts"]}
    assert facts["invoices"] == "failed (failed: nothing was sent)"
    assert facts["run"] == "20261128-053000 (exit 1)"


def test_slack_webhook_gets_text(make_summary: SummaryFactory, receiver: Receiver) -> None:
    settings = _hook(receiver, "slack", "t0k3n-s").model_copy(update={"on": "always"})
    sent = send_notifications(settings, make_summary("ok"), None)

    assert sent == ["slack webhook to 127.0.0.1 (HTTP 200)"]
    [(_, _, payload)] = receiver.requests
    assert list(payload) == ["text"]
    assert payload["text"].startswith("*emsys-rpa OK: SCHEDULED AND VERIFIED*: ")
    assert (
        "• alerts: verified (verified: the history shows sending started); 4 rows"
        in (payload["text"])
    )


def test_a_failing_webhook_does_not_stop_the_mail(
    make_summary: SummaryFactory, receiver: Receiver, free_port: Callable[[], int]
) -> None:
    receiver.status = 500
    port = free_port()
    settings = _email_settings(port).model_copy(
        update={"webhook": _hook(receiver, "teams", "t0k3n-f").webhook}
    )
    with structlog.testing.capture_logs() as logs, smtp_server(port) as inbox:
        sent = send_notifications(settings, make_summary("failed"), None)

    assert sent == ["email to facturare@example.ro, oncall@example.ro"]
    assert len(inbox.messages) == 1
    assert len(receiver.requests) == 1
    [failure] = [e for e in logs if e["event"] == "notify_failed"]
    assert failure["channel"] == "webhook"
    assert "500" in failure["error"]
    assert "t0k3n-f" not in repr(logs)


def test_an_unreachable_webhook_does_not_raise(
    make_summary: SummaryFactory, free_port: Callable[[], int]
) -> None:
    url = f"http://127.0.0.1:{free_port()}/hooks/down"
    settings = NotifySettings(on="always", webhook=WebhookNotifySettings(url=url, timeout_s=5))
    with structlog.testing.capture_logs() as logs:
        assert send_notifications(settings, make_summary("ok"), None) == []
    assert [e["channel"] for e in logs if e["event"] == "notify_failed"] == ["webhook"]
