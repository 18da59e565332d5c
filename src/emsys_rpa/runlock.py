"""One run at a time: cron and a clerk must never drive the portal together.

The lock is an OS file lock (``filelock``) on ``state_dir/run.lock``. The OS releases it when
the holding process dies, however it dies, so a lock that is held always belongs to a live
process: there is no stale lock to clean up by hand. Next to it, ``run.lock.json`` says who
holds it (pid, user, host, since when) so that the run refused can name its rival.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import filelock

from emsys_rpa.errors import AnotherRunInProgressError
from emsys_rpa.fsutil import FILE_MODE, private_dir, private_file

LOCK_NAME = "run.lock"
HOLDER_NAME = "run.lock.json"


@dataclass(frozen=True)
class LockHolder:
    pid: int
    user: str
    host: str
    started: str  # ISO 8601, local time with offset
    command: str

    @classmethod
    def current(cls) -> LockHolder:
        return cls(
            pid=os.getpid(),
            user=_user(),
            host=socket.gethostname(),
            started=datetime.now().astimezone().isoformat(timespec="seconds"),
            command=" ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv else "",
        )

    def since(self) -> str:
        try:
            return datetime.fromisoformat(self.started).strftime("%Y-%m-%d %H:%M:%S")
        except ValueError:
            return self.started


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers / services
        return "?"


def read_holder(state_dir: Path) -> LockHolder | None:
    """The holder details written by the run that holds (or last held) the lock."""
    try:
        data = json.loads((state_dir / HOLDER_NAME).read_text(encoding="utf-8"))
        return LockHolder(
            pid=int(data["pid"]),
            user=str(data["user"]),
            host=str(data["host"]),
            started=str(data["started"]),
            command=str(data.get("command", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_holder(state_dir: Path, holder: LockHolder) -> None:
    # Written to a temporary name and renamed, so a rival never reads half a file.
    target = state_dir / HOLDER_NAME
    tmp = private_file(state_dir / f"{HOLDER_NAME}.{holder.pid}.tmp")
    tmp.write_text(json.dumps(asdict(holder), indent=2), encoding="utf-8")
    tmp.replace(target)


def _pid_alive(pid: int) -> bool | None:
    """True/False where it can be told cheaply (POSIX), None otherwise."""
    if os.name != "posix":
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OSError:
        return None
    return True


def _refusal(state_dir: Path) -> AnotherRunInProgressError:
    lock_path = state_dir / LOCK_NAME
    holder = read_holder(state_dir)
    stale_hint = (
        "the operating system releases this lock when its process ends, however it ends, so a "
        "held lock means a live process: wait for it to finish, or stop that process; there is "
        "no lock file to delete"
    )
    if holder is None:
        return AnotherRunInProgressError(
            f"another emsys-rpa run is in progress: {lock_path} is held by another process "
            f"(who holds it is unknown: {state_dir / HOLDER_NAME} is missing or unreadable)",
            hint=stale_hint,
        )
    same_host = holder.host == socket.gethostname()
    if same_host and _pid_alive(holder.pid) is False:
        # The details on file belong to an earlier run; the live holder has not written its own
        # yet (it is between acquiring the lock and writing run.lock.json).
        return AnotherRunInProgressError(
            f"another emsys-rpa run is in progress: {lock_path} is held by a process that just "
            f"started (the details on file name pid {holder.pid}, which has ended)",
            hint=stale_hint,
        )
    check = f"`ps -p {holder.pid}`" if os.name == "posix" else f"Task Manager (PID {holder.pid})"
    what = f" running `{holder.command}`" if holder.command else ""
    return AnotherRunInProgressError(
        f"another emsys-rpa run is in progress: {lock_path} is held by pid {holder.pid} "
        f"(user {holder.user}@{holder.host}){what} since {holder.since()}",
        hint=f"check it with {check} on {holder.host}; {stale_hint}",
    )


@contextmanager
def run_lock(state_dir: Path) -> Iterator[None]:
    """Hold the run lock for the ``with`` block, or raise ``AnotherRunInProgressError`` at once.

    Never waits: a second run (cron overlapping a clerk, a retried cron job) exits with
    ``ExitStatus.LOCKED`` and names the holder.
    """
    private_dir(state_dir)
    lock = filelock.FileLock(state_dir / LOCK_NAME, timeout=0, mode=FILE_MODE)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise _refusal(state_dir) from None
    try:
        _write_holder(state_dir, LockHolder.current())
        yield
    finally:
        # Removed while still holding the lock, so no rival ever reads our details as its own.
        with suppress(OSError):
            (state_dir / HOLDER_NAME).unlink()
        lock.release()
