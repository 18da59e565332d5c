"""``emsys-rpa mock-portal`` as a user runs it: a subprocess, stopped with SIGTERM.

On Windows there is no SIGTERM to send (``send_signal(SIGTERM)`` is TerminateProcess, which
no handler sees): there the command is terminated and only what it printed and served counts.
"""

from __future__ import annotations

import os
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
        if os.name == "posix":
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=20) == 0
        else:
            process.terminate()
            process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def refused(*flags: str) -> subprocess.CompletedProcess[str]:
    """Run the command with options it must refuse (it exits at once)."""
    return subprocess.run(
        [*MOCK_PORTAL, *flags], capture_output=True, text=True, timeout=60, check=False
    )
