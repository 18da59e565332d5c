"""Fuzz the robot with generated portals: ``make fuzz`` (N=200), ``make fuzz N=20``,
``make fuzz SEEDS=1,2,3``, ``JOBS=2`` for two seeds at a time.

For every seed a fresh mock portal serves ``random:SEED`` (one implementation per widget
dimension, see ``emsys_rpa.mockportal.variants``) and the real command line,
``.venv/bin/emsys-rpa run``, does the whole job against it with its own state folder. A seed
passes when the run exits 0 with both tasks ``verified`` in summary.json *and* the mock's
ledger agrees: exactly one background (Fundal) job per task, the invoice job's Perioada one
calendar month back to the mock's today, and no duplicate sends. A run that takes longer
than ``--timeout`` is stopped (SIGTERM to its process group, then SIGKILL) and fails.

The table — pass rate overall and per dimension=value, every failing seed with its first
error and the command that reproduces it — goes to stdout and to
``runs/fuzz/fuzz-<timestamp>.md`` (with the raw results as .json); each seed's run folder
(summary.json, report.html, screenshots, run.log.jsonl) is kept in ``runs/fuzz/<timestamp>/``.
The exit status is 0 only if every seed passed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

from emsys_rpa.mockportal import DIMENSIONS, MockPortalOptions, Variant, running_mock_portal
from emsys_rpa.mockportal.variants import random_variant

ROOT = Path(__file__).resolve().parent.parent
ROBOT = Path(sys.executable).parent / "emsys-rpa"
TASKS = ("alerts", "invoices")
ERROR_WIDTH = 180


@dataclass
class SeedResult:
    seed: int
    spec: str
    passed: bool
    exit_code: int | None
    seconds: float
    failed_checks: list[str]
    first_error: str
    run_dir: str
    ledger_jobs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def variant(self) -> Variant:
        return random_variant(self.seed)


# -- one seed ----------------------------------------------------------------------------------


def robot_env(portal_url: str, username: str, password: str, home: Path) -> dict[str, str]:
    """The robot's environment: the mock's credentials, its own state, nobody's real config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMSYS_")}
    for name in ("EMSYS_BROWSER_EXECUTABLE", "EMSYS_BROWSER_CHANNEL"):
        if name in os.environ:
            env[name] = os.environ[name]
    env |= {
        "EMSYS_PORTAL_URL": portal_url,
        "EMSYS_USERNAME": username,
        "EMSYS_PASSWORD": password,
        "EMSYS_STATE_DIR": str(home / "state"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "xdg-state"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    return env


class Children:
    """The robot processes running now, so that Ctrl-C can stop exactly those."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running: set[subprocess.Popen[str]] = set()

    @contextlib.contextmanager
    def track(self, process: subprocess.Popen[str]) -> Iterator[None]:
        with self.lock:
            self.running.add(process)
        try:
            yield
        finally:
            with self.lock:
                self.running.discard(process)

    def stop_all(self) -> None:
        with self.lock:
            for process in list(self.running):
                stop(process)


def stop(process: subprocess.Popen[str], grace_s: float = 15) -> None:
    """SIGTERM to the robot's own process group (it then writes its summary), then SIGKILL."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def run_seed(
    seed: int,
    out_dir: Path,
    *,
    timeout_s: float,
    verify_timeout_s: float,
    children: Children,
) -> SeedResult:
    variant = random_variant(seed)
    run_dir = out_dir / f"seed-{seed}"
    started = time.monotonic()
    options = MockPortalOptions(variant=variant, send_start_delay_s=1.0)
    with (
        tempfile.TemporaryDirectory(prefix=f"emsys-fuzz-{seed}-") as scratch,
        running_mock_portal(options) as portal,
    ):
        home = Path(scratch)
        command = [
            str(ROBOT), "run", "--report-dir", str(run_dir), "--quiet",
            "--verify-timeout", str(verify_timeout_s),
        ]  # fmt: skip
        with (home / "robot.out").open("w+", encoding="utf-8") as output:
            process = subprocess.Popen(
                command,
                cwd=home,
                env=robot_env(portal.url, portal.username, portal.password, home),
                stdout=output,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,  # its own process group: a timeout stops all of it
            )
            timed_out = False
            with children.track(process):
                try:
                    process.wait(timeout_s)
                except subprocess.TimeoutExpired:
                    timed_out = True
                    stop(process)
            output.seek(0)
            console = output.read()
        ledger = portal.wait_for_jobs(timeout_s=30)
    summary = _read_json(run_dir / "summary.json")
    failed = check(process.returncode, summary, ledger)
    if timed_out:
        failed.insert(0, f"timed out after {timeout_s:g} s")
    return SeedResult(
        seed=seed,
        spec=variant.spec,
        passed=not failed,
        exit_code=process.returncode,
        seconds=round(time.monotonic() - started, 1),
        failed_checks=failed,
        first_error=first_error(summary, failed, console),
        run_dir=str(run_dir),
        ledger_jobs=ledger.get("jobs", []),
    )


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data


def check(
    exit_code: int | None, summary: dict[str, Any] | None, ledger: dict[str, Any]
) -> list[str]:
    """Every pass condition that does not hold, in words (empty: the seed passed)."""
    failed = []
    if exit_code != 0:
        failed.append(f"exit code {exit_code}")
    if summary is None:
        failed.append("no summary.json")
    else:
        statuses = {t["name"]: t["status"] for t in summary.get("tasks", [])}
        for task in TASKS:
            if statuses.get(task) != "verified":
                failed.append(f"{task} {statuses.get(task, 'missing')}")
    jobs = ledger.get("jobs", [])
    for task in TASKS:
        background = [j for j in jobs if j["type"] == task and j["background"]]
        others = [j for j in jobs if j["type"] == task and not j["background"]]
        if len(background) != 1 or others:
            failed.append(
                f"ledger: {len(background)} background + {len(others)} foreground {task} jobs"
            )
    today = date.fromisoformat(ledger["today"])
    wanted = ((today - relativedelta(months=1)).isoformat(), today.isoformat())
    periods = [(j["period_from"], j["period_to"]) for j in jobs if j["type"] == "invoices"]
    if periods and any(p != wanted for p in periods):
        failed.append(
            f"ledger: Perioada {periods[0][0]}..{periods[0][1]}, not {wanted[0]}..{wanted[1]}"
        )
    if ledger.get("duplicate_sends"):
        failed.append(f"ledger: {ledger['duplicate_sends']} duplicate sends")
    return failed


def first_error(summary: dict[str, Any] | None, failed: Sequence[str], console: str) -> str:
    """The run's first error message (summary.json), else the first failed check."""
    messages: list[str] = []
    if summary is not None:
        messages += summary.get("errors", [])
        for task in summary.get("tasks", []):
            messages += task.get("errors", [])
    elif console.strip():
        messages.append(console.strip().splitlines()[-1])
    text = messages[0] if messages else (failed[0] if failed else "")
    return " ".join(text.split())


# -- the table ----------------------------------------------------------------------------------


def _cell(text: str, width: int = ERROR_WIDTH) -> str:
    text = text.replace("|", "\\|")
    return text if len(text) <= width else text[: width - 1] + "…"


def render(results: Sequence[SeedResult], *, started: datetime, note: str) -> str:
    total = len(results)
    passed = sum(r.passed for r in results)
    rate = f"{100 * passed / total:.0f}%" if total else "-"
    lines = [
        f"# Fuzz run {started:%Y-%m-%d %H:%M} — {total} generated portals",
        "",
        note,
        "",
        f"**Passed {passed}/{total} ({rate}).** A seed passes when `emsys-rpa run` exits 0 with "
        "both tasks `verified` and the mock's ledger shows one background job per task, "
        "Perioada one month back to the mock's today and no duplicate sends.",
        "",
        "## By implementation (dimension=value: passed/total)",
        "",
        "| dimension | value | passed/total | pass rate |",
        "|---|---|---|---|",
    ]
    for key, values in DIMENSIONS.items():
        for value in values:
            drawn = [r for r in results if getattr(r.variant, key) == value]
            if drawn:
                ok = sum(r.passed for r in drawn)
                lines.append(
                    f"| {key} | {value} | {ok}/{len(drawn)} | {100 * ok / len(drawn):.0f}% |"
                )
    failing = [r for r in results if not r.passed]
    lines += ["", f"## Failing seeds ({len(failing)})", ""]
    if failing:
        lines += ["| seed | first error | failed checks | reproduce |", "|---|---|---|---|"]
        for r in failing:
            lines.append(
                f"| {r.seed} | {_cell(r.first_error)} | {_cell('; '.join(r.failed_checks), 120)} "
                f"| `.venv/bin/emsys-rpa demo --variant random:{r.seed} --headed` |"
            )
    lines += [
        "",
        "## All seeds",
        "",
        "| seed | result | exit | seconds | run folder |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        verdict = "pass" if r.passed else "FAIL"
        lines.append(f"| {r.seed} | {verdict} | {r.exit_code} | {r.seconds} | `{r.run_dir}` |")
    lines += [
        "",
        "A seed's portal: `.venv/bin/emsys-rpa mock-portal --variant random:SEED` prints the "
        "drawn `key=value,...` spec, which `--variant` also accepts.",
    ]
    return "\n".join(lines) + "\n"


# -- command line -------------------------------------------------------------------------------


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--count", type=int, default=200, help="seeds 1..N (default 200)")
    parser.add_argument("--seeds", default="", help="exact seeds, comma-separated (e.g. 1,2,3)")
    parser.add_argument("--jobs", type=int, default=1, help="seeds run at the same time")
    parser.add_argument("--timeout", type=float, default=240, help="seconds per run")
    parser.add_argument(
        "--verify-timeout", type=float, default=60, help="the robot's --verify-timeout"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "runs" / "fuzz", help="output folder")
    args = parser.parse_args(argv)
    try:
        args.seed_list = (
            [int(s) for s in args.seeds.replace(" ", "").split(",") if s]
            if args.seeds.strip()
            else list(range(1, args.count + 1))
        )
    except ValueError:
        parser.error(f"--seeds: {args.seeds!r} is not a comma-separated list of integers")
    if not args.seed_list or args.jobs < 1:
        parser.error("nothing to run: give N >= 1 or SEEDS, and JOBS >= 1")
    return args


def _commit() -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()
    return "unknown"


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    started = datetime.now().astimezone()
    stamp = f"{started:%Y-%m-%d_%H%M%S}"
    out_dir = args.out / stamp
    out_dir.mkdir(parents=True, exist_ok=True)
    children = Children()
    results: list[SeedResult] = []
    print(f"fuzz: {len(args.seed_list)} seeds, {args.jobs} at a time, run folders in {out_dir}")

    def one(seed: int) -> SeedResult:
        result = run_seed(
            seed,
            out_dir,
            timeout_s=args.timeout,
            verify_timeout_s=args.verify_timeout,
            children=children,
        )
        verdict = "pass" if result.passed else f"FAIL  {_cell(result.first_error, 140)}"
        print(f"seed {seed:>5}  {result.seconds:>6.1f} s  {verdict}", flush=True)
        return result

    interrupted = False
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(one, seed) for seed in args.seed_list]
        try:
            for future in futures:
                results.append(future.result())
        except KeyboardInterrupt:
            interrupted = True
            for future in futures:
                future.cancel()
            children.stop_all()
    note = (
        f"Robot: `{ROBOT.relative_to(ROOT) if ROBOT.is_relative_to(ROOT) else ROBOT} run` at "
        f"commit {_commit()}; seeds {_describe(args.seed_list)}; per-run timeout "
        f"{args.timeout:g} s; robot --verify-timeout {args.verify_timeout:g} s."
        + (" **Interrupted: partial results.**" if interrupted else "")
    )
    table = render(results, started=started, note=note)
    report = args.out / f"fuzz-{stamp}.md"
    report.write_text(table, encoding="utf-8")
    raw = [asdict(r) for r in results]
    report.with_suffix(".json").write_text(json.dumps(raw, indent=2), encoding="utf-8")
    print()
    print(table)
    print(f"written: {report}")
    return 0 if results and all(r.passed for r in results) and not interrupted else 1


def _describe(seeds: Sequence[int]) -> str:
    if list(seeds) == list(range(seeds[0], seeds[0] + len(seeds))):
        return f"{seeds[0]}..{seeds[-1]}"
    return ",".join(map(str, seeds))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
