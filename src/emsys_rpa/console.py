"""What a person running the robot sees on the console.

Three ways to show progress, chosen once per run by ``make_observer``:

- on a terminal, a live step list (spinner and elapsed time for the running step);
- anywhere else (cron mail, systemd journal, CI log), one plain line per finished step, with no
  colours, spinners or cursor movement, so that the log reads top to bottom;
- with ``--quiet``, nothing until ``print_final`` writes the one line a cron mail needs.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from types import TracebackType
from typing import Self, TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from emsys_rpa.errors import ExitStatus
from emsys_rpa.events import NullObserver
from emsys_rpa.redaction import redactor
from emsys_rpa.summary import SESSION, RunSummary, StepRecord, StepStatus, TaskResult
from emsys_rpa.wording import (
    Level,
    _,
    all_errors,
    fmt_clock,
    fmt_duration,
    headline,
    one_line,
    safe_url,
    show_trace_command,
    step_name,
    task_outcome,
    task_status_level,
    task_title,
    translate_text,
)

_STYLE: dict[Level, str] = {"ok": "green", "info": "cyan", "warn": "yellow", "fail": "red"}
_STEP_MARK = {StepStatus.OK: "✓", StepStatus.FAILED: "✗", StepStatus.SKIPPED: "–"}
_STEP_STYLE = {StepStatus.OK: "green", StepStatus.FAILED: "bold red", StepStatus.SKIPPED: "dim"}
# Non-terminal output is read in mails and log viewers: wide enough for paths, never wrapped.
_PLAIN_WIDTH = 120


class ConsoleObserver(NullObserver):
    """A RunObserver that is also a context manager (entering it starts the display)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        return None


class QuietObserver(ConsoleObserver):
    """--quiet: progress is in run.log.jsonl; the console gets only the final line."""


def _clock(zone: tzinfo | None) -> str:
    # The portal's zone, as the step details and the report use: one clock, labelled.
    return fmt_clock(datetime.now(zone).astimezone(zone))


def _one_line(text: str) -> str:
    # Portal messages arrive with their line breaks; a progress line must stay one line.
    return " ".join(redactor.scrub(translate_text(text)).split())


def _where(task: str, step: str) -> str:
    owner = _("session") if task == SESSION else task
    return f"{owner}: {step_name(step)}" if task else step_name(step)


def _step_status(status: StepStatus) -> str:
    return {
        StepStatus.OK: _("ok"),
        StepStatus.FAILED: _("failed"),
        StepStatus.SKIPPED: _("skipped"),
    }[status]


def _run_intro(summary: RunSummary) -> str:
    mode = " " + _("(dry run: nothing will be sent)") if summary.dry_run else ""
    return _("emsys-rpa run {run}: {portal} as {user}{mode}").format(
        run=summary.run_id,
        portal=safe_url(summary.portal_url),
        user=summary.username,
        mode=mode,
    )


class PlainObserver(ConsoleObserver):
    """One line per finished step: for logs, pipes and mail, never for a live terminal."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._zone: tzinfo | None = None

    def _line(self, text: str) -> None:
        self._stream.write(redactor.scrub(text) + "\n")
        self._stream.flush()

    def run_started(self, summary: RunSummary) -> None:
        self._zone = summary.started_at.tzinfo
        self._line(f"{_clock(self._zone)} {_run_intro(summary)}")

    def step_finished(self, task: str, record: StepRecord) -> None:
        detail = f" - {_one_line(record.detail)}" if record.detail else ""
        self._line(
            f"{_clock(self._zone)} {_where(task, record.name)}: {_step_status(record.status)} "
            f"({fmt_duration(record.duration_s)}){detail}"
        )

    def task_finished(self, result: TaskResult) -> None:
        self._line(f"{_clock(self._zone)} {result.name}: {_one_line(task_outcome(result))}")


@dataclass
class _Row:
    task: str
    step: str
    started: float = field(default_factory=time.monotonic)
    record: StepRecord | None = None
    spinner: Spinner = field(default_factory=lambda: Spinner("dots", style="cyan"))


class LiveObserver(ConsoleObserver):
    """A live step list on a terminal: a spinner and the elapsed time on the running step."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._rows: list[_Row] = []
        self._task_lines: dict[int, Text] = {}  # after row index → task outcome line
        self._live = Live(
            self, console=console, refresh_per_second=8, transient=False, auto_refresh=True
        )
        self._started = False

    @staticmethod
    def _grid() -> Table:
        # Same column set-up in every block, so that blocks split by task lines stay aligned.
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=2)
        grid.add_column(ratio=3)
        grid.add_column(width=10, justify="right", style="dim")
        grid.add_column(ratio=2, style="dim", overflow="fold")
        return grid

    def __rich__(self) -> RenderableType:
        blocks: list[RenderableType] = []
        grid = self._grid()
        for index, row in enumerate(self._rows):
            if row.record is None:
                elapsed = fmt_duration(time.monotonic() - row.started)
                grid.add_row(row.spinner, _where(row.task, row.step), elapsed, "")
            else:
                rec = row.record
                mark = Text(_STEP_MARK[rec.status], style=_STEP_STYLE[rec.status])
                detail = _one_line(rec.detail) if rec.detail else ""
                grid.add_row(mark, _where(row.task, rec.name), fmt_duration(rec.duration_s), detail)
            if index in self._task_lines:
                # A task's outcome gets a full-width line of its own under its steps.
                blocks += [grid, self._task_lines[index]]
                grid = self._grid()
        if grid.row_count:
            blocks.append(grid)
        return Group(*blocks)

    def _start(self) -> None:
        if not self._started:
            self._started = True
            self._live.start()

    def close(self) -> None:
        if self._started:
            self._started = False
            self._live.stop()

    def run_started(self, summary: RunSummary) -> None:
        self._start()
        self._console.print(Text(redactor.scrub(_run_intro(summary)), style="bold"))

    def step_started(self, task: str, step: str) -> None:
        self._start()
        self._rows.append(_Row(task=task, step=step))
        self._live.refresh()

    def step_finished(self, task: str, record: StepRecord) -> None:
        self._start()
        running = [r for r in reversed(self._rows) if r.record is None and r.task == task]
        row = next((r for r in running if r.step == record.name), running[0] if running else None)
        if row is None:
            row = _Row(task=task, step=record.name)
            self._rows.append(row)
        row.record = record
        self._live.refresh()

    def task_finished(self, result: TaskResult) -> None:
        level = task_status_level(result.status)
        text = f"   → {task_title(result)}: {_one_line(task_outcome(result))}"
        self._task_lines[len(self._rows) - 1] = Text(text, style=f"bold {_STYLE[level]}")
        self._live.refresh()

    def run_finished(self, summary: RunSummary) -> None:
        # Stop before the caller prints the final table, so the two never interleave.
        self.close()


