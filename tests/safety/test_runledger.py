"""The run ledger: intent before Trimite, outcome after the read-back, reruns refused per day."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from emsys_rpa.app.tasks import TASKS
from emsys_rpa.errors import ConfigError, ExitStatus
from emsys_rpa.ledger import (
    INTENT_ONLY,
    LedgerGuard,
    RefusalKind,
    RunLedger,
    SendRefusedError,
    ledger_key,
)
from emsys_rpa.redaction import redactor
from emsys_rpa.summary import RunSummary, TaskResult, TaskStatus, Verification
from emsys_rpa.wording import one_line, refusal_text

URL = "https://emsys.example.ro/admin/login"
USER = "operator"
DAY = date(2026, 11, 28)
AT = datetime(2026, 11, 28, 2, 0, 31)


SCREENS = {spec.name: spec.screen for spec in TASKS}


def reason(guard: LedgerGuard, task: str) -> str | None:
    """What a person reads when ``guard`` refuses ``task`` (None: it may be sent)."""
    refusal = guard.refusal(task)
    if refusal is None:
        return None
    screen = SCREENS[task]
    return refusal_text(refusal, send_label=screen.send_label, history_label=screen.history_label)


def needs_check(guard: LedgerGuard, task: str) -> bool:
    refusal = guard.refusal(task)
    return refusal is not None and refusal.kind.needs_check


def intents(ledger: RunLedger, task: str, day: date = DAY) -> list[datetime]:
    """When our real runs pressed (or were about to press) Trimite for ``task`` that day."""
    probe = run("probe")
    return [
        datetime.fromisoformat(e.scheduled_at)
        for e in ledger.events(probe, task, day)
        if e.phase == "intent" and e.scheduled_at and e.run_id != "probe"
    ]


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[RunLedger]:
    with RunLedger.open(tmp_path / "state") as opened:
        yield opened


def run(
    run_id: str,
    *,
    dry_run: bool = False,
    url: str = URL,
    user: str = USER,
    minutes: int = 0,
) -> RunSummary:
    return RunSummary(
        run_id=run_id,
        started_at=datetime(2026, 11, 28, 2, 0, 0) + timedelta(minutes=minutes),
        portal_url=url,
        username=user,
        dry_run=dry_run,
        tasks=[TaskResult(name="alerts"), TaskResult(name="invoices")],
    )


def result(task: str, status: TaskStatus, **extra: object) -> TaskResult:
    return TaskResult(name=task, status=status, scheduled_at=AT, **extra)  # type: ignore[arg-type]


def send(
    ledger: RunLedger, summary: RunSummary, task: str, status: TaskStatus | None, **kw: object
) -> None:
    """One task as the runner does it: guard, intent, click, outcome (None: crash after intent)."""
    guard = LedgerGuard(ledger, summary, force=bool(kw.pop("force", False)), today=DAY)
    assert reason(guard, task) is None
    guard.intent(task, AT)
    if status is not None:
        guard.outcome(result(task, status, **kw))


def test_ledger_file_and_folder_are_owner_only_and_in_wal_mode(tmp_path: Path) -> None:
    state = tmp_path / "data" / "emsys-rpa"
    with RunLedger.open(state) as opened:
        assert opened.path == state / "ledger.sqlite3"
    if os.name == "posix":
        assert stat.S_IMODE(state.stat().st_mode) == 0o700
        assert stat.S_IMODE((state / "ledger.sqlite3").stat().st_mode) == 0o600
    with sqlite3.connect(state / "ledger.sqlite3") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"runs", "task_events"} <= tables


def test_nothing_recorded_means_go_ahead(ledger: RunLedger) -> None:
    guard = LedgerGuard(ledger, run("r1"), force=False, today=DAY)
    assert reason(guard, "alerts") is None
    assert reason(guard, "invoices") is None


def test_a_verified_send_blocks_a_rerun_the_same_day(ledger: RunLedger) -> None:
    send(ledger, run("r1"), "alerts", TaskStatus.VERIFIED)
    guard = LedgerGuard(ledger, run("r2", minutes=30), force=False, today=DAY)
    text = reason(guard, "alerts")
    assert text is not None
    assert "already scheduled today by run r1 at 02:00:31" in text
    assert "--force" in text
    refusal = guard.refusal("alerts")
    assert refusal is not None
    assert refusal.kind == RefusalKind.VERIFIED
    assert not needs_check(guard, "alerts")
    # The other task is untouched: a run that crashed after alerts resumes with invoices.
    assert reason(guard, "invoices") is None


def test_intent_without_outcome_names_the_run_and_the_time(ledger: RunLedger) -> None:
    send(ledger, run("20261128-020000-ab12"), "alerts", None)  # crashed around the click
    guard = LedgerGuard(ledger, run("r2", minutes=30), force=False, today=DAY)
    assert reason(guard, "alerts") == (
        "an earlier run (id 20261128-020000-ab12) was about to press Trimite alerta at "
        "02:00:31 and never recorded the result — check Istoric alerte in the portal before "
        "rerunning with --force"
    )
    assert needs_check(guard, "alerts")
    refusal = guard.refusal("alerts")
    assert refusal is not None
    assert refusal.kind == RefusalKind.INTENT_WITHOUT_OUTCOME


@pytest.mark.parametrize(
    ("status", "kind", "words"),
    [
        (TaskStatus.NOT_VERIFIED, RefusalKind.NOT_VERIFIED, "had not shown sending yet"),
        (TaskStatus.OUTCOME_UNKNOWN, RefusalKind.OUTCOME_UNKNOWN, "could not tell whether"),
        (TaskStatus.FAILED, RefusalKind.FAILED_AFTER_INTENT, "the click may have reached"),
    ],
)
def test_uncertain_outcomes_after_the_intent_block_and_ask_for_a_check(
    ledger: RunLedger, status: TaskStatus, kind: str, words: str
) -> None:
    send(ledger, run("r1"), "invoices", status, errors=["confirmation never came"])
    guard = LedgerGuard(ledger, run("r2", minutes=30), force=False, today=DAY)
    text = reason(guard, "invoices")
    assert text is not None
    assert words in text
    assert "Istoric facturi E-mail/SMS" in text
    assert "r1" in text
    refusal = guard.refusal("invoices")
    assert refusal is not None
    assert refusal.kind == kind
    assert needs_check(guard, "invoices")


def test_failing_before_the_intent_does_not_block(ledger: RunLedger) -> None:
    # Login failed: no intent, nothing could have been sent.
    guard = LedgerGuard(ledger, run("r1"), force=False, today=DAY)
    guard.outcome(result("alerts", TaskStatus.FAILED, errors=["login rejected"]))
    guard.outcome(result("invoices", TaskStatus.NOT_RUN))
    later = LedgerGuard(ledger, run("r2", minutes=5), force=False, today=DAY)
    assert reason(later, "alerts") is None
    assert reason(later, "invoices") is None


def test_another_day_user_or_portal_is_not_blocked(ledger: RunLedger) -> None:
    send(ledger, run("r1"), "alerts", TaskStatus.VERIFIED)
    assert (
        reason(LedgerGuard(ledger, run("r2"), force=False, today=DAY + timedelta(days=1)), "alerts")
        is None
    )
    assert (
        reason(LedgerGuard(ledger, run("r3", user="other"), force=False, today=DAY), "alerts")
        is None
    )
    other_portal = run("r4", url="https://emsys2.example.ro/admin/login")
    assert reason(LedgerGuard(ledger, other_portal, force=False, today=DAY), "alerts") is None


def test_the_same_portal_spelled_differently_is_the_same_key(ledger: RunLedger) -> None:
    send(ledger, run("r1"), "alerts", TaskStatus.VERIFIED)
    respelled = run("r2", url="HTTPS://EMSYS.example.ro/admin/login/#top", user=" Operator ")
    assert reason(LedgerGuard(ledger, respelled, force=False, today=DAY), "alerts") is not None
    assert ledger_key(URL, USER) == ledger_key("https://Emsys.Example.RO/admin/login/", "OPERATOR")
    assert ledger_key(URL, USER) == ledger_key(
        "https://u:Pw-in-url-99@emsys.example.ro/admin/login", USER
    )
    assert ledger_key("http://h:8080/x", "u")[0] == "http://h:8080/x"


def test_force_overrides_earlier_runs_and_says_so_in_the_ledger(
    ledger: RunLedger, tmp_path: Path
) -> None:
    send(ledger, run("r1"), "alerts", TaskStatus.VERIFIED)
    guard = LedgerGuard(ledger, run("r2", minutes=30), force=True, today=DAY)
    assert reason(guard, "alerts") is None
    guard.intent("alerts", AT + timedelta(minutes=30))
    with sqlite3.connect(ledger.path) as conn:
        detail = conn.execute(
            "SELECT detail FROM task_events WHERE run_id = 'r2' AND phase = 'intent'"
        ).fetchone()[0]
    assert detail == "--force overrode: verified (run r1)"


@pytest.mark.parametrize("force", [False, True])
def test_a_run_never_records_two_intents_for_one_task(ledger: RunLedger, force: bool) -> None:
    guard = LedgerGuard(ledger, run("r1"), force=force, today=DAY)
    guard.intent("alerts", AT)
    assert reason(guard, "alerts") is not None
    with pytest.raises(SendRefusedError) as info:
        guard.intent("alerts", AT + timedelta(seconds=5))
    assert info.value.refusal.kind is RefusalKind.SAME_RUN
    assert info.value.exit_status == ExitStatus.FAILED
    with sqlite3.connect(ledger.path) as conn:
        count = conn.execute("SELECT count(*) FROM task_events WHERE phase = 'intent'").fetchone()
    assert count[0] == 1


def test_intent_refuses_what_refusal_refuses(ledger: RunLedger) -> None:
    # A run that forgot to ask for the refusal still cannot record the intent (and so click).
    send(ledger, run("r1"), "alerts", None)
    guard = LedgerGuard(ledger, run("r2", minutes=30), force=False, today=DAY)
    with pytest.raises(SendRefusedError) as info:
        guard.intent("alerts", AT)
    assert info.value.refusal.kind is RefusalKind.INTENT_WITHOUT_OUTCOME


def test_dry_runs_never_block_and_are_never_blocked(ledger: RunLedger) -> None:
    dry = run("dry1", dry_run=True)
    guard = LedgerGuard(ledger, dry, force=False, today=DAY)
    guard.intent("alerts", AT)  # even a dry run that recorded an intent…
    guard.outcome(result("alerts", TaskStatus.DRY_RUN))
    assert (
        reason(LedgerGuard(ledger, run("r1", minutes=1), force=False, today=DAY), "alerts") is None
    )
    send(ledger, run("r1", minutes=1), "alerts", TaskStatus.VERIFIED)
    # …and a dry run after a real send still walks every screen.
    again = LedgerGuard(ledger, run("dry2", dry_run=True, minutes=2), force=False, today=DAY)
    assert reason(again, "alerts") is None
    assert intents(ledger, "alerts") == [AT]


def test_intent_survives_a_hard_crash_of_the_process(tmp_path: Path) -> None:
    state = tmp_path / "state"
    script = f"""
