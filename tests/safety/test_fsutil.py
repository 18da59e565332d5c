"""Owner-only folders and files, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from emsys_rpa.fsutil import private_dir, private_file

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    old = os.umask(0o002)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_private_dir_creates_parents_and_is_owner_only(
    tmp_path: Path, permissive_umask: None
) -> None:
    target = tmp_path / "a" / "b" / "state"
    assert private_dir(target) == target
    assert target.is_dir()
    assert _mode(target) == 0o700


@posix_only
def test_private_dir_tightens_an_existing_folder(tmp_path: Path) -> None:
    target = tmp_path / "shared"
    target.mkdir(mode=0o777)
    target.chmod(0o777)
    private_dir(target)
    assert _mode(target) == 0o700


@posix_only
def test_private_file_is_created_owner_only(tmp_path: Path, permissive_umask: None) -> None:
    target = tmp_path / "cfg" / "config.toml"
    assert private_file(target) == target
    assert target.is_file()
    assert _mode(target) == 0o600


@posix_only
def test_private_file_keeps_content_and_tightens_mode(tmp_path: Path) -> None:
    target = tmp_path / "summary.json"
    target.write_text("{}", encoding="utf-8")
    target.chmod(0o644)
    private_file(target)
    assert _mode(target) == 0o600
    assert target.read_text(encoding="utf-8") == "{}"


def test_private_dir_is_idempotent(tmp_path: Path) -> None:
    target = tmp_path / "x"
    private_dir(target)
    private_dir(target)
    assert target.is_dir()
