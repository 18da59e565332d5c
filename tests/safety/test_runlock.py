"""One run at a time: the second run fails at once, with exit status LOCKED, naming the first."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from emsys_rpa.errors import AnotherRunInProgressError, ExitStatus
from emsys_rpa.runlock import HOLDER_NAME, read_holder, run_lock

# Holds the lock until its stdin is closed; says so on stdout once it holds it.
HOLDER = """
import sys
from pathlib import Path
from emsys_rpa.runlock import run_lock
with run_lock(Path(sys.argv[1])):
    print("holding", flush=True)
    sys.stdin.read()
"""

# What `emsys-rpa run` does with the error: one line on stderr, the error's exit status.
CONTENDER = """
import sys
from pathlib import Path
from emsys_rpa.errors import EmsysError
from emsys_rpa.runlock import run_lock
try:
    with run_lock(Path(sys.argv[1])):
        print("got the lock", flush=True)
except EmsysError as exc:
    print(f"emsys-rpa: error: {exc}", file=sys.stderr)
    sys.exit(int(exc.exit_status))
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    try:
        assert proc.stdout.readline().strip() == "holding"
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def _contend(state_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CONTENDER, str(state_dir)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_second_process_fails_with_locked_and_names_the_holder(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    second = _contend(tmp_path)
    assert second.returncode == ExitStatus.LOCKED == 4
    assert "got the lock" not in second.stdout
    assert f"held by pid {holder.pid}" in second.stderr
    assert "since " in second.stderr
    assert "live process" in second.stderr


def test_lock_is_free_again_once_the_holder_finishes(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    assert holder.stdin is not None
    holder.stdin.close()
    assert holder.wait(timeout=10) == 0
    second = _contend(tmp_path)
    assert second.returncode == 0, second.stderr
    assert "got the lock" in second.stdout


def test_a_killed_holder_leaves_no_stale_lock(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    holder.kill()
    holder.wait(timeout=10)
    # Its run.lock.json survives the crash, but the OS has released the lock itself.
    assert read_holder(tmp_path) is not None
    second = _contend(tmp_path)
    assert second.returncode == 0, second.stderr


def test_holder_details_are_written_while_held_and_removed_after(tmp_path: Path) -> None:
    with run_lock(tmp_path):
        data = json.loads((tmp_path / HOLDER_NAME).read_text(encoding="utf-8"))
        assert data["pid"] > 0
        assert {"pid", "user", "host", "started"} <= set(data)
    assert not (tmp_path / HOLDER_NAME).exists()


def test_in_process_second_lock_is_refused(tmp_path: Path) -> None:
    with run_lock(tmp_path), pytest.raises(AnotherRunInProgressError) as info, run_lock(tmp_path):
        pass
    assert info.value.exit_status == ExitStatus.LOCKED
    # Released on the way out: a later run gets it.
    with run_lock(tmp_path):
        pass


def test_lock_is_released_when_the_block_raises(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), run_lock(tmp_path):
        raise RuntimeError("boom")
    with run_lock(tmp_path):
        pass


def test_unreadable_holder_details_are_reported_as_such(tmp_path: Path) -> None:
    with run_lock(tmp_path):
        (tmp_path / HOLDER_NAME).write_text("{not json", encoding="utf-8")
        with pytest.raises(AnotherRunInProgressError) as info, run_lock(tmp_path):
            pass
    text = str(info.value)
    assert "unknown" in text
    assert "unreadable" in text
