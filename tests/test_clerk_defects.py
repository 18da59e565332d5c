"""Issue 14's rough edges, each as a new user met it: one test per defect, no browser needed."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from emsys_rpa.app.run import _console_log_stream, run_folder
from emsys_rpa.cli import main
from emsys_rpa.errors import ExitStatus
from emsys_rpa.runlock import run_lock
from emsys_rpa.settings import RunSettings, Settings
from emsys_rpa.summary import RunSummary, TaskResult, TaskStatus
from emsys_rpa.wording import fmt_clock, fmt_dt, headline, one_line, task_outcome

TZ = ZoneInfo("Europe/Bucharest")
PORTAL_ENV = {
    "EMSYS_PORTAL_URL": "http://127.0.0.1:9/Login.aspx",
    "EMSYS_USERNAME": "operator",
    "EMSYS_PASSWORD": "Not-Used-Here-1",
}


@pytest.fixture(autouse=True)
def _cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _state["monkeypatch"], _state["capsys"] = monkeypatch, capsys


_state: dict[str, object] = {}


def _invoke(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    """The real entry point (``cli.main``, which maps errors to exit codes), its output."""
    monkeypatch = _state["monkeypatch"]
    capsys = _state["capsys"]
    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    for name, value in {**PORTAL_ENV, **(env or {})}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()  # type: ignore[attr-defined]
    return int(info.value.code or 0), out + err


# 1. A folder that cannot be created: exit 2 naming it and why, never a traceback.
@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        (["run", "--dry-run", "--report-dir", "/proc/x"], {}, "run folder /proc/x"),
        (["run", "--dry-run"], {"EMSYS_STATE_DIR": "/proc/x"}, "state folder /proc/x"),
        (["check"], {"EMSYS_STATE_DIR": "/proc/x"}, "state folder /proc/x"),
    ],
)
def test_an_unusable_folder_is_a_set_up_error(
    args: list[str], env: dict[str, str], named: str, tmp_path: Path
) -> None:
    code, output = _invoke(args, {"EMSYS_STATE_DIR": str(tmp_path / "state"), **env})
    assert code == ExitStatus.CONFIG_ERROR, output
    assert named in output and "cannot be used" in output
    assert "Traceback" not in output


def test_an_unusable_runs_root_is_a_set_up_error(tmp_path: Path) -> None:
    env = {"EMSYS_STATE_DIR": str(tmp_path / "state"), "EMSYS_RUN_RUNS_ROOT": "/proc/x"}
    code, output = _invoke(["run", "--dry-run"], env)
    assert code == ExitStatus.CONFIG_ERROR, output
    assert "/proc/x" in output


# 2. --quiet is quiet off a terminal too: no log lines on stderr (cron mails stderr).
def test_quiet_sends_no_log_lines_to_stderr() -> None:
    stream = _console_log_stream("auto", quiet=True)
    assert stream.name == os.devnull
    assert _console_log_stream("json", quiet=True).name == os.devnull


def _summary(*tasks: TaskResult, dry_run: bool = False) -> RunSummary:
    summary = RunSummary(
        run_id="20261129-070000-abcdef",
        started_at=datetime(2026, 11, 29, 7, 0, tzinfo=TZ),
        portal_url="https://emsys.example.ro/Login.aspx",
        username="operator",
        dry_run=dry_run,
        tasks=list(tasks),
    )
    summary.exit_code = int(summary.derive_exit_status())
    summary.status = "ok" if summary.exit_code == 0 else "failed"
    return summary


def _done(name: str) -> TaskResult:
    return TaskResult(
        name=name,
        status=TaskStatus.SKIPPED,
        skip_kind="verified",
        done_by="20261129-053000-123456",
        done_at=datetime(2026, 11, 29, 5, 30, tzinfo=TZ),
    )


# 4. A rerun with both tasks already done says so: nothing sent, by which run, when.
def test_a_rerun_with_everything_done_says_nothing_was_sent() -> None:
    summary = _summary(_done("alerts"), _done("invoices"))
    head = headline(summary)
    assert "VERIFIED" not in head.title and "scheduled" not in head.text
    assert head.title == "NOTHING SENT: ALREADY DONE"
    assert "by run 20261129-053000-123456 at 05:30 EET" in head.text
    assert one_line(summary).startswith("emsys-rpa NOTHING TO DO (exit 0): alerts already done")


# 6. --report-dir at an earlier run's folder never overwrites its evidence.
def test_a_report_dir_that_holds_files_gets_a_fresh_folder_inside(tmp_path: Path) -> None:
    earlier = tmp_path / "today"
    earlier.mkdir()
    (earlier / "summary.json").write_text("{}", encoding="utf-8")
    settings = Settings(run=RunSettings(report_dir=earlier))
    started = datetime(2026, 11, 29, 15, 48, 23, tzinfo=UTC)

    folder = run_folder(settings, started)

    assert folder.parent == earlier
    assert folder.name == "2026-11-29_174823+0200"  # the portal's zone, offset included
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_folder(Settings(run=RunSettings(report_dir=empty)), started) == empty


# 9. Every time shown carries its zone.
def test_times_are_labelled_with_their_zone() -> None:
    winter = datetime(2026, 11, 29, 17, 48, 23, tzinfo=TZ)
    summer = datetime(2026, 7, 29, 17, 48, 23, tzinfo=TZ)
    assert fmt_clock(winter) == "17:48:23 EET"
    assert fmt_clock(summer, seconds=False) == "17:48 EEST"
    assert fmt_dt(winter) == "29 Nov 2026, 17:48:23 EET"
    assert fmt_clock(datetime(2026, 11, 29, 15, 48, tzinfo=UTC), seconds=False) == "15:48 UTC"


# 10. check takes the run lock: it never logs in while a run is in progress.
def test_check_refuses_while_a_run_holds_the_lock(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with run_lock(state):
        code, output = _invoke(["check"], {"EMSYS_STATE_DIR": str(state)})
    assert code == ExitStatus.LOCKED, output
    assert "another emsys-rpa run is in progress" in output


# 12. A browser that cannot start: what is wrong and how to fix it, exit 2.
def test_a_browser_path_that_is_not_executable(tmp_path: Path) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("not a program", encoding="utf-8")
    env = {"EMSYS_STATE_DIR": str(tmp_path / "state"), "EMSYS_BROWSER_EXECUTABLE": str(fake)}
    code, output = _invoke(["check"], env)
    assert code == ExitStatus.CONFIG_ERROR, output
    assert "is not executable" in output and "chmod +x" in output
    assert "TargetClosedError" not in output


def test_headed_without_a_display(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    env = {"EMSYS_STATE_DIR": str(tmp_path / "state")}
    args = ["run", "--dry-run", "--headed", "--report-dir", str(tmp_path / "run")]
    code, output = _invoke(args, env)
    assert code == ExitStatus.CONFIG_ERROR, output
    assert "--headed needs a display" in output and "xvfb-run" in output
    assert "TargetClosedError" not in output


# 13. The cosmetic ones.
def test_skipped_tasks_are_worded_once() -> None:
    not_selected = TaskResult(name="invoices", status=TaskStatus.SKIPPED, skip_kind="not_selected")
    assert task_outcome(not_selected) == "not selected (--only)"
    dry = _summary(TaskResult(name="alerts", status=TaskStatus.DRY_RUN), dry_run=True)
    dry.status = "dry_run"
    assert "DRY RUN (exit 0): alerts dry run" in one_line(dry)


def test_an_empty_only_names_the_problem() -> None:
    code, output = _invoke(["run", "--only", ""])
    assert code == ExitStatus.CONFIG_ERROR
    assert "--only: name at least one task: alerts, invoices" in output


def test_help_has_no_bool_placeholders_and_run_help_lists_codes_and_environment() -> None:
    code, output = _invoke(["run", "--help"])
    assert code == 0
    assert "<bool>" not in output
    assert "Exit codes:" in output and "5    sent, but some messages failed" in output
    assert "EMSYS_PASSWORD" in output and "EMSYS_STATE_DIR" in output
    assert "DD/MM/YYYY" in output
