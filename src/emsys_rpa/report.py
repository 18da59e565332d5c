"""The self-contained ``report.html`` of a run, and the wording every user-facing view shares.

The report must open from a file share or an e-mail attachment years later, so it carries
everything inline: CSS in the page, screenshots as base64 ``data:`` URIs, no scripts, no links
to anything outside the file. It renders only the ``RunSummary``; every string still goes through
the log redactor, because an error text can quote whatever the portal echoed back.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from emsys_rpa.errors import ExitStatus
from emsys_rpa.logging_setup import redactor
from emsys_rpa.summary import RunSummary, StepRecord, StepStatus, TaskResult, TaskStatus

REPORT_NAME = "report.html"

Level = Literal["ok", "info", "warn", "fail"]

_IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}

# "session" is the runner's name for run-level steps (log in, log out).
SESSION = "session"

_TASK_LABELS = {
    "alerts": "Alerts (Transmitere alerte)",
    "invoices": "Invoices (Transmitere facturi)",
    SESSION: "Portal session (log in, log out)",
}

_TASK_STATUS: dict[TaskStatus, tuple[Level, str]] = {
    TaskStatus.VERIFIED: ("ok", "verified: the history shows sending started"),
    TaskStatus.NOT_VERIFIED: ("warn", "scheduled, but not seen in the history in time"),
    TaskStatus.DRY_RUN: ("info", "dry run: cancelled before sending"),
    TaskStatus.SKIPPED: ("info", "skipped"),
    TaskStatus.FAILED: ("fail", "failed before anything was sent"),
    TaskStatus.OUTCOME_UNKNOWN: ("fail", "outcome unknown: check the portal before rerunning"),
    TaskStatus.NOT_RUN: ("fail", "not run: the run stopped before this task"),
}


@dataclass(frozen=True)
class Headline:
    """The first thing anyone reads: a level for colouring, a short title, one sentence."""

    level: Level
    title: str
    text: str


def effective_exit_code(summary: RunSummary) -> int:
    """The run's exit code, derived from its tasks if the runner has not set it (yet)."""
    if summary.exit_code is not None:
        return summary.exit_code
    return int(summary.derive_exit_status())


def headline(summary: RunSummary) -> Headline:
    code = effective_exit_code(summary)
    statuses = {t.status for t in summary.tasks}
    if code == ExitStatus.OK:
        if summary.dry_run:
            return Headline(
                "info",
                "DRY RUN COMPLETED",
                "Every screen was filled in, then cancelled before sending: nothing was sent.",
            )
        return Headline(
            "ok",
            "OK: SCHEDULED AND VERIFIED",
            "Sending was scheduled and the portal's history shows it started.",
        )
    if code == ExitStatus.NOT_VERIFIED:
        return Headline(
            "warn",
            "NOT VERIFIED",
            "Sending was scheduled, but the portal's history did not show it start in time: "
            "look at Istoric alerte / Istoric facturi E-mail/SMS in the portal.",
        )
    if code == ExitStatus.LOCKED:
        return Headline("warn", "NOT STARTED", "Another run was in progress; this one did nothing.")
    if code == ExitStatus.CONFIG_ERROR:
        return Headline(
            "fail",
            "CONFIGURATION ERROR",
            "Nothing was attempted: fix the configuration named below and run again.",
        )
    if code == ExitStatus.INTERRUPTED:
        return Headline(
            "fail",
            "INTERRUPTED",
            "The run was stopped before it finished: check the portal's history before "
            "running again.",
        )
    if TaskStatus.OUTCOME_UNKNOWN in statuses:
        return Headline(
            "fail",
            "FAILED: OUTCOME UNKNOWN",
            "Sending may or may not have been scheduled: check the portal's history before "
            "running again, or customers may be sent the same messages twice.",
        )
    return Headline(
        "fail",
        "FAILED",
        "A task failed or did not run: see the errors and their screenshots.",
    )


def task_label(name: str) -> str:
    return _TASK_LABELS.get(name, name)


