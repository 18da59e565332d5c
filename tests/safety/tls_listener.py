"""An HTTPS server with a certificate no browser trusts, that counts who tried it.

A cell whose robot is pointed at it must show that the robot did connect (a TLS handshake
was attempted) and that nothing was asked over the untrusted connection (no HTTP request).
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from robot.test_tls import _certificate as certificate


@dataclass
class TlsListener:
    base_url: str
    handshakes: int = 0  # connections whose TLS handshake was attempted
    http_requests: int = 0  # requests read over a completed handshake
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


def _self_signed(path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = certificate("127.0.0.1", key, None, None)  # its own CA: trusted by nobody
    path.write_bytes(
        cert.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


@contextmanager
def untrusted_tls_listener(folder: Path) -> Iterator[TlsListener]:
    chain = folder / "untrusted.pem"
    _self_signed(chain)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain)
    listener = TlsListener(base_url="")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return None

        def do_GET(self) -> None:
            with listener.lock:
                listener.http_requests += 1
            body = b"<h1>EMSYS Portal Administrator</h1>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        def get_request(self) -> tuple[Any, Any]:
            conn, address = self.socket.accept()
            with listener.lock:
                listener.handshakes += 1
            # Handshake in the handler's thread, so that a refused one ends only that thread.
            return context.wrap_socket(conn, server_side=True, do_handshake_on_connect=False), (
                address
            )

        def handle_error(self, request: Any, client_address: Any) -> None:
            return None  # the browser refusing the certificate is the expected outcome

    server = Server(("127.0.0.1", 0), Handler)
    listener.base_url = f"https://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield listener
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
