"""``emsys-rpa mock-portal``: serve the bundled stand-in for EMSYS Portal Administrator.

The first line printed is the URL and the demo credentials (scripts and people read it); the
portal then runs until Ctrl-C (or SIGTERM).
"""

from __future__ import annotations

import signal
import threading
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from emsys_rpa.errors import ConfigError, ExitStatus


def command(
    port: int = typer.Option(
        0, "--port", min=0, max=65535, help="Port on 127.0.0.1 (0: any free port)."
    ),
    variant: str = typer.Option(
        "default",
        "--variant",
        help="A named variant (default, iframe-alert-cedilla, popup-postback-oldest, ...), "
        "random:SEED (one implementation drawn per widget, printed at start-up), or key=value "
        "pairs over the dimensions (windows, message, diacritics, updates, order, seconds, "
        "confirm, labels, and the widget zoo's pager, checkbox, buttons, menu, dates, login, "
        "gridhead, groups, loading, …: README 'Variants'; a wrong key lists them all).",
    ),
    fault: Annotated[
        list[str] | None,
        typer.Option(
            "--fault",
            help="Inject a fault (repeatable): latency=MS, unavailable=N, session_expiry=N, "
            "late_confirm=S, job_fail=FRACTION, down, or one armed at a step: "
            "at=[alerts.|invoices.]STEP[#K]:ACTION[xN|x*] with ACTION 503, expire, drop, hang, "
            "late=S or down (e.g. at=send:drop, at=history:503x2; README: Mock portal).",
        ),
    ] = None,
    today: str | None = typer.Option(
        None, "--today", help="Pretend today is YYYY-MM-DD (the time of day stays real)."
    ),
    now: str | None = typer.Option(
        None,
        "--now",
        help="Start the clock at this Europe/Bucharest time, e.g. 2026-10-25T03:55 (it runs on "
        "in real time; an ambiguous time is its first occurrence: add +02:00 for the second).",
    ),
    username: str | None = typer.Option(
        None, "--username", help="The account's user name (default: operator)."
    ),
    password: str | None = typer.Option(
        None, "--password", help="The account's password (default: the demo password)."
    ),
    locked_user: Annotated[
        list[str] | None,
        typer.Option("--locked-user", help="A user whose account starts locked (repeatable)."),
    ] = None,
    relabel: Annotated[
        list[str] | None,
        typer.Option(
            "--relabel",
            help="Show a label of the manual otherwise, as a portal upgrade may: "
            '"Trimite alerta=Trimitere alertă" (repeatable).',
        ),
    ] = None,
    seed: int = typer.Option(1, "--seed", help="Seed of the generated data."),
    db: Annotated[
        Path | None,
        typer.Option(
            "--db", help="SQLite file (reused if it already holds a portal; default: temporary)."
        ),
    ] = None,
    history_rows: int = typer.Option(
        0, "--history-rows", min=0, help="Add this many older rows to each history grid."
    ),
    send_start_delay: float = typer.Option(
        2.0, "--send-start-delay", min=0, help="Seconds before a background job starts sending."
    ),
    send_rate: float = typer.Option(
        20.0, "--send-rate", min=0.001, help="History rows a sending job writes per second."
    ),
) -> ExitStatus:
    """Serve the mock EMSYS Portal Administrator on 127.0.0.1 until Ctrl-C."""
    from emsys_rpa.mockportal import (
        MockPortalOptions,
        parse_faults,
        parse_local_datetime,
        parse_variant,
        running_mock_portal,
    )

    problems = []
    try:
        chosen_variant = parse_variant(variant)
    except ValueError as exc:
        problems.append(f"--variant: {exc}")
    try:
        faults = parse_faults(fault or [])
    except ValueError as exc:
        problems.append(f"--fault: {exc}")
    today_date = None
    if today:
        try:
            today_date = date.fromisoformat(today)
        except ValueError:
            problems.append(f"--today: {today!r} is not a date like 2024-05-31")
    now_time = None
    if now:
        try:
            now_time = parse_local_datetime(now)
        except ValueError as exc:
            problems.append(f"--now: {exc}")
    if today and now:
        problems.append("--today and --now: give one of them (--now sets the date too)")
    for name, value in (("--username", username), ("--password", password)):
        if value is not None and not value.strip():
            problems.append(f"{name}: must not be empty")
    pairs: list[tuple[str, str]] = []
    for item in relabel or ():
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            problems.append(f"--relabel {item!r}: write it as OLD=NEW (two non-empty texts)")
        else:
            pairs.append((old.strip(), new.strip()))
    if problems:
        raise ConfigError(problems)

    options = MockPortalOptions(
        variant=chosen_variant,
        faults=faults,
        today=today_date,
        seed=seed,
        db_path=db,
        history_rows=history_rows,
        send_start_delay_s=send_start_delay,
        send_rate_per_s=send_rate,
        port=port,
        now=now_time,
        locked_users=tuple(locked_user or ()),
        relabel=tuple(pairs),
    )
    if username is not None:
        options = replace(options, username=username)
    if password is not None:
        options = replace(options, password=password)
    stop = threading.Event()

    def _on_sigterm(signum: int, frame: FrameType | None) -> None:
        stop.set()

    # SIGTERM (service managers, CI) stops the portal as Ctrl-C does.
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main else None
    try:
        with running_mock_portal(options) as portal:
            typer.echo(
                f"EMSYS Portal Administrator (mock) at {portal.url}  "
                f"user: {portal.username}  password: {portal.password}",
            )
            name = chosen_variant.name() or chosen_variant.spec
            extras = ", ".join(faults.describe()) or "none"
            typer.echo(
                f"variant: {name}; faults: {extras}; today: {portal.state.clock.today():%d/%m/%Y}; "
                f"ledger: {portal.base_url}/__mock__/ledger; "
                f"control: {portal.base_url}/__mock__/control  (Ctrl-C to stop)"
            )
            while not stop.wait(0.5):
                pass
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        raise ConfigError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}") from exc
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)
    return ExitStatus.OK
