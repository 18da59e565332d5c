"""``emsys-rpa runs``: the latest runs, as the ledger recorded them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from typer.testing import CliRunner

from emsys_rpa.cli import app
from emsys_rpa.ledger import LedgerGuard, RunLedger
from emsys_rpa.report import write_report
from emsys_rpa.summary import RunSummary
from emsys_rpa.wording import one_line

SummaryFactory = Callable[..., RunSummary]


def _config(tmp_path: Path, state_dir: Path) -> Path:
    path = tmp_path / "emsys-rpa.toml"
    path.write_text(f"[state]\ndir = '{state_dir}'\n", encoding="utf-8")
    return path


def _record(
    ledger: RunLedger, summary: RunSummary, run_id: str, days_ago: int, *, end: bool = True
) -> RunSummary:
    run_dir = Path(summary.run_dir or "").parent / run_id
    run_dir.mkdir()
    summary = summary.model_copy(
        update={
            "run_id": run_id,
            "run_dir": str(run_dir),
            "started_at": summary.started_at - timedelta(days=days_ago),
            "finished_at": (summary.finished_at or summary.started_at) - timedelta(days=days_ago),
        },
        deep=True,
    )
    ledger.begin_run(summary)
    if end:
        ledger.end_run(summary, one_line(summary))
    return summary


def test_lists_the_latest_runs_newest_first(make_summary: SummaryFactory, tmp_path: Path) -> None:
    state = tmp_path / "state"
    with RunLedger.open(state) as ledger:
        _record(ledger, make_summary("ok"), "run-old", 4)
        failed = _record(ledger, make_summary("failed"), "run-failed", 2)
        write_report(failed, Path(failed.run_dir or ""))
        dry = _record(ledger, make_summary("dry_run"), "run-dry", 1)
        # A run that was about to press Trimite for alerts and then died: no outcome, no end.
        crashed = _record(ledger, make_summary("ok"), "run-crashed", 0, end=False)
        guard = LedgerGuard(ledger, crashed, force=True, today=date(2026, 11, 28))
        guard.intent("alerts", crashed.started_at)
    config = _config(tmp_path, state)

    result = CliRunner().invoke(app, ["runs", "--last", "3", "--config", str(config)])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "when                  status          alerts               invoices  portal            "
        "report",
        "2026-11-28 07:30 EET  running         pressed, no outcome  -         emsys.example.ro  "
        f"{crashed.run_dir} (no report)",
        "2026-11-27 07:30 EET  ok (0) dry run  dry run              dry run   emsys.example.ro  "
        f"{dry.run_dir} (no report)",
        "2026-11-26 07:30 EET  failed (1)      verified             failed    emsys.example.ro  "
        f"{Path(failed.run_dir or '') / 'report.html'}",
    ]


def test_no_ledger_yet_says_so_and_creates_nothing(tmp_path: Path) -> None:
    state = tmp_path / "state"
    result = CliRunner().invoke(app, ["runs", "--config", str(_config(tmp_path, state))])

    assert result.exit_code == 0
    assert result.output == f"No runs recorded yet (no ledger in {state}).\n"
    assert not state.exists()
