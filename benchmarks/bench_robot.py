"""One run of the real ``emsys-rpa run`` command, as a user's scheduler would start it.

The robot gets its configuration from the environment only (portal URL, user, password,
state folder); ``XDG_CONFIG_HOME`` points into the scratch folder so that a config file of
the person running the benchmark (with notifications, say) cannot join in. The wall time is
the process's, so it includes the interpreter, the imports and the browser's start.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench_memory import DEFAULT_SAMPLING, Sampling
from bench_process import ProcessRun, run_measured

RUN_TIMEOUT_S = 240
# A run that verifies does so in about a second; a broken one must not hold the bench for
# the robot's default ten minutes.
VERIFY_TIMEOUT_S = 60


def robot_command() -> list[str]:
    """The installed console script next to this interpreter (the venv's), else on PATH."""
    beside = Path(sys.executable).parent / "emsys-rpa"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("emsys-rpa")
    if found:
        return [found]
    return [sys.executable, "-m", "emsys_rpa"]


@dataclass(frozen=True)
class Credentials:
    url: str
    username: str
    password: str = field(repr=False)


@dataclass
class RobotRun(ProcessRun):
    summary: dict[str, Any] | None
    run_dir: Path

    @property
    def ok(self) -> bool:
        """Exit 0 with every task verified (what the benchmark is meant to measure)."""
        if self.exit_code != 0 or self.summary is None:
            return False
        return all(t.get("status") == "verified" for t in self.summary.get("tasks", []))

    def problem(self) -> str:
        if self.summary is None:
            return f"exit {self.exit_code}, no summary.json: {self.output_tail}"
        tasks = ", ".join(f"{t['name']} {t['status']}" for t in self.summary.get("tasks", []))
        errors = "; ".join(self.summary.get("errors", []))
        return f"exit {self.exit_code}: {tasks}{'; ' + errors if errors else ''}"


def run_robot(
    portal: Credentials,
    work: Path,
    *,
    command: Sequence[str] | None = None,
    extra_env: Mapping[str, str] | None = None,
    sampling: Sampling = DEFAULT_SAMPLING,
) -> RobotRun:
    """Run the robot once against ``portal`` in a fresh state and run folder under ``work``.

    ``extra_env`` adds settings for what-if comparisons (``EMSYS_RUN_TRACE=off``, …);
    ``sampling`` passes how to sample its memory on to ``run_measured``.
    """
    run_dir = work / "run"
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMSYS_")}
    env.update(
        EMSYS_PORTAL_URL=portal.url,
        EMSYS_USERNAME=portal.username,
        EMSYS_PASSWORD=portal.password,
        EMSYS_STATE_DIR=str(work / "state"),
        XDG_CONFIG_HOME=str(work / "config"),
    )
    env.update(extra_env or {})
    argv = [
        *(command or robot_command()),
        "run",
        "--report-dir",
        str(run_dir),
        "--verify-timeout",
        str(VERIFY_TIMEOUT_S),
    ]
    measured = run_measured(argv, cwd=work, env=env, timeout_s=RUN_TIMEOUT_S, sampling=sampling)
    summary_file = run_dir / "summary.json"
    summary = json.loads(summary_file.read_text("utf-8")) if summary_file.is_file() else None
    shared = {f.name: getattr(measured, f.name) for f in fields(measured)}
    return RobotRun(**shared, summary=summary, run_dir=run_dir)


@dataclass(frozen=True)
class Phase:
    name: str
    seconds: float


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def all_steps(run: RobotRun) -> list[tuple[datetime, str, float]]:
    """(start, "task: step", seconds) of every recorded step, in order of start."""
    summary = run.summary or {}
    steps: list[tuple[datetime, str, float]] = []
    for step in summary.get("steps", []):
        steps.append((_ts(step["started_at"]), f"session: {step['name']}", step["duration_s"]))
    for task in summary.get("tasks", []):
        for step in task.get("steps", []):
            steps.append(
                (_ts(step["started_at"]), f"{task['name']}: {step['name']}", step["duration_s"])
            )
    steps.sort(key=lambda item: item[0])
    return steps


def phases(run: RobotRun) -> list[Phase]:
    """The run's wall time cut into consecutive phases that add up to it exactly.

    Before the summary's ``started_at``: interpreter, imports, settings. From there to the
    first step: run lock, ledger, logging and the browser's launch. Then every recorded step
    (run-level ones as ``session: …``), the time between steps, the browser's shutdown up
    to ``finished_at``, and finally summary.json, report.html and the process's exit.
    """
    summary = run.summary
    if summary is None or summary.get("finished_at") is None:
        return [Phase("total (no summary)", run.wall_s)]
    steps = all_steps(run)
    begun, finished = _ts(summary["started_at"]), _ts(summary["finished_at"])
    result = [
        Phase("start-up: interpreter, imports, settings", (begun - run.started).total_seconds())
    ]
    if steps:
        first = steps[0][0]
        last_end = max(start.timestamp() + duration for start, _, duration in steps)
        in_steps = sum(duration for _, _, duration in steps)
        result.append(Phase("launch: lock, ledger, browser start", (first - begun).total_seconds()))
        result += [Phase(name, duration) for _, name, duration in steps]
        result.append(Phase("between steps", last_end - first.timestamp() - in_steps))
        result.append(Phase("browser shutdown", finished.timestamp() - last_end))
    else:
        result.append(Phase("browser session", (finished - begun).total_seconds()))
    result.append(
        Phase("summary, report, exit", (run.ended - finished).total_seconds()),
    )
    return result


def step_windows(run: RobotRun, prefix: str) -> list[tuple[str, datetime, datetime]]:
    """(task, start, end) of every task step whose name starts with ``prefix``."""
    found = []
    for task in (run.summary or {}).get("tasks", []):
        for step in task.get("steps", []):
            if step["name"].startswith(prefix):
                start = _ts(step["started_at"])
                found.append((task["name"], start, start + timedelta(seconds=step["duration_s"])))
    return found


def _history_reads(run: RobotRun) -> list[tuple[datetime, int]]:
    """(when, grid pages read) of every "history read" line in the run's log."""
    log = run.run_dir / "run.log.jsonl"
    reads: list[tuple[datetime, int]] = []
    if not log.is_file():
        return reads
    for line in log.read_text("utf-8", errors="replace").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("event") == "history read" and "timestamp" in event:
            # The log writes local time without an offset; astimezone() reads it as local.
            stamp = datetime.fromisoformat(event["timestamp"]).astimezone(UTC)
            reads.append((stamp, int(event.get("pages", 0))))
    return reads


def verification(run: RobotRun) -> dict[str, dict[str, Any]]:
    """Per task: the robot's own verification figures, the verify step, the pre-check, and
    how many grid pages the verification read (from run.log.jsonl)."""
    found: dict[str, dict[str, Any]] = {}
    reads = _history_reads(run)
    for task in (run.summary or {}).get("tasks", []):
        figures: dict[str, Any] = dict(task.get("verification") or {})
        for step in task.get("steps", []):
            if step["name"].startswith("verify in"):
                figures["step_s"] = step["duration_s"]
                start = _ts(step["started_at"])
                end = start + timedelta(seconds=step["duration_s"])
                figures["pages"] = sum(pages for when, pages in reads if start <= when <= end)
            elif step["name"].startswith("check Istoric"):
                figures["precheck_s"] = step["duration_s"]
        found[task["name"]] = figures
    return found
