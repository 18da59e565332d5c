"""The robot against a bare hand-written script doing the same clicks, in alternating pairs.

The issue's yardstick: ``emsys-rpa run`` should cost little more than ``bare_clerk.py`` (the
procedure as straight-line Playwright, no safety, no evidence) with the same browser. Each pair
runs both on fresh mocks (one new mock per run, sends start at once), in alternating order
(robot first in odd pairs, bare first in even ones) so that a warming cache or a slow spell of
the machine does not favour one side. Both are measured the same way (``run_measured``): wall
time of the process, peak RSS and PSS of its whole tree (Python, Playwright's driver, every
browser process), the CPU other programs took meanwhile.

A pair counts only if both sides did the job: the robot exited 0 with alerts and invoices
verified in summary.json, the bare script exited 0 (it checks both history tabs), and each
side's mock saw one alerts job and one invoices job and no duplicate send.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench_machine import browser_version
from bench_memory import MB, Sampling
from bench_mock import FreshPortals
from bench_process import ProcessRun, run_measured
from bench_report import Verdict, median, table, verdict_table
from bench_robot import RUN_TIMEOUT_S, Credentials, RobotRun, run_robot

from emsys_rpa.browser import find_browser
from emsys_rpa.mockportal import MockPortal

BARE_SCRIPT = Path(__file__).resolve().parent / "bare_clerk.py"

# The targets.
WALL_RATIO_MAX = 1.3
PSS_RATIO_MAX = 1.15
DEFAULT_BROWSER_PSS_MAX_MB = 430.0
MIN_PAIRS = 5  # the targets are medians of at least this many pairs

# PSS once a second, and again whenever the tree has grown by 8 MB of RSS since the last read:
# the bare script lives under 3 s and peaks just before closing the browser, so once a second
# alone can miss its peak by 5 %, and that error would land in the ratio.
PEER_SAMPLING = Sampling(pss_interval_s=1.0, pss_on_growth_mb=8.0)

ROBOT_SIDE, BARE_SIDE = "robot", "bare"


def robot_default_browser() -> str:
    """The executable the robot picks when nothing is configured (as the bench runs it)."""
    choice = find_browser()
    if not choice.executable_path:
        raise SystemExit(
            f"the robot would launch {choice.describe()}, not an executable the bare script "
            "can be given: pass --browser PATH"
        )
    return choice.executable_path


def portal_problem(ledger: dict[str, Any]) -> str | None:
    """Why the mock's ledger does not show one alerts and one invoices send; None if it does."""
    kinds = sorted(str(job.get("type")) for job in ledger.get("jobs", []))
    if kinds != ["alerts", "invoices"]:
        return f"the portal saw jobs {kinds or 'none'}, not one alerts and one invoices job"
    if ledger.get("duplicate_sends"):
        return f"the portal counted {ledger['duplicate_sends']} duplicate send(s)"
    return None


@dataclass
class Side:
    """One measured run of one side of a pair."""

    run: ProcessRun
    problem: str | None  # None: verified

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def pss_mb(self) -> float:
        return self.run.memory.pss_total / MB

    @property
    def uss_mb(self) -> float:
        return self.run.memory.uss_total / MB

    @property
    def rss_mb(self) -> float:
        return self.run.memory.rss_total / MB


def robot_problem(run: RobotRun) -> str | None:
    if run.exit_code != 0 or run.summary is None:
        return run.problem()
    status = {t.get("name"): t.get("status") for t in run.summary.get("tasks", [])}
    if status.get("alerts") != "verified" or status.get("invoices") != "verified":
        return run.problem()
    return None


def bare_problem(run: ProcessRun) -> str | None:
    if run.exit_code == 0:
        return None
    return f"exit {run.exit_code}: {run.output_tail.strip()[-300:]}"


def robot_goes_first(index: int) -> bool:
    """In odd pairs (1-based); the bare script goes first in even ones."""
    return index % 2 == 1