def task_status_text(status: TaskStatus) -> str:
    return _TASK_STATUS[status][1]


def task_status_level(status: TaskStatus) -> Level:
    return _TASK_STATUS[status][0]


def fmt_dt(value: datetime | None, *, seconds: bool = True) -> str:
    if value is None:
        return "–"
    return value.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def task_duration(task: TaskResult) -> float | None:
    """Wall time from the task's first step to the end of its last one."""
    if not task.steps:
        return None
    start = min(step.started_at for step in task.steps)
    end = max(step.started_at.timestamp() + step.duration_s for step in task.steps)
    return max(0.0, end - start.timestamp())


def run_duration(summary: RunSummary) -> float | None:
    if summary.finished_at is None:
        return None
    return max(0.0, (summary.finished_at - summary.started_at).total_seconds())


def safe_url(url: str) -> str:
    """The URL without any user:password@ part (never shown, even redacted)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return redactor.scrub(url)
    if parts.username is None and parts.password is None:
        return redactor.scrub(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return redactor.scrub(urlunsplit(parts._replace(netloc=host)))


def report_path(summary: RunSummary) -> Path | None:
    """Where the report of this run is (or would be), from the summary's run folder."""
    return Path(summary.run_dir) / REPORT_NAME if summary.run_dir else None


def trace_path(summary: RunSummary, run_dir: Path | None = None) -> Path | None:
    if not summary.trace:
        return None
    path = Path(summary.trace)
    base = run_dir or (Path(summary.run_dir) if summary.run_dir else None)
    if not path.is_absolute() and base is not None:
        path = base / path
    return path.absolute()


def show_trace_command(path: Path) -> str:
    quoted = f'"{path}"' if " " in str(path) else str(path)
    return f"playwright show-trace {quoted}"


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


def _shot(run_dir: Path, task: str, step: StepRecord) -> _Shot | None:
    if not step.screenshot:
        return None
    return _Shot(
        caption=f"{task_label(task)} · {step.name}",
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


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("emsys_rpa", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["dt"] = fmt_dt
    env.filters["dt_min"] = lambda v: fmt_dt(v, seconds=False)
    env.filters["duration"] = fmt_duration
    env.globals.update(
        task_label=task_label,
        task_status_text=task_status_text,
        task_status_level=task_status_level,
        task_duration=task_duration,
    )
    return env


def render_report(summary: RunSummary, run_dir: Path) -> str:
    """The report's HTML (``write_report`` writes it; tests and previews call this)."""
    head = headline(summary)

    def section(name: str, steps: list[StepRecord]) -> dict[str, Any]:
        shots = [s for s in (_shot(run_dir, name, step) for step in steps) if s]
        return {
            "name": name,
            "steps": steps,
            "shots": shots,
            "failed_shots": [s for s in shots if s.failed],
        }

    session = section(SESSION, summary.steps)
    tasks = [{**section(task.name, task.steps), "task": task} for task in summary.tasks]
    trace = trace_path(summary, run_dir)
    code = effective_exit_code(summary)
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            summary=summary,
            headline=head,
            exit_code=code,
            portal_url=safe_url(summary.portal_url),
            run_duration=run_duration(summary),
            session=session,
            tasks=tasks,
            verifications=[t for t in summary.tasks if t.verification is not None],
            has_errors=bool(summary.errors) or any(t.errors for t in summary.tasks),
            trace=str(trace) if trace else None,
            trace_command=show_trace_command(trace) if trace else None,
            failed=code != ExitStatus.OK,
        )
    )


def write_report(summary: RunSummary, run_dir: Path) -> Path:
    """Write ``run_dir/report.html`` and return its path."""
    html = render_report(summary, run_dir)
    path = run_dir / REPORT_NAME
    partial = run_dir / f".{REPORT_NAME}.partial"
    partial.write_text(html, encoding="utf-8")
    # Replace in one step: a reader (or a mailer attaching it) never sees half a report.
    partial.replace(path)
    return path
