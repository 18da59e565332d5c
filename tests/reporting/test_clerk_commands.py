"""init, report, verify's ledger side and profiles: what a clerk and an on-call operator use."""

from __future__ import annotations

import io
import tomllib
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from emsys_rpa.cli import main
from emsys_rpa.commands.report import find_report
from emsys_rpa.errors import ConfigError, ExitStatus
from emsys_rpa.ledger import LedgerGuard, RefusalKind, RunLedger
from emsys_rpa.ledger.policy import refusal_for, unsettled
from emsys_rpa.settings import load_settings
from emsys_rpa.summary import RunSummary, TaskResult, TaskStatus

PASSWORD = "Init-Secret-pw-4471"
TZ = ZoneInfo("Europe/Bucharest")


def _main(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out + err


def test_init_writes_the_config_run_reads_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "cfg" / "config.toml"
    args = ["init", "--url", "https://emsys.example.ro/Login.aspx", "--user", "clerk"]
    args += ["--config", str(config), "--password-stdin", "--no-check"]
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))

    code, output = _main(args, capsys, monkeypatch)

    assert code == 0, output
    settings = load_settings(config, use_keyring=False)
    assert (settings.portal.url, settings.username) == (
        "https://emsys.example.ro/Login.aspx",
        "clerk",
    )
    assert PASSWORD not in output and PASSWORD not in config.read_text(encoding="utf-8")
    assert "EMSYS_PASSWORD" in output  # no keyring in tests: it says how to give it
    assert config.stat().st_mode & 0o077 == 0

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    code, output = _main(args, capsys, monkeypatch)
    assert code == ExitStatus.CONFIG_ERROR and "--force" in output


def test_init_adds_a_profile_and_run_uses_its_portal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('username = "a"\n[portal]\nurl = "https://a.example/"\n', encoding="utf-8")
    args = ["init", "--profile", "cluj", "--url", "https://b.example/Login.aspx"]
    args += ["--user", "b", "--config", str(config), "--no-check"]
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    code, output = _main(args, capsys, monkeypatch)

    assert code == 0, output
    assert tomllib.loads(config.read_text(encoding="utf-8"))["profiles"]["cluj"]["username"] == "b"
    settings = load_settings(config, use_keyring=False, profile="cluj")
    assert settings.portal.url == "https://b.example/Login.aspx" and settings.username == "b"
    assert settings.state.resolved_dir.parts[-2:] == ("profiles", "cluj")
    assert settings.keyring_user == "cluj:b"
    with pytest.raises(ConfigError, match=r"no \[profiles.nowhere\]"):
        load_settings(config, use_keyring=False, profile="nowhere")


def _summary(run_id: str, run_dir: Path) -> RunSummary:
    return RunSummary(
        run_id=run_id,
        started_at=datetime(2026, 11, 29, 7, tzinfo=TZ),
        portal_url="https://emsys.example.ro/Login.aspx",
        username="operator",
        run_dir=str(run_dir),
    )


def test_report_finds_the_latest_run_with_a_report_or_a_given_one(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with RunLedger.open(state) as ledger:
        for run_id in ("run-a", "run-b"):
            folder = tmp_path / run_id
            folder.mkdir()
            (folder / "report.html").write_text("<html>", encoding="utf-8")
            ledger.begin_run(_summary(run_id, folder))
    assert find_report(state, None) == tmp_path / "run-b" / "report.html"
    assert find_report(state, "run-a") == tmp_path / "run-a" / "report.html"
    assert find_report(state, str(tmp_path / "run-a")) == tmp_path / "run-a" / "report.html"
    with pytest.raises(ConfigError, match="no run nosuch"):
        find_report(state, "nosuch")


def test_verify_settles_an_unproven_send_so_the_next_run_needs_no_force(tmp_path: Path) -> None:
    today = date(2026, 11, 29)
    pressed = datetime(2026, 11, 29, 7, 2, tzinfo=TZ)
    with RunLedger.open(tmp_path) as ledger:
        first = _summary("run-1", tmp_path)
        guard = LedgerGuard(ledger, first, force=False, today=today, tz=TZ)
        guard.intent("invoices", pressed)
        guard.outcome(TaskResult(name="invoices", status=TaskStatus.NOT_VERIFIED))

        later = _summary("run-2", tmp_path)
        events = ledger.events(later, "invoices", today)
        found = unsettled("invoices", events)
        assert found is not None and (found.run_id, found.scheduled_at) == ("run-1", pressed)
        refusal = refusal_for("invoices", events, run_id="run-2", force=False, dry_run=False)
        assert refusal is not None and refusal.kind is RefusalKind.NOT_VERIFIED

        ledger.settle(
            _summary("verify-1", tmp_path),
            "run-1",
            TaskResult(name="invoices", status=TaskStatus.VERIFIED),
        )
        events = ledger.events(later, "invoices", today)
        assert unsettled("invoices", events) is None
        refusal = refusal_for("invoices", events, run_id="run-2", force=False, dry_run=False)
        # Verified: the next run skips it as done (no error, no --force needed).
        assert refusal is not None and refusal.kind is RefusalKind.VERIFIED
        assert not refusal.kind.needs_check and refusal.run_id == "run-1"
        (record,) = [r for r in ledger.latest_runs() if r.run_id == "run-1"]
        assert record.tasks["invoices"] == "verified"