@dataclass
class Pair:
    browser: str
    index: int  # 1-based
    robot: Side
    bare: Side
    attempts: int = 1

    @property
    def robot_first(self) -> bool:
        return robot_goes_first(self.index)

    @property
    def ok(self) -> bool:
        return self.robot.ok and self.bare.ok

    @property
    def noise_s(self) -> float:
        """CPU seconds other programs took during the noisier of the two runs."""
        return max(self.robot.run.other_cpu_s, self.bare.run.other_cpu_s)

    @property
    def wall_ratio(self) -> float:
        return self.robot.run.wall_s / self.bare.run.wall_s

    @property
    def pss_ratio(self) -> float:
        return self.robot.pss_mb / self.bare.pss_mb if self.bare.pss_mb else float("inf")

    def problem(self) -> str:
        found = [f"{name}: {side.problem}" for name, side in self.sides() if side.problem]
        return "; ".join(found)

    def sides(self) -> list[tuple[str, Side]]:
        return [(ROBOT_SIDE, self.robot), (BARE_SIDE, self.bare)]


@dataclass
class Peer:
    """Runs the pairs; ``portals`` gives every run its own fresh mock."""

    portals: FreshPortals
    robot_env: dict[str, str] = field(default_factory=dict)

    def run_side(self, side: str, browser: str) -> Side:
        with self.portals.fresh() as (portal, work):
            if side == ROBOT_SIDE:
                return self._robot(portal, work, browser)
            return self._bare(portal, work, browser)

    def _robot(self, portal: MockPortal, work: Path, browser: str) -> Side:
        run = run_robot(
            Credentials(portal.url, portal.username, portal.password),
            work,
            # The robot's own choice is being reworked; the bench pins both sides to one browser.
            extra_env={**self.robot_env, "EMSYS_BROWSER_EXECUTABLE": browser},
            sampling=PEER_SAMPLING,
        )
        return Side(run, robot_problem(run) or portal_problem(portal.ledger()))

    def _bare(self, portal: MockPortal, work: Path, browser: str) -> Side:
        argv = [sys.executable, str(BARE_SCRIPT), portal.url, portal.username, portal.password]
        env = {k: v for k, v in os.environ.items() if not k.startswith("EMSYS_")}
        run = run_measured(
            [*argv, "--executable", browser],
            cwd=work,
            env=env,
            timeout_s=RUN_TIMEOUT_S,
            sampling=PEER_SAMPLING,
        )
        return Side(run, bare_problem(run) or portal_problem(portal.ledger()))

    def pair(self, browser: str, index: int) -> Pair:
        first = robot_goes_first(index)
        order = [ROBOT_SIDE, BARE_SIDE] if first else [BARE_SIDE, ROBOT_SIDE]
        done = {side: self.run_side(side, browser) for side in order}
        return Pair(browser, index, done[ROBOT_SIDE], done[BARE_SIDE])

    def quiet_pair(self, browser: str, index: int, max_noise: float, retries: int) -> Pair:
        """A pair, measured again (up to ``retries`` times) while other programs took the CPU.

        As for single runs, the choice depends only on the other programs, never on the
        figures; of the attempts, a verified one with the least noise is kept.
        """
        attempts: list[Pair] = []
        for _ in range(1 + retries):
            attempts.append(self.pair(browser, index))
            if attempts[-1].noise_s <= max_noise:
                break
            self.portals.say(
                f"    pair {index} ({Path(browser).name}): other programs used "
                f"{attempts[-1].noise_s:.1f} CPU s (> {max_noise:g}); measuring again"
            )
        best = min(attempts, key=lambda p: (not p.ok, p.noise_s))
        best.attempts = len(attempts)
        return best

    def run(
        self,
        browsers: Sequence[str],
        pairs: int,
        *,
        max_noise: float,
        retries: int,
        warmup: bool,
    ) -> list[Pair]:
        """``pairs`` pairs per browser; the pair loop outermost, so the browsers interleave."""
        say = self.portals.say
        if warmup:
            for browser in browsers:
                for side in (ROBOT_SIDE, BARE_SIDE):
                    outcome = self.run_side(side, browser)
                    say(f"warm-up {side} ({browser}): {outcome.run.wall_s:.2f} s")
        measured: list[Pair] = []
        for index in range(1, pairs + 1):
            for browser in browsers:
                pair = self.quiet_pair(browser, index, max_noise, retries)
                measured.append(pair)
                status = "verified" if pair.ok else f"FAILED: {pair.problem()}"
                say(
                    f"[peer {index}/{pairs}] {browser}: robot {pair.robot.run.wall_s:.2f} s "
                    f"{pair.robot.pss_mb:.0f} MB PSS, bare {pair.bare.run.wall_s:.2f} s "
                    f"{pair.bare.pss_mb:.0f} MB PSS, other programs {pair.noise_s:.1f} CPU s "
                    f"— {status}"
                )
        return measured


