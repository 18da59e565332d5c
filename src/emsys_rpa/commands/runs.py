"""Placeholder until its issue lands."""

from __future__ import annotations

from emsys_rpa.errors import EmsysError, ExitStatus


def command() -> ExitStatus:
    """Not built yet."""
    raise EmsysError("this command is not built yet")
