"""The schedules in deploy/: each one runs the robot with a config file, and parses."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
EXE = "/opt/emsys-rpa/.venv/bin/emsys-rpa"
CONFIG = "/etc/emsys-rpa/config.toml"
TASK_NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}

# One cron field: *, a number or a range, optionally stepped, comma-separated.
_CRON_ITEM = r"(\*|\d+(-\d+)?)(/\d+)?"
_CRON_RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]


def _cron_field_ok(text: str, low: int, high: int) -> bool:
    if not re.fullmatch(rf"{_CRON_ITEM}(,{_CRON_ITEM})*", text):
        return False
    numbers = [int(n) for n in re.findall(r"(?<![/\d])\d+", text)]
    return all(low <= n <= high for n in numbers)


def _exec_start() -> str:
    text = (DEPLOY / "systemd" / "emsys-rpa.service").read_text(encoding="utf-8")
    [line] = [ln for ln in text.splitlines() if ln.startswith("ExecStart=")]
    return line.removeprefix("ExecStart=")


def test_crontab_line_runs_the_robot_with_its_config() -> None:
    lines = [
        line
        for line in (DEPLOY / "cron" / "emsys-rpa.crontab").read_text("utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    settings = [line for line in lines if re.fullmatch(r"[A-Z_]+=\S*", line)]
    jobs = [line for line in lines if line not in settings]

    assert {s.split("=")[0] for s in settings} == {"SHELL", "PATH", "MAILTO"}
    [job] = jobs
    *fields, command = job.split(None, 5)
    assert len(fields) == 5
    for field, (low, high) in zip(fields, _CRON_RANGES, strict=True):
        assert _cron_field_ok(field, low, high), field
    assert fields == ["30", "5", "*", "*", "1-5"]
    # cron turns an unescaped % into a newline: the command must not contain one.
    assert "%" not in command
    run = command.split(" exec ", 1)[1]
    assert shlex.split(run) == [EXE, "run", "--config", CONFIG, "--quiet"]
    # The same robot and config as the systemd service.
    assert shlex.split(_exec_start()) == [EXE, "run", "--config", CONFIG]


@pytest.mark.skipif(not Path("/bin/sh").exists(), reason="needs a POSIX shell")
def test_crontab_command_is_valid_shell() -> None:
    job = (DEPLOY / "cron" / "emsys-rpa.crontab").read_text("utf-8").splitlines()[-1]
    command = job.split(None, 5)[5]
    result = subprocess.run(["/bin/sh", "-n", "-c", command], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze missing")
def test_systemd_units_verify_cleanly(tmp_path: Path) -> None:
    # verify checks that ExecStart's program exists: point it at this checkout's emsys-rpa.
    robot = Path(sys.executable).with_name("emsys-rpa")
    assert robot.is_file()
    service = (DEPLOY / "systemd" / "emsys-rpa.service").read_text("utf-8")
    (tmp_path / "emsys-rpa.service").write_text(service.replace(EXE, str(robot)), "utf-8")
    shutil.copy(DEPLOY / "systemd" / "emsys-rpa.timer", tmp_path)

    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", "emsys-rpa.service", "emsys-rpa.timer"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    # Unknown keys and unparsable values are only warnings to systemd: none are allowed here.
    assert result.stderr == ""


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze missing")
def test_timer_fires_on_working_days_only() -> None:
    text = (DEPLOY / "systemd" / "emsys-rpa.timer").read_text("utf-8")
    [spec] = [ln.split("=", 1)[1] for ln in text.splitlines() if ln.startswith("OnCalendar=")]
    result = subprocess.run(
        ["systemd-analyze", "calendar", "--iterations=7", spec],
        capture_output=True,
        text=True,
        timeout=60,
        env={"TZ": "Europe/Bucharest", "PATH": "/usr/bin:/bin"},
    )

    assert result.returncode == 0, result.stderr
    elapses = re.findall(r"(?:Next elapse|Iter\. #\d+): (\w{3}) \S+ (\d\d:\d\d):00", result.stdout)
    assert len(elapses) == 7
    assert {day for day, _ in elapses} == {"Mon", "Tue", "Wed", "Thu", "Fri"}
    assert {time for _, time in elapses} == {"05:30"}


def test_task_scheduler_xml_runs_the_robot_with_a_config() -> None:
    root = ET.parse(DEPLOY / "windows" / "emsys-rpa-task.xml").getroot()

    assert root.tag == f"{{{TASK_NS['t']}}}Task"
    command = root.findtext("t:Actions/t:Exec/t:Command", namespaces=TASK_NS)
    arguments = root.findtext("t:Actions/t:Exec/t:Arguments", namespaces=TASK_NS) or ""
    assert command is not None
    assert command.endswith(r"\.venv\Scripts\emsys-rpa.exe")
    args = shlex.split(arguments, posix=False)
    assert args[:2] == ["run", "--config"]
    assert args[2].strip('"').endswith(r"\config.toml")
    assert root.findtext("t:Actions/t:Exec/t:WorkingDirectory", namespaces=TASK_NS)
    days = root.find("t:Triggers/t:CalendarTrigger/t:ScheduleByWeek/t:DaysOfWeek", TASK_NS)
    assert days is not None
    assert [d.tag.split("}")[1] for d in days] == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
    ]
    start = root.findtext("t:Triggers/t:CalendarTrigger/t:StartBoundary", namespaces=TASK_NS)
    assert start is not None
    assert start.endswith("T05:30:00")
    settings_element = root.find("t:Settings", TASK_NS)
    assert settings_element is not None
    settings = {child.tag.split("}")[1]: child.text for child in settings_element}
    assert settings["MultipleInstancesPolicy"] == "IgnoreNew"
    assert settings["StartWhenAvailable"] == "true"
    logon = root.findtext("t:Principals/t:Principal/t:LogonType", namespaces=TASK_NS)
    assert logon == "Password"  # runs whether or not the account is logged on


def test_schtasks_command_installs_that_xml() -> None:
    script = (DEPLOY / "windows" / "install-task.cmd").read_bytes()
    assert b"\r\n" in script and b"\n" not in script.replace(b"\r\n", b"")
    [line] = [ln for ln in script.decode().splitlines() if ln.startswith("schtasks ")]
    assert '/XML "%~dp0emsys-rpa-task.xml"' in line
    assert "/Create" in line
    assert "/RU" in line
    assert "/RP *" in line


def test_env_example_holds_no_real_secret() -> None:
    text = (DEPLOY / "emsys-rpa.env.example").read_text("utf-8")
    assignments = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    assert assignments == ["EMSYS_PASSWORD='change-me'"]


@pytest.mark.skipif(not Path("/bin/sh").exists(), reason="needs a POSIX shell")
def test_env_file_is_exported_the_way_the_crontab_line_reads_it() -> None:
    env_file = DEPLOY / "emsys-rpa.env.example"
    result = subprocess.run(
        ["/bin/sh", "-c", f"set -a && . '{env_file}' && set +a && env"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "EMSYS_PASSWORD=change-me" in result.stdout.splitlines()