# -- the report -------------------------------------------------------------------------------


def _stat(values: Iterable[float], fmt: str, unit: str = "") -> str:
    """Median and range: "5.60 (5.41–5.83)", "2.56× (2.28–2.84)"."""
    data = list(values)
    if not data:
        return "–"
    low, high = fmt.format(min(data)), fmt.format(max(data))
    return f"{fmt.format(median(data))}{unit} ({low}–{high})"


Metric = tuple[str, Callable[[Side], float], str]
METRICS: tuple[Metric, ...] = (
    ("wall time s", lambda s: s.run.wall_s, "{:.2f}"),
    ("peak PSS MB (tree)", lambda s: s.pss_mb, "{:.0f}"),
    ("peak USS MB (tree)", lambda s: s.uss_mb, "{:.0f}"),
    ("peak RSS MB (tree, sum)", lambda s: s.rss_mb, "{:.0f}"),
    ("CPU s (tree)", lambda s: s.run.memory.cpu_s, "{:.1f}"),
)


def summary_table(pairs: Sequence[Pair], browsers: Sequence[str], names: dict[str, str]) -> str:
    rows: list[list[str]] = []
    for browser in browsers:
        tried = [p for p in pairs if p.browser == browser]
        good = [p for p in tried if p.ok]
        for number, (metric, get, fmt) in enumerate(METRICS):
            ratios = [get(p.robot) / get(p.bare) for p in good if get(p.bare)]
            rows.append(
                [
                    names[browser] if number == 0 else "",
                    metric,
                    _stat((get(p.robot) for p in good), fmt),
                    _stat((get(p.bare) for p in good), fmt),
                    _stat(ratios, "{:.2f}", "×"),
                    f"{len(good)} of {len(tried)}" if number == 0 else "",
                ]
            )
    return table(
        ["browser", "metric", "robot", "bare script", "robot / bare", "pairs verified"],
        rows,
        right=2,
    )


def pairs_table(pairs: Sequence[Pair]) -> str:
    rows = [
        [
            Path(p.browser).name,
            f"{p.index}",
            "robot, bare" if p.robot_first else "bare, robot",
            f"{p.robot.run.wall_s:.2f}",
            f"{p.bare.run.wall_s:.2f}",
            f"{p.wall_ratio:.2f}×",
            f"{p.robot.pss_mb:.0f}",
            f"{p.bare.pss_mb:.0f}",
            f"{p.pss_ratio:.2f}×",
            f"{p.robot.run.memory.pss_samples} / {p.bare.run.memory.pss_samples}",
            f"{p.noise_s:.1f}" + (f" ({p.attempts} tries)" if p.attempts > 1 else ""),
            "verified" if p.ok else f"FAILED: {p.problem()}",
        ]
        for p in pairs
    ]
    return table(
        [
            "browser",
            "pair",
            "order",
            "robot s",
            "bare s",
            "wall ratio",
            "robot PSS MB",
            "bare PSS MB",
            "PSS ratio",
            "PSS reads robot / bare",
            "other programs CPU s",
            "status",
        ],
        rows,
        right=3,
        text_last=True,
    )


def _pairs(count: int) -> str:
    return f"{count} pair" + ("" if count == 1 else "s")


