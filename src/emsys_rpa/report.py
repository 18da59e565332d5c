"""The self-contained ``report.html`` of a run.

The report must open from a file share or an e-mail attachment years later, so it carries
everything inline: CSS in the page, screenshots as base64 ``data:`` URIs, no scripts, no links
to anything outside the file. It renders only the ``RunSummary``; every string still goes through
the log redactor, because an error text can quote whatever the portal echoed back.
"""

from __future__ import annotations

import base64
import threading
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    from jinja2 import Environment

from emsys_rpa.cachedir import cache_dir
from emsys_rpa.errors import ExitStatus
from emsys_rpa.redaction import redactor
from emsys_rpa.summary import REPORT_NAME, SESSION, RunSummary, StepRecord, StepStatus
from emsys_rpa.wording import (
    _,
    fmt_clock,
    fmt_dt,
    fmt_duration,
    headline,
    language,
    safe_url,
    session_title,
    show_trace_command,
    step_name,
    task_outcome,
    task_status_label,
    task_status_level,
    task_status_text,
    task_title,
    translate_text,
)

_IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}


# --- rendering ---------------------------------------------------------------------------


class DataURI(str):
    """An embedded image: base64 only, so neither escaping nor secret scrubbing applies."""

    __slots__ = ()


@dataclass(frozen=True)
class _Shot:
    caption: str
    data_uri: DataURI | None  # None: the file is missing or not an image
    path: str
    failed: bool


def _embed(run_dir: Path, relative: str) -> DataURI | None:
    """The screenshot as a data: URI, or None if it is not a readable image inside run_dir."""
    path = (run_dir / relative).resolve()
    mime = _IMAGE_TYPES.get(path.suffix.lower())
    # The summary names files relative to the run folder; anything that points outside it is
    # not a screenshot of this run and must not be pulled into a report that gets mailed.
    if mime is None or not path.is_relative_to(run_dir.resolve()):
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return DataURI(f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}")


def _shot(run_dir: Path, title: str, step: StepRecord) -> _Shot | None:
    if not step.screenshot:
        return None
    return _Shot(
        caption=f"{title} · {step_name(step.name)}",
        data_uri=_embed(run_dir, step.screenshot),
        path=step.screenshot,
        failed=step.status is StepStatus.FAILED,
    )


def _finalize(value: Any) -> Any:
    # Every {{ … }} passes here before escaping: the last line of defence for secrets.
    if value is None:
        return ""
    if isinstance(value, DataURI | Markup):
        # Markup was built by the template from already-finalized parts; DataURI is base64.
        return value
    if isinstance(value, str):
        return redactor.scrub(value)
    return value


def _step_status(status: StepStatus) -> str:
    return {
        StepStatus.OK: _("ok"),
        StepStatus.FAILED: _("failed"),
        StepStatus.SKIPPED: _("skipped"),
    }[status]


TEMPLATE = "report.html.j2"


def _environment() -> Environment:
    # Compiling the template took ~60 ms of every run; its bytecode is kept in the user's cache.
    return _environment_with(cache_dir("jinja2"))


@cache
def _environment_with(compiled: Path | None) -> Environment:
    # jinja2 loads only when a report is written, not for every command's start-up.
    from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("emsys_rpa", "templates"),
        bytecode_cache=FileSystemBytecodeCache(str(compiled)) if compiled else None,
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["dt"] = fmt_dt
    env.filters["dt_min"] = lambda v: fmt_dt(v, seconds=False)
    env.filters["duration"] = fmt_duration
    env.filters["clock"] = fmt_clock
    env.globals.update(
        _=_,
        task_title=task_title,
        task_status_text=task_status_text,
        task_status_label=task_status_label,
        task_status_level=task_status_level,
        task_outcome=task_outcome,
        step_name=step_name,
        step_status=_step_status,
        translate_text=translate_text,
    )
    return env


def render_report(summary: RunSummary, run_dir: Path) -> str:
    """The report's HTML (``write_report`` writes it; tests and previews call this)."""
    head = headline(summary)

    def section(name: str, title: str, steps: list[StepRecord]) -> dict[str, Any]:
        shots = [s for s in (_shot(run_dir, title, step) for step in steps) if s]
        return {
            "name": name,
            "title": title,
            "steps": steps,
            "shots": shots,
            "failed_shots": [s for s in shots if s.failed],
        }

    session = section(SESSION, session_title(), summary.steps)
    tasks = [
        {**section(task.name, task_title(task), task.steps), "task": task} for task in summary.tasks
    ]
    trace = summary.trace_path(run_dir)
    code = summary.effective_exit_code()
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(
            summary=summary,
            lang=language(),
            headline=head,
            exit_code=code,
            portal_url=safe_url(summary.portal_url),
            run_duration=summary.duration_s(),
            session=session,
            tasks=tasks,
            verifications=[t for t in summary.tasks if t.verification is not None],
            has_errors=bool(summary.errors) or any(t.errors for t in summary.tasks),
            trace=str(trace) if trace else None,
            trace_command=show_trace_command(trace) if trace else None,
            failed=code != ExitStatus.OK,
        )
    )


def prepare_in_background() -> threading.Thread:
    """Load what writing a report takes — jinja2, the template, the language's number and
    date formats — in a thread, while the run waits on the browser: ~40 ms that were spent
    at the first step's console line and after the browser closed. Nothing is written."""

    def prepare() -> None:
        with suppress(Exception):  # whatever fails here fails again, and is reported, later
            _environment().get_template(TEMPLATE)
            fmt_duration(1.0)
            fmt_dt(datetime.now(UTC))

    thread = threading.Thread(target=prepare, name="emsys-rpa-report-warm-up", daemon=True)
    thread.start()
    return thread


def write_report(summary: RunSummary, run_dir: Path) -> Path:
    """Write ``run_dir/report.html`` and return its path."""
    html = render_report(summary, run_dir)
    path = run_dir / REPORT_NAME
    partial = run_dir / f".{REPORT_NAME}.partial"
    partial.write_text(html, encoding="utf-8")
    # Replace in one step: a reader (or a mailer attaching it) never sees half a report.
    partial.replace(path)
    return path
