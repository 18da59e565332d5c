"""SIGTERM takes the same orderly path as Ctrl-C: cleanup runs, exit status is non-zero."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from emsys_rpa.signals import TerminatedBySignal, sigterm_as_interrupt

# SIGTERM from another process exists on POSIX only: on Windows, Popen.send_signal(SIGTERM)
# and os.kill are TerminateProcess, which no handler sees. Its Windows counterpart is
# Ctrl-Break (SIGBREAK), tested below.
posix_only = pytest.mark.skipif(
    os.name != "posix", reason="SIGTERM from another process: POSIX only (Windows: Ctrl-Break)"
)
windows_only = pytest.mark.skipif(os.name != "nt", reason="Ctrl-Break (SIGBREAK): Windows only")

# Mimics the run command: cleanup in `finally`, exit 130 on KeyboardInterrupt.
# argv: <marker file> <"guarded"|"unguarded">
# It waits in short sleeps, not in a blocking read: on Windows a read from a pipe is not
# interrupted by a signal, so the handler would only run once the read returned.
SCRIPT = """
import contextlib, sys, time
from pathlib import Path
from emsys_rpa.signals import sigterm_as_interrupt
marker = Path(sys.argv[1])
guard = sigterm_as_interrupt() if sys.argv[2] == "guarded" else contextlib.nullcontext()
try:
    with guard:
        try:
            print("ready", flush=True)
            while True:
                time.sleep(0.05)
        finally:
            marker.write_text("browser closed; ledger written\\n")
except KeyboardInterrupt as exc:
    with marker.open("a") as fh:
        fh.write(f"interrupted: {exc}\\n")
    sys.exit(130)
"""


def _start(marker: Path, mode: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(marker), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Windows: its own process group, so that Ctrl-Break reaches it and not pytest.
        creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0),
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


@posix_only
def test_sigterm_runs_the_keyboard_interrupt_path(tmp_path: Path) -> None:
    marker = tmp_path / "marker.txt"
    proc = _start(marker, "guarded")
    try:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 130
    finally:
        proc.kill()
    assert marker.read_text().splitlines() == [
        "browser closed; ledger written",
        "interrupted: stopped by SIGTERM",
    ]


@posix_only
def test_without_the_guard_sigterm_kills_without_cleanup(tmp_path: Path) -> None:
    # The control case: what cron's timeout does to an unguarded run.
    marker = tmp_path / "marker.txt"
    proc = _start(marker, "unguarded")
    try:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == -signal.SIGTERM
    finally:
        proc.kill()
    assert not marker.exists()


@posix_only
def test_in_process_sigterm_raises_keyboard_interrupt_and_handler_is_restored() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt) as info, sigterm_as_interrupt():
        signal.raise_signal(signal.SIGTERM)
        pytest.fail("the signal should have interrupted the block")
    assert isinstance(info.value, TerminatedBySignal)
    assert info.value.signal_name == "SIGTERM"
    assert signal.getsignal(signal.SIGTERM) == before


@posix_only
def test_a_repeated_sigterm_does_not_cut_the_shutdown_short() -> None:
    cleaned = False
    with pytest.raises(TerminatedBySignal), sigterm_as_interrupt():
        try:
            signal.raise_signal(signal.SIGTERM)
        finally:
            signal.raise_signal(signal.SIGTERM)  # a second kill while we clean up
            cleaned = True
    assert cleaned


@posix_only
def test_outside_the_main_thread_it_does_nothing() -> None:
    before = signal.getsignal(signal.SIGTERM)
    seen: list[object] = []

    def worker() -> None:
        with sigterm_as_interrupt():
            seen.append(signal.getsignal(signal.SIGTERM))

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(timeout=10)
    assert seen == [before]


def ctrl_break(pid: int) -> None:
    """Ctrl-Break to the process group ``pid`` leads (started with CREATE_NEW_PROCESS_GROUP)."""
    try:
        os.kill(pid, signal.CTRL_BREAK_EVENT)
    except OSError as exc:
        # GenerateConsoleCtrlEvent needs a console shared with the target: a service or a CI
        # runner without one cannot send it (the robot still handles it where it arrives).
        pytest.skip(f"no console to send Ctrl-Break through: {exc}")


@windows_only
def test_ctrl_break_runs_the_keyboard_interrupt_path(tmp_path: Path) -> None:
    marker = tmp_path / "marker.txt"
    proc = _start(marker, "guarded")
    try:
        ctrl_break(proc.pid)
        assert proc.wait(timeout=20) == 130
    finally:
        proc.kill()
    assert marker.read_text().splitlines() == [
        "browser closed; ledger written",
        "interrupted: stopped by SIGBREAK",
    ]


@windows_only
def test_in_process_ctrl_break_raises_keyboard_interrupt_and_handler_is_restored() -> None:
    sigbreak = signal.SIGBREAK
    before = signal.getsignal(sigbreak)
    with pytest.raises(TerminatedBySignal) as info, sigterm_as_interrupt():
        signal.raise_signal(sigbreak)
        pytest.fail("the signal should have interrupted the block")
    assert info.value.signal_name == "SIGBREAK"
    assert signal.getsignal(sigbreak) == before
