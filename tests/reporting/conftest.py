"""Run summaries built by hand, as the runner would leave them, with real PNG screenshots."""

from __future__ import annotations

import socket
import struct
import uuid
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from emsys_rpa.app.tasks import ALERTS, INVOICES
from emsys_rpa.errors import ExitStatus
from emsys_rpa.redaction import redactor
from emsys_rpa.summary import (
    RunSummary,
    StepRecord,
    StepStatus,
    TaskResult,
    TaskStatus,
    Verification,
)

START = datetime(2026, 11, 28, 5, 30, 0)

SummaryFactory = Callable[..., RunSummary]


def png_bytes(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid, solid-colour PNG (what a browser can decode, unlike a few fake bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(name="png_bytes")
def _png_bytes_fixture() -> Callable[[int, int, tuple[int, int, int]], bytes]:
    return png_bytes


@pytest.fixture
def free_port() -> Callable[[], int]:
    """A port nobody listens on right now (for servers that cannot bind port 0 themselves)."""
    return _free_port


@pytest.fixture
def password() -> str:
    """A portal password registered with the redactor, as the runner registers it at login."""
    value = f"Pw-{uuid.uuid4().hex[:12]}!"
    redactor.register(value)
    return value


def _step(
    name: str,
    offset_s: float,
    duration_s: float,
    status: StepStatus = StepStatus.OK,
    *,
    shot: str | None = None,
    detail: str | None = None,
) -> StepRecord:
    return StepRecord(
        name=name,
        status=status,
        started_at=START + timedelta(seconds=offset_s),
        duration_s=duration_s,
        detail=detail,
        screenshot=shot,
    )


@pytest.fixture
def make_summary(tmp_path: Path) -> SummaryFactory:
    """``make_summary(outcome)`` → a RunSummary whose run folder holds its screenshots.

    outcome: "ok" (both verified), "not_verified" (invoices not seen in the history),
    "failed" (invoices failed at the send step, trace recorded), "dry_run", "login_failed"
    (the portal refused the login: no task ran).
    """

    def factory(outcome: str = "ok", *, error_text: str | None = None) -> RunSummary:
        run_dir = tmp_path / "runs" / "20261128-053000"
        (run_dir / "screenshots").mkdir(parents=True, exist_ok=True)
        colours = iter([(200, 30, 30), (30, 160, 60), (30, 60, 200), (220, 180, 20)] * 4)

        def shot(name: str) -> str:
            relative = f"screenshots/{name}.png"
            (run_dir / relative).write_bytes(png_bytes(64, 40, next(colours)))
            return relative

        verified = Verification(
            since=START + timedelta(minutes=1),
            rows_seen=4,
            first_sent_at=START + timedelta(minutes=1),
            last_sent_at=START + timedelta(minutes=3),
            statuses={"Trimis": 4},
            polls=3,
            duration_s=95.0,
        )
        alerts = TaskResult(
            name="alerts",
            title=ALERTS.title,
            status=TaskStatus.DRY_RUN if outcome == "dry_run" else TaskStatus.VERIFIED,
            scheduled_at=START + timedelta(minutes=1),
            verification=None if outcome == "dry_run" else verified,
            steps=[
                _step("Open Funcționalități → Alerte", 0, 2.5),
                _step("Tick Fundal", 3, 0.4, shot=shot("alerts-form")),
                _step("Trimite alerta", 4, 1.1, shot=shot("alerts-confirmation")),
                _step("Read Istoric alerte", 6, 95.0, shot=shot("alerts-history")),
            ],
        )
        invoices = TaskResult(
            name="invoices",
            title=INVOICES.title,
            period_from="28/10/2026",
            period_to="28/11/2026",
            steps=[
                _step("Open Transmitere Facturi prin E-mail/SMS", 110, 3.0),
                _step("Fill Perioada", 114, 0.8, shot=shot("invoices-form")),
            ],
        )
        summary = RunSummary(
            steps=[_step("log in", -4, 3.5)],
            run_id="20261128-053000",
            started_at=START,
            finished_at=START + timedelta(minutes=9),
            portal_url="https://emsys.example.ro/admin/",
            username="robot.facturare",
            browser="chromium 131 (/usr/bin/chromium)",
            run_dir=str(run_dir),
            tasks=[alerts, invoices],
        )
        if outcome in {"ok", "dry_run"}:
            invoices.status = TaskStatus.DRY_RUN if outcome == "dry_run" else TaskStatus.VERIFIED
            invoices.verification = None if outcome == "dry_run" else verified
            summary.dry_run = outcome == "dry_run"
        elif outcome == "not_verified":
            invoices.status = TaskStatus.NOT_VERIFIED
            invoices.verification = Verification(since=START + timedelta(minutes=2), polls=20)
            invoices.errors.append("no row in Istoric facturi E-mail/SMS within 600 s")
        elif outcome == "login_failed":
            summary.steps = [
                _step(
                    "log in",
                    -4,
                    6.0,
                    StepStatus.FAILED,
                    shot=shot("session-log in-failed"),
                    detail="the portal refused the user name or password",
                )
            ]
            summary.errors.append("[log in] the portal refused the user name or password")
            for task in summary.tasks:
                task.status, task.steps, task.verification = TaskStatus.NOT_RUN, [], None
        elif outcome == "failed":
            invoices.status = TaskStatus.FAILED
            invoices.steps.append(
                _step(
                    "Configureaza transmiterea facturii",
                    116,
                    15.0,
                    StepStatus.FAILED,
                    shot=shot("invoices-error"),
                    detail="button not found",
                )
            )
            invoices.errors.append(
                error_text or "button 'Configurează transmiterea facturii' not found"
            )
            (run_dir / "trace.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
            summary.trace = "trace.zip"
        else:
            raise ValueError(outcome)
        code = summary.derive_exit_status()
        summary.exit_code = int(code)
        summary.status = {
            ExitStatus.OK: "ok",
            ExitStatus.NOT_VERIFIED: "not_verified",
        }.get(code, "failed")
        return summary

    return factory
