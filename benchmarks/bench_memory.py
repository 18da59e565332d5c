"""Peak memory and CPU time of a process and everything it starts, sampled from a thread.

The robot is one Python process; it starts Playwright's driver (Node.js), which starts the
browser (a handful of Chromium processes). What a machine has to provide is the peak of
their *sum*, so each sample adds the processes up and the peak is taken over samples.

RSS counts pages shared between Chromium's processes once per process, so the sum
over-states what the tree really occupies; PSS (shared pages split between their users)
is recorded next to it as the fairer figure.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field

import psutil

MB = 1024 * 1024
ROBOT, DRIVER, BROWSER = "robot", "driver", "browser"
PSS_MIN_GAP_S = 0.2


@dataclass
class MemoryPeak:
    """Peaks in bytes, by part of the tree and for the whole tree at once."""

    rss: dict[str, int] = field(default_factory=lambda: {ROBOT: 0, DRIVER: 0, BROWSER: 0})
    rss_total: int = 0
    pss_total: int = 0
    # Pages no other process maps. Both PSS and USS drop while other processes map the same
    # files (other people's Chromiums): PSS splits those pages among them, USS leaves them out.
    uss_total: int = 0
    processes: int = 0  # most processes seen at once
    cpu_s: float = 0.0  # user + system time of every process seen (last sample of each)
    cpu_by_part: dict[str, float] = field(default_factory=dict)
    samples: int = 0
    pss_samples: int = 0  # how many of them read PSS too


def _part(proc: psutil.Process, root_pid: int) -> str:
    if proc.pid == root_pid:
        return ROBOT
    try:
        name = proc.name().lower()
    except psutil.Error:
        return BROWSER
    return DRIVER if name.startswith("node") else BROWSER


@dataclass(frozen=True)
class Sampling:
    """How often to read the tree: RSS every ``interval_s``; PSS see ``TreeSampler``."""

    interval_s: float = 0.1
    pss_interval_s: float = 1.0
    pss_on_growth_mb: float | None = None


DEFAULT_SAMPLING = Sampling()


class TreeSampler:
    """Samples the process tree under ``pid`` every ``interval_s`` until ``stop()``.

    RSS is read at every sample. PSS reads smaps_rollup (2–10 ms a process: every tick would
    steal a quarter of a core from the robot on a 2-core machine), so it is read every
    ``pss_interval_s``, and, with ``pss_on_growth_mb``, also as soon as the RSS sum has grown
    by that much since the last PSS read (at most every ``PSS_MIN_GAP_S``). A tree's memory
    grows until it closes the browser, so a short run (the bare script lives 2–3 s) would
    otherwise have its peak missed by up to a second's growth.
    """

    def __init__(self, pid: int, sampling: Sampling = DEFAULT_SAMPLING) -> None:
        self.pid = pid
        self.sampling = sampling
        growth = sampling.pss_on_growth_mb
        self.pss_on_growth = None if growth is None else int(growth * MB)
        self.peak = MemoryPeak()
        self._cpu: dict[int, tuple[str, float]] = {}
        self._parts: dict[int, str] = {}
        self._last_pss_at = -math.inf
        self._rss_at_last_pss = 0
        self._halt = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="bench-memory", daemon=True)

    def start(self) -> TreeSampler:
        self._thread.start()
        return self

    def stop(self) -> MemoryPeak:
        self._halt.set()
        self._thread.join(5)
        by_part: dict[str, float] = {}
        for part, seconds in self._cpu.values():
            by_part[part] = by_part.get(part, 0.0) + seconds
        self.peak.cpu_by_part = {part: round(seconds, 3) for part, seconds in by_part.items()}
        self.peak.cpu_s = round(sum(by_part.values()), 3)
        return self.peak

    def _loop(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        # The first sample at once: a short-lived tree must not be missed entirely.
        while True:
            self._sample(root)
            if self._halt.wait(self.sampling.interval_s):
                return

    def _pss_due(self, rss_total: int) -> bool:
        since = time.monotonic() - self._last_pss_at
        if since >= self.sampling.pss_interval_s:
            return True
        return (
            self.pss_on_growth is not None
            and since >= PSS_MIN_GAP_S
            and rss_total - self._rss_at_last_pss >= self.pss_on_growth
        )

    def _sample(self, root: psutil.Process) -> None:
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            return  # the robot has exited; its children are gone or orphaned
        rss = {ROBOT: 0, DRIVER: 0, BROWSER: 0}
        alive: list[psutil.Process] = []
        for proc in tree:
            try:
                with proc.oneshot():
                    memory = proc.memory_info()
                    times = proc.cpu_times()
                    part = self._parts.get(proc.pid) or _part(proc, self.pid)
            except psutil.Error:
                continue  # exited between the listing and the read
            alive.append(proc)
            self._parts[proc.pid] = part
            rss[part] += memory.rss
            self._cpu[proc.pid] = (part, times.user + times.system)
        if not alive:
            return
        peak = self.peak
        peak.samples += 1
        peak.processes = max(peak.processes, len(alive))
        for part, value in rss.items():
            peak.rss[part] = max(peak.rss[part], value)
        rss_total = sum(rss.values())
        peak.rss_total = max(peak.rss_total, rss_total)
        if self._pss_due(rss_total):
            self._last_pss_at = time.monotonic()
            self._rss_at_last_pss = rss_total
            peak.pss_samples += 1
            pss, uss = _pss_uss(alive)
            peak.pss_total = max(peak.pss_total, pss)
            peak.uss_total = max(peak.uss_total, uss)


def _pss_uss(tree: list[psutil.Process]) -> tuple[int, int]:
    pss = uss = 0
    for proc in tree:
        try:
            full = proc.memory_full_info()
        except psutil.Error:
            continue  # exited since the RSS pass
        pss += full.pss
        uss += full.uss
    return pss, uss


def _busy_s() -> float:
    """CPU seconds the whole machine has spent not idle since boot (all CPUs)."""
    times = psutil.cpu_times()
    return float(sum(times)) - times.idle - getattr(times, "iowait", 0.0)


def _own_s() -> float:
    times = psutil.Process().cpu_times()
    return float(times.user + times.system)


class MachineCpu:
    """CPU spent by the whole machine, and by this process (the mock portal), over a run.

    What neither the robot's tree nor this process used belongs to other programs: a figure
    well above zero means the run competed for the CPU and its times are inflated.
    """

    def __init__(self) -> None:
        self._busy = _busy_s()
        self._own = _own_s()

    def stop(self, tree_cpu_s: float) -> tuple[float, float]:
        """(this process's CPU seconds, other programs' CPU seconds) since construction."""
        own = _own_s() - self._own
        return own, max(0.0, _busy_s() - self._busy - own - tree_cpu_s)
