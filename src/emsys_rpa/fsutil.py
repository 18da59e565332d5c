"""Owner-only folders and files for config, ledger and run folders.

Run folders hold screenshots of customer data and the ledger names the portal user, so other
local accounts must not read them. Modes are set with ``chmod`` after creation so that a
permissive umask (cron jobs often run with 022 or 002) cannot widen them.
"""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def _supports_modes() -> bool:
    # Windows ignores everything but the read-only bit; its ACLs already default to the owner.
    return os.name == "posix"


def private_dir(path: Path) -> Path:
    """``mkdir -p path`` and make the leaf readable by its owner only (where the OS can)."""
    path.mkdir(parents=True, exist_ok=True)
    if _supports_modes():
        path.chmod(DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` if missing (parents included) and make it owner-only (where the OS can).

    The file is created with the restrictive mode from the start, so there is no window in
    which it exists with the umask's wider permissions.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        os.close(fd)
    if _supports_modes():
        path.chmod(FILE_MODE)
    return path


def usable_dir(path: Path, what: str) -> Path:
    """``private_dir(path)``, or a ``ConfigError`` naming the folder, its role and why not.

    ``what`` says what the folder is for ("state folder", "run folder"), for the message.
    """
    from emsys_rpa.errors import ConfigError
    from emsys_rpa.wording.i18n import _

    try:
        private_dir(path)
        probe = path / f".emsys-rpa-write-test.{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError(
            _("the {what} {path} cannot be used: {reason}").format(
                what=_(what), path=path, reason=reason
            ),
            hint=_("choose a folder this user can create and write to"),
        ) from None
    return path