def verdicts(pairs: Sequence[Pair], browsers: Sequence[str], default: str) -> list[Verdict]:
    result: list[Verdict] = []
    for browser in browsers:
        good = [p for p in pairs if p.browser == browser and p.ok]
        name = Path(browser).name
        if not good:
            for target, limit in (("wall", WALL_RATIO_MAX), ("peak PSS", PSS_RATIO_MAX)):
                result.append(
                    Verdict(
                        f"{target} robot / bare, {name}", "no verified pair", f"≤ {limit:g}×", None
                    )
                )
            continue
        wall = median(p.wall_ratio for p in good)
        pss = median(p.pss_ratio for p in good)
        result += [
            Verdict(
                f"wall robot / bare, {name} (median of {_pairs(len(good))})",
                f"{wall:.2f}×",
                f"≤ {WALL_RATIO_MAX:g}×",
                wall <= WALL_RATIO_MAX,
            ),
            Verdict(
                f"peak PSS robot / bare, {name} (median of {_pairs(len(good))})",
                f"{pss:.2f}×",
                f"≤ {PSS_RATIO_MAX:g}×",
                pss <= PSS_RATIO_MAX,
            ),
        ]
        if browser == default:
            robot_pss = median(p.robot.pss_mb for p in good)
            result.append(
                Verdict(
                    f"robot peak PSS, the robot's default browser ({name}; median)",
                    f"{robot_pss:.0f} MB",
                    f"≤ {DEFAULT_BROWSER_PSS_MAX_MB:g} MB",
                    robot_pss <= DEFAULT_BROWSER_PSS_MAX_MB,
                )
            )
    return result


def render(
    pairs: Sequence[Pair], browsers: Sequence[str], default: str, *, send_rate: float
) -> str:
    names = {b: f"{Path(b).name} ({browser_version({'executable_path': b})})" for b in browsers}
    noise = [p.noise_s for p in pairs]
    again = sum(1 for p in pairs if p.attempts > 1)
    failed = [p for p in pairs if not p.ok]
    per_browser = max((p.index for p in pairs), default=0)
    parts = [
        f"## 6. The robot against a bare script ({_pairs(per_browser)} per browser)",
        "",
        "`emsys-rpa run` (every safety step, evidence, report) against `benchmarks/bare_clerk.py` "
        "(the same clicks as straight-line Playwright, no safety) with the same browser, given "
        "to the robot as `EMSYS_BROWSER_EXECUTABLE`. Pairs alternate which side runs first; "
        "every run gets a fresh mock (default variant, sends start at once, its jobs write "
        f"{send_rate:,.0f} history rows a second). Peak PSS and RSS "
        "are of the whole process tree (Python, Playwright's driver, every browser process). "
        "USS counts the pages no other process maps; PSS and USS both drop while other "
        "browsers run on the machine. "
        f"The robot's default browser here: `{default}`.",
        "",
        verdict_table(verdicts(pairs, browsers, default)),
        "",
        *(
            [f"The targets ask for at least {MIN_PAIRS} pairs: these verdicts are indicative.", ""]
            if per_browser < MIN_PAIRS
            else []
        ),
        "Median (min–max) over the verified pairs; the ratio is taken within each pair.",
        "",
        summary_table(pairs, browsers, names),
        "",
        "Other programs' CPU during the noisier run of a pair (0 on a quiet machine): "
        + (
            f"median {median(noise):.1f} s, max {max(noise):.1f} s; {again} pair(s) were "
            "measured again because of it."
            if noise
            else "n/a."
        ),
        "",
    ]
    if failed:
        parts += [f"**{len(failed)} pair(s) did not verify** and are left out of the figures.", ""]
    parts += ["Every pair:", "", pairs_table(pairs)]
    return "\n".join(parts)


def raw(pair: Pair) -> dict[str, Any]:
    """A pair's figures for ``--json``."""

    def side(s: Side) -> dict[str, Any]:
        return {
            "ok": s.ok,
            "problem": s.problem,
            "exit_code": s.run.exit_code,
            "wall_s": round(s.run.wall_s, 3),
            "pss_total_mb": round(s.pss_mb, 1),
            "uss_total_mb": round(s.uss_mb, 1),
            "rss_total_mb": round(s.rss_mb, 1),
            "pss_samples": s.run.memory.pss_samples,
            "processes": s.run.memory.processes,
            "cpu_s": s.run.memory.cpu_s,
            "cpu_by_part_s": s.run.memory.cpu_by_part,
            "other_cpu_s": round(s.run.other_cpu_s, 3),
        }

    return {
        "config": "peer",
        "browser": pair.browser,
        "pair": pair.index,
        "robot_first": pair.robot_first,
        "ok": pair.ok,
        "attempts": pair.attempts,
        "robot": side(pair.robot),
        "bare": side(pair.bare),
    }
