"""Usage errors: one clear message on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import pytest

from emsys_rpa.cli import main


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["run", "--bogus"], "No such option: --bogus"),
        (["run", "--verify-timeout", "0"], "--verify-timeout"),
        (["nosuch"], "No such command"),
    ],
)
def test_usage_errors_exit_2_with_one_message(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(argv, capsys)
    assert code == 2
    assert expected in err
    assert "Traceback" not in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["--version"], capsys)
    assert code == 0
    assert out.startswith("emsys-rpa ")


def test_run_without_config_names_every_missing_key(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["run"], capsys)
    assert code == 2
    assert "portal.url" in err and "username" in err and "EMSYS_PASSWORD" in err
