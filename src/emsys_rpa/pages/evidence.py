"""What every open window showed when a step failed: its accessibility snapshot and its HTML.

A person reading the run folder sees what the robot saw — the controls by role and name
(``aria_snapshot``) and the markup — to write a ``[selectors]`` line or report a change. A
window holding a typed password is never kept (the login form), and every text passes through
the redactor first.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import structlog
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from emsys_rpa.fsutil import private_dir, private_file
from emsys_rpa.redaction import error_line, scrub_text

log = structlog.get_logger("emsys_rpa.pages.evidence")

_HOLDS_TYPED_TEXT = (  # a password field with something typed in it
    "() => Array.from(document.querySelectorAll('input[type=password]')).some(i => !!i.value)"
)


def _safe(name: str) -> str:
    kept = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name.lower())
    return "-".join(part for part in kept.split("-") if part)[:60] or "step"


def _holds_password(page: Page) -> bool:
    for frame in page.frames:
        try:
            if frame.evaluate(_HOLDS_TYPED_TEXT):
                return True
        except PlaywrightError:
            return True  # cannot tell: keep nothing
    return False


def keep_windows(pages: Sequence[Page], run_dir: Path, name: str) -> list[str]:
    """Write ``snapshots/<name>-w<n>.aria.yml`` and ``.html`` for every open window; the
    paths written, relative to ``run_dir``."""
    folder = run_dir / "snapshots"
    private_dir(folder)
    written: list[str] = []
    for number, page in enumerate(p for p in pages if not p.is_closed()):
        stem = f"{_safe(name)}-w{number + 1}"
        if _holds_password(page):
            log.info("window not kept: it holds a typed password", window=number + 1)
            continue
        parts: list[tuple[str, str]] = []
        try:
            parts.append(("aria.yml", page.locator("body").aria_snapshot(timeout=5000)))
        except PlaywrightError as exc:
            log.warning("accessibility snapshot failed", error=error_line(exc))
        for index, frame in enumerate(page.frames):
            suffix = "html" if index == 0 else f"frame{index}.html"
            try:
                parts.append((suffix, f"<!-- {frame.url} -->\n" + frame.content()))
            except PlaywrightError:
                continue
        for suffix, text in parts:
            target = folder / f"{stem}.{suffix}"
            target.write_text(scrub_text(text), encoding="utf-8")
            private_file(target)
            written.append(target.relative_to(run_dir).as_posix())
    return written