import os
from datetime import date, datetime
from pathlib import Path
from emsys_rpa.ledger import LedgerGuard, RunLedger
from emsys_rpa.summary import RunSummary
ledger = RunLedger.open(Path({str(state)!r}))
summary = RunSummary(run_id="crashy", started_at=datetime(2026, 11, 28, 2, 0),
                     portal_url={URL!r}, username={USER!r})
ledger.begin_run(summary)
LedgerGuard(ledger, summary, force=False, today=date(2026, 11, 28)).intent(
    "alerts", datetime(2026, 11, 28, 2, 0, 31))
os._exit(9)  # the browser took the process down right after the click
"""
    proc = subprocess.run([sys.executable, "-c", script], timeout=60, check=False)
    assert proc.returncode == 9
    with RunLedger.open(state) as reopened:
        guard = LedgerGuard(reopened, run("next", minutes=10), force=False, today=DAY)
        text = reason(guard, "alerts")
        assert text is not None
        assert "(id crashy) was about to press Trimite alerta at 02:00:31" in text
        assert reason(guard, "invoices") is None
        runs = {r.run_id: r for r in reopened.latest_runs()}
    assert runs["crashy"].status == "crashed"  # next run's begin found it still "running"
    assert runs["crashy"].tasks["alerts"] == INTENT_ONLY
    assert runs["crashy"].finished_at is None


def test_latest_runs_newest_first_with_task_statuses(ledger: RunLedger) -> None:
    first = run("r1")
    ledger.begin_run(first)
    send(ledger, first, "alerts", TaskStatus.VERIFIED, verification=Verification(since=AT))
    first.task("alerts").status = TaskStatus.VERIFIED
    first.task("invoices").status = TaskStatus.FAILED
    first.status, first.exit_code = "failed", 1
    first.finished_at = datetime(2026, 11, 28, 2, 5)
    first.run_dir = "/runs/r1"
    ledger.end_run(first, one_line(first))

    second = run("r2", minutes=60, dry_run=True)
    ledger.begin_run(second)
    second.task("alerts").status = TaskStatus.DRY_RUN
    second.task("invoices").status = TaskStatus.DRY_RUN
    second.status, second.exit_code = "ok", 0
    ledger.end_run(second, one_line(second))

    records = ledger.latest_runs()
    assert [r.run_id for r in records] == ["r2", "r1"]
    newest, oldest = records
    assert newest.dry_run
    assert newest.tasks == {"alerts": "dry_run", "invoices": "dry_run"}
    assert oldest.tasks == {"alerts": "verified", "invoices": "failed"}
    assert (oldest.status, oldest.exit_code, oldest.run_dir) == ("failed", 1, "/runs/r1")
    assert oldest.started_at == datetime(2026, 11, 28, 2, 0)
    assert oldest.finished_at == datetime(2026, 11, 28, 2, 5)
    assert oldest.summary is not None
    assert oldest.summary.startswith("emsys-rpa FAILED (exit 1): alerts verified")
    assert len(ledger.latest_runs(limit=1)) == 1


def test_end_run_files_a_send_the_runner_did_not_record(ledger: RunLedger) -> None:
    summary = run("r1")
    LedgerGuard(ledger, summary, force=False, today=DAY)
    summary.task("alerts").status = TaskStatus.OUTCOME_UNKNOWN
    summary.task("alerts").scheduled_at = AT
    summary.status, summary.exit_code = "failed", 1
    ledger.end_run(summary, one_line(summary))
    text = reason(LedgerGuard(ledger, run("r2", minutes=9), force=False, today=DAY), "alerts")
    assert text is not None
    assert "could not tell whether the portal accepted it" in text


def test_aware_times_are_filed_under_the_portal_local_day(ledger: RunLedger) -> None:
    bucharest = ZoneInfo("Europe/Bucharest")
    # 22:30 UTC on the 27th is 00:30 on the 28th in Bucharest.
    late = datetime(2026, 11, 27, 22, 30, tzinfo=UTC)
    guard = LedgerGuard(ledger, run("r1"), force=False, today=DAY, tz=bucharest)
    guard.intent("alerts", late)
    later = LedgerGuard(ledger, run("r2", minutes=45), force=False, today=DAY, tz=bucharest)
    assert reason(later, "alerts") is not None
    assert intents(ledger, "alerts") == [late]


def test_secrets_never_reach_the_ledger_file(ledger: RunLedger) -> None:
    secret = "Ledger-secret-pw-5521"
    redactor.register(secret)
    summary = run("r1")
    send(ledger, summary, "alerts", TaskStatus.OUTCOME_UNKNOWN, errors=[f"typed {secret}"])
    summary.errors.append(f"login with {secret} failed")
    summary.status = f"failed {secret}"
    ledger.end_run(summary, one_line(summary))
    ledger.close()
    blob = b"".join(p.read_bytes() for p in ledger.path.parent.glob("ledger.sqlite3*"))
    assert secret.encode() not in blob
    assert b"typed ***" in blob


def test_a_corrupt_ledger_is_a_config_error_with_advice(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "ledger.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(ConfigError) as info:
        RunLedger.open(state)
    assert info.value.exit_status == ExitStatus.CONFIG_ERROR
    assert "cannot be opened" in str(info.value)
    assert "move the file aside" in str(info.value)


def test_a_reader_sees_committed_intents_while_the_writer_is_open(ledger: RunLedger) -> None:
    # `emsys-rpa runs` in another terminal while a run is in progress.
    guard = LedgerGuard(ledger, run("r1"), force=False, today=DAY)
    guard.intent("alerts", AT)
    with RunLedger.open(ledger.path.parent) as reader:
        (record,) = reader.latest_runs()
    assert record.status == "running"
    assert record.tasks["alerts"] == INTENT_ONLY
