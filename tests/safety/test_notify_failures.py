"""A notification that cannot be delivered never changes what the run did or said.

The real CLI against the mock portal, with ``[notify.email]`` pointed at a real SMTP server
(aiosmtpd) that hangs in the middle of the message or refuses it. Black-box on purpose: only
the config file, the exit code and the run's evidence (``summary.json``, ``report.html``, the
run ledger) count, whatever library sends the mail. The server must have been contacted —
otherwise nothing was proven.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from e2e.conftest import explain, run_cli
from emsys_rpa.browser import BrowserChoice
from emsys_rpa.errors import ExitStatus
from emsys_rpa.ledger import RunLedger

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SMTP_TIMEOUT_S = 3


@dataclass
class Relay:
    """An SMTP server that misbehaves at the message: ``hang`` or ``refuse``."""

    behaviour: str
    port: int = 0
    recipients: list[str] = field(default_factory=list)
    messages_started: int = 0
    release: asyncio.Event | None = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        self.recipients.append(address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages_started += 1
        if self.behaviour == "refuse":
            return "554 5.7.1 Message refused by policy"
        # Hang: never answer the message (until the test ends).
        self.release = asyncio.Event()
        await self.release.wait()
        return "451 4.3.0 Gave up"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@contextmanager
def relay(behaviour: str) -> Iterator[Relay]:
    handler = Relay(behaviour, port=_free_port())
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    try:
        yield handler
    finally:
        release = handler.release
        if release is not None:
            controller.loop.call_soon_threadsafe(release.set)
        stopping = threading.Thread(target=controller.stop, daemon=True)
        stopping.start()
        stopping.join(timeout=10)


def _config(port: int) -> str:
    return (
        '[notify]\non = "always"\n'
        "[notify.email]\n"
        f'smtp_host = "127.0.0.1"\nsmtp_port = {port}\nsecurity = "none"\n'
        'sender = "emsys-rpa@example.ro"\nrecipients = ["facturare@example.ro"]\n'
        f"timeout_s = {SMTP_TIMEOUT_S}\n"
    )


# make test: a hung server after a good run, a refusing one after a failed run; make safety
# (--full-matrix): the other two as well.
@pytest.mark.parametrize(
    ("behaviour", "password", "exit_code"),
    [
        pytest.param("hang", None, ExitStatus.OK, id="hang-run-ok"),
        pytest.param("refuse", "Not-The-Password-1", ExitStatus.FAILED, id="refuse-run-failed"),
        pytest.param(
            "refuse", None, ExitStatus.OK, id="refuse-run-ok", marks=pytest.mark.full_matrix
        ),
        pytest.param(
            "hang",
            "Not-The-Password-1",
            ExitStatus.FAILED,
            id="hang-run-failed",
            marks=pytest.mark.full_matrix,
        ),
    ],
)
def test_an_undeliverable_mail_leaves_the_exit_code_and_evidence_alone(
    behaviour: str,
    password: str | None,
    exit_code: ExitStatus,
    portal_factory: Any,
    tmp_path: Path,
    browser_choice: BrowserChoice,
) -> None:
    portal = portal_factory()
    with relay(behaviour) as server:
        config = tmp_path / "emsys-rpa.toml"
        config.write_text(_config(server.port), encoding="utf-8")
        # A dry run does every screen but the click: a whole run, quickly.
        run = run_cli(
            ["run", "--only", "alerts", "--dry-run", "--config", str(config)],
            portal=portal,
            tmp_path=tmp_path,
            browser_choice=browser_choice,
            password=password,
            timeout_s=180,
        )
        # The notification was really attempted, and met the misbehaving server.
        assert server.recipients == ["facturare@example.ro"], explain(run)
        assert server.messages_started == 1, explain(run)

    why = explain(run)
    assert run.code == exit_code, why
    summary = run.summary
    assert summary["exit_code"] == exit_code, why
    expected = "dry_run" if exit_code == ExitStatus.OK else "not_run"
    assert run.task("alerts")["status"] == expected, why
    assert (run.run_dir / "report.html").is_file()
    with RunLedger.open(tmp_path / "state") as ledger:
        (record,) = ledger.latest_runs()
    assert (record.run_id, record.exit_code) == (summary["run_id"], exit_code)
    assert portal.ledger()["jobs"] == []