def _is_live_terminal(console: Console) -> bool:
    return console.is_terminal and not console.is_dumb_terminal


def make_observer(*, quiet: bool, stream: TextIO | None = None) -> ConsoleObserver:
    """The progress display for this run (use it as a context manager around the run)."""
    if quiet:
        return QuietObserver()
    out = stream if stream is not None else sys.stdout
    console = Console(file=out)
    if _is_live_terminal(console):
        return LiveObserver(console)
    return PlainObserver(out)


def _final_console(stream: TextIO) -> Console:
    console = Console(file=stream, highlight=False, emoji=False)
    if _is_live_terminal(console):
        return console
    return Console(
        file=stream,
        highlight=False,
        emoji=False,
        no_color=True,
        color_system=None,
        force_terminal=False,
        width=_PLAIN_WIDTH,
    )


def _sent_time(value: datetime | None, day: datetime) -> str:
    if value is None:
        return "–"
    if value.date() == day.date():
        return fmt_clock(value, seconds=False)
    return f"{value:%Y-%m-%d} {fmt_clock(value, seconds=False)}"


def _summary_table(summary: RunSummary, *, plain: bool) -> Table:
    table = Table(box=box.ASCII2 if plain else box.ROUNDED, show_edge=not plain)
    table.add_column(_("task"))
    table.add_column(_("status"))
    table.add_column(_("rows seen"), justify="right")
    table.add_column(_("first sent"))
    table.add_column(_("last sent"))
    table.add_column(_("duration"), justify="right")
    for task in summary.tasks:
        v = task.verification
        # The full sentence about a task done earlier is in the headline; a cell stays short.
        status = _("already done") if task.done_by else task_outcome(task)
        table.add_row(
            task.name,
            Text(redactor.scrub(status), style=_STYLE[task_status_level(task.status)]),
            str(v.rows_seen) if v else "–",
            _sent_time(v.first_sent_at if v else None, summary.started_at),
            _sent_time(v.last_sent_at if v else None, summary.started_at),
            fmt_duration(task.duration_s()),
        )
    return table


def print_final(summary: RunSummary, *, quiet: bool, stream: TextIO | None = None) -> None:
    """The end of the run on the console: table, errors, report path; quiet: one line."""
    out = stream if stream is not None else sys.stdout
    if quiet:
        out.write(redactor.scrub(one_line(summary)) + "\n")
        out.flush()
        return
    console = _final_console(out)
    plain = not _is_live_terminal(console)
    head = headline(summary)
    console.print(
        Text.assemble((head.title, f"bold {_STYLE[head.level]}"), " — ", redactor.scrub(head.text)),
        soft_wrap=True,
    )
    if summary.tasks:
        console.print(_summary_table(summary, plain=plain))
    for error in all_errors(summary):
        line = _("error: {text}").format(text=redactor.scrub(error))
        console.print(Text(line, style="red"), soft_wrap=True)
    for warning in summary.warnings:
        line = _("warning: {text}").format(text=redactor.scrub(translate_text(warning)))
        console.print(Text(line, style="yellow"), soft_wrap=True)
    trace = summary.trace_path()
    if trace is not None and summary.effective_exit_code() != ExitStatus.OK:
        line = _("Trace: {command}").format(command=show_trace_command(trace))
        console.print(line, soft_wrap=True, markup=False)
    report = summary.report_path()
    if report is not None and report.is_file():
        line = _("Report: {path}").format(path=_display_path(report))
        console.print(line, soft_wrap=True, markup=False)
    elif summary.run_dir:
        line = _("Run folder: {path}").format(path=summary.run_dir)
        console.print(line, soft_wrap=True, markup=False)
    console.print(Text(redactor.scrub(one_line(summary))), soft_wrap=True)


def _display_path(path: Path) -> str:
    # An absolute path can be pasted into a file manager or a browser from any folder.
    return str(path.absolute())
