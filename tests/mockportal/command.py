"""``emsys-rpa mock-portal`` as a user runs it: a subprocess, stopped with SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

MOCK_PORTAL = [sys.executable, "-m", "emsys_rpa", "mock-portal"]


@contextmanager
def serving(*flags: str) -> Iterator[list[str]]:
    """Start the command; yields its first two lines; then SIGTERM must stop it with 0."""
    process = subprocess.Popen(
        [*MOCK_PORTAL, *flags], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        yield [process.stdout.readline(), process.stdout.readline()]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def refused(*flags: str) -> subprocess.CompletedProcess[str]:
    """Run the command with options it must refuse (it exits at once)."""
    return subprocess.run(
        [*MOCK_PORTAL, *flags], capture_output=True, text=True, timeout=60, check=False
    )
