"""Trusting a private (company) CA in Chromium: ``portal.ca_bundle``."""

from __future__ import annotations

import base64
import socket
import ssl
from pathlib import Path
from urllib.parse import urlsplit

import structlog
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from emsys_rpa.errors import ConfigError

log = structlog.get_logger("emsys_rpa.browser.tls")


def _spki_pin(certificate: x509.Certificate) -> str:
    spki = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest = hashes.Hash(hashes.SHA256())
    digest.update(spki)
    return base64.b64encode(digest.finalize()).decode()


def _verified_server_certificate(url: str, ca_bundle: Path) -> x509.Certificate | None:
    """The portal's own certificate, if it verifies against ``ca_bundle`` (name included)."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return None
    context = ssl.create_default_context(cafile=str(ca_bundle))
    try:
        with (
            socket.create_connection((parts.hostname, parts.port or 443), timeout=10) as raw,
            context.wrap_socket(raw, server_hostname=parts.hostname) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except (OSError, ssl.SSLError) as exc:
        log.warning("portal certificate not checked against ca_bundle", error=str(exc))
        return None
    return x509.load_der_x509_certificate(der) if der else None


def trust_args(ca_bundle: Path, url: str | None = None) -> str:
    """Chromium's flag to trust a private CA (``portal.ca_bundle``).

    Chromium takes no CA file; it takes public keys to trust (SHA-256 of SubjectPublicKeyInfo)
    and honours them for the certificates a server presents. Servers rarely present their root,
    so the portal's own certificate is fetched here, verified by Python against the bundle
    (chain and host name), and only then its key is added to the list.
    """
    try:
        certificates = x509.load_pem_x509_certificates(ca_bundle.read_bytes())
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"portal.ca_bundle {ca_bundle}: not a PEM certificate bundle ({exc})"
        ) from None
    pins = [_spki_pin(c) for c in certificates]
    server = _verified_server_certificate(url, ca_bundle) if url else None
    if server is not None:
        pins.append(_spki_pin(server))
    return "--ignore-certificate-errors-spki-list=" + ",".join(pins)
