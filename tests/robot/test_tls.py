"""portal.ca_bundle: a portal whose certificate comes from a private CA is trusted, only then."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from playwright.sync_api import BrowserType
from playwright.sync_api import Error as PlaywrightError

from emsys_rpa.browser import BrowserChoice
from emsys_rpa.browser.session import BrowserSession
from emsys_rpa.browser.tls import trust_args
from emsys_rpa.errors import ConfigError
from emsys_rpa.settings import PortalSettings, Settings

pytestmark = pytest.mark.browser


def _certificate(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: ec.EllipticCurvePrivateKey | None,
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
    )
    if issuer is None:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
    else:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            False,
        )
    return builder.sign(issuer_key or key, hashes.SHA256())


@pytest.fixture
def private_ca_portal(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTPS server on 127.0.0.1 whose certificate is signed by a throw-away CA."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("Test Company CA", ca_key, None, None)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate("127.0.0.1", key, ca, ca_key)
    ca_pem = tmp_path / "company-ca.pem"
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    chain = tmp_path / "server.pem"
    chain.write_bytes(
        cert.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return None

        def do_GET(self) -> None:
            body = b"<h1>EMSYS Portal Administrator</h1>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    other_key = ec.generate_private_key(ec.SECP256R1())
    other = _certificate("Some Other CA", other_key, None, None)
    (tmp_path / "other-ca.pem").write_bytes(other.public_bytes(serialization.Encoding.PEM))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/", ca_pem
    finally:
        server.shutdown()
        server.server_close()


def _opens(browser_type: BrowserType, choice: BrowserChoice, url: str) -> bool:
    """Launch as the robot would (pytest-playwright's driver) and try to open ``url``."""
    browser = browser_type.launch(**choice.launch_kwargs())
    try:
        page = browser.new_page()
        try:
            page.goto(url)
        except PlaywrightError as exc:
            assert "ERR_CERT" in str(exc)
            return False
        return page.get_by_role("heading").inner_text() == "EMSYS Portal Administrator"
    finally:
        browser.close()


def _choice(url: str, bundle: Path | None) -> BrowserChoice:
    settings = Settings(portal=PortalSettings(url=url, ca_bundle=bundle))
    return BrowserSession(settings, None).browser_choice()


def test_the_private_ca_is_trusted_only_when_configured(
    private_ca_portal: tuple[str, Path], browser_type: BrowserType
) -> None:
    url, ca_pem = private_ca_portal
    assert not _opens(browser_type, _choice(url, None), url)
    assert _opens(browser_type, _choice(url, ca_pem), url)


def test_a_bundle_of_another_ca_does_not_make_the_portal_trusted(
    private_ca_portal: tuple[str, Path], browser_type: BrowserType
) -> None:
    url, ca_pem = private_ca_portal
    assert not _opens(browser_type, _choice(url, ca_pem.parent / "other-ca.pem"), url)


def test_a_bundle_that_is_not_pem_is_a_config_error(tmp_path: Path) -> None:
    bogus = tmp_path / "ca.pem"
    bogus.write_text("not a certificate")
    with pytest.raises(ConfigError, match="ca_bundle"):
        trust_args(bogus)


def test_an_untrusted_portal_stops_with_advice_and_no_retries(
    private_ca_portal: tuple[str, Path], tmp_path: Path, browser_choice: BrowserChoice
) -> None:
    url, _ = private_ca_portal
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMSYS_")}
    env.update(EMSYS_PORTAL_URL=url, EMSYS_USERNAME="robot", EMSYS_PASSWORD="whatever-1")
    if browser_choice.executable_path:
        env["EMSYS_BROWSER_EXECUTABLE"] = browser_choice.executable_path
    done = subprocess.run(
        [sys.executable, "-m", "emsys_rpa", "check"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "certificate is not trusted" in done.stderr and "ca_bundle" in done.stderr
    assert "retrying" not in done.stderr
