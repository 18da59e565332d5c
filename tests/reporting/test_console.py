"""The console: live progress on a terminal, plain lines elsewhere, one line with --quiet."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from emsys_rpa.console import make_observer, print_final
from emsys_rpa.report import write_report
from emsys_rpa.summary import RunSummary, TaskResult
from emsys_rpa.wording import one_line

SummaryFactory = Callable[..., RunSummary]
ANSI = re.compile(r"\x1b\[")


class _Terminal(io.StringIO):
    """Captured output that says it is a terminal, as a real TTY would."""

    def isatty(self) -> bool:
        return True


def _replay(summary: RunSummary, stream: io.StringIO, *, quiet: bool = False) -> None:
    """Drive an observer the way the runner does, from a finished summary."""
    with make_observer(quiet=quiet, stream=stream) as observer:
        observer.run_started(summary)
        for task in summary.tasks:
            for step in task.steps:
                observer.step_started(task.name, step.name)
                observer.step_finished(task.name, step)
            observer.task_finished(task)
        observer.run_finished(summary)
    print_final(summary, quiet=quiet, stream=stream)


def test_not_a_terminal_gives_one_plain_line_per_step(make_summary: SummaryFactory) -> None:
    summary = make_summary("failed")
    summary.tasks[0].steps[
        2
    ].detail = "portal said (box): Informare\ni\nOperația a fost programată."
    write_report(summary, Path(summary.run_dir or ""))
    out = io.StringIO()

    _replay(summary, out)
    text = out.getvalue()
    lines = text.splitlines()

    assert not ANSI.search(text)
    assert not any(ch in text for ch in "⠋⠙⠹✓✗\r")
    step_lines = [
        line for line in lines if re.match(r"^\d\d:\d\d:\d\d [A-Z]+ \w+: .+: (ok|failed) ", line)
    ]
    # Every clock shows its zone (the machine's here: the summary's start has no portal zone).
    assert [line.split(" ", 2)[2] for line in step_lines] == [
        "alerts: Open Funcționalități → Alerte: ok (2.5 s)",
        "alerts: Tick Fundal: ok (0.4 s)",
        "alerts: Trimite alerta: ok (1.1 s) - portal said (box): Informare i Operația a fost "
        "programată.",
        "alerts: Read Istoric alerte: ok (1 min 35 s)",
        "invoices: Open Transmitere Facturi prin E-mail/SMS: ok (3.0 s)",
        "invoices: Fill Perioada: ok (0.8 s)",
        "invoices: Configureaza transmiterea facturii: failed (15.0 s) - button not found",
    ]
    assert any(line.endswith("alerts: verified (4 rows seen)") for line in lines)
    # The final table: task, status, rows seen, first/last send time, duration.
    table = [line.split("|") for line in lines if line.count("|") == 5]
    cells = [[cell.strip() for cell in row] for row in table]
    assert cells[0] == ["task", "status", "rows seen", "first sent", "last sent", "duration"]
    assert cells[1] == ["alerts", "verified (4 rows seen)", "4", "05:31", "05:33", "1 min 41 s"]
    assert cells[2] == ["invoices", "failed", "–", "–", "–", "21.0 s"]
    assert "error: invoices: button 'Configurează transmiterea facturii' not found" in lines
    run_dir = Path(summary.run_dir or "")
    assert f"Trace: playwright show-trace {run_dir / 'trace.zip'}" in lines
    assert f"Report: {run_dir / 'report.html'}" in lines
    assert lines[-1] == one_line(summary)


def test_quiet_prints_only_the_final_line(make_summary: SummaryFactory) -> None:
    summary = make_summary("not_verified")
    for stream in (io.StringIO(), _Terminal()):
        _replay(summary, stream, quiet=True)
        assert stream.getvalue() == one_line(summary) + "\n"
        assert stream.getvalue().startswith("emsys-rpa NOT VERIFIED (exit 3): ")


def test_a_terminal_gets_the_live_step_list_in_colour(make_summary: SummaryFactory) -> None:
    summary = make_summary("ok")
    out = _Terminal()

    _replay(summary, out)
    text = out.getvalue()
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)

    assert ANSI.search(text)
    # The step list stays on screen once the run is over, every step with its mark and time.
    assert "✓  alerts: Read Istoric alerte" in plain
    assert "1 min 35 s" in plain
    assert "→ Invoices (Transmitere facturi): verified (4 rows seen)" in plain
    assert "OK: SCHEDULED AND VERIFIED — " in plain
    assert plain.rstrip().endswith(one_line(summary))


def test_a_running_step_shows_a_spinner_and_its_elapsed_time() -> None:
    out = _Terminal()
    with make_observer(quiet=False, stream=out) as observer:
        observer.step_started("invoices", "Read Istoric facturi E-mail/SMS")
        rendered = io.StringIO()
        Console(file=rendered, width=100, color_system=None).print(observer)
    line = rendered.getvalue()
    assert re.search(r"^\S+\s+invoices: Read Istoric facturi E-mail/SMS\s+0\.\d s", line)
    assert line[0] in "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


def test_console_output_never_shows_the_password(
    make_summary: SummaryFactory, password: str
) -> None:
    summary = make_summary("failed", error_text=f"rejected {password}")
    summary.tasks[1].steps[-1].detail = f"field held {password}"
    summary.tasks.append(TaskResult(name="extra", skip_reason=f"because {password}"))
    for stream in (io.StringIO(), _Terminal()):
        _replay(summary, stream)
        assert password not in stream.getvalue()
        assert "rejected ***" in stream.getvalue()


def test_logging_after_the_run_log_is_closed_still_works(tmp_path: Path) -> None:
    import io

    import structlog

    from emsys_rpa.logging_setup import close_run_log, configure_logging

    stream = io.StringIO()
    configure_logging("json", "info", run_log=tmp_path / "run.log.jsonl", stream=stream)
    structlog.get_logger("t").info("during the run")
    close_run_log()
    structlog.get_logger("t").info("after the run")  # a notifier logging once the run is over
    assert "after the run" in stream.getvalue()
    assert "after the run" not in (tmp_path / "run.log.jsonl").read_text("utf-8")
