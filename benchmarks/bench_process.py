"""One measured process: its wall time, the peak memory of its tree, and how busy the machine was.

Shared by every command the benchmarks time (the robot's CLI, the bare script), so that each
is measured the same way: wall time from just before the start to just after the exit, the
tree sampled from a thread, and the CPU other programs took meanwhile (noise).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench_memory import DEFAULT_SAMPLING, MachineCpu, MemoryPeak, Sampling, TreeSampler

OUTPUT_TAIL = 1500  # characters of output kept: enough for an error and its hint


@dataclass
class ProcessRun:
    exit_code: int
    wall_s: float
    started: datetime  # UTC, just before the process was started
    ended: datetime  # UTC, just after it exited
    memory: MemoryPeak
    portal_cpu_s: float  # this process: the mock portal (and the sampler)
    other_cpu_s: float  # everything else on the machine: noise
    output_tail: str  # the end of stdout and stderr, interleaved


def run_measured(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    timeout_s: float,
    sampling: Sampling = DEFAULT_SAMPLING,
) -> ProcessRun:
    """Run ``argv`` to its end (killed after ``timeout_s``) while sampling its process tree."""
    machine = MachineCpu()
    started = datetime.now(UTC)
    clock = time.perf_counter()
    proc = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    sampler = TreeSampler(proc.pid, sampling).start()
    try:
        output, _ = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
    wall = time.perf_counter() - clock
    ended = datetime.now(UTC)
    memory = sampler.stop()
    portal_cpu, other_cpu = machine.stop(memory.cpu_s)
    return ProcessRun(
        exit_code=proc.returncode,
        wall_s=wall,
        started=started,
        ended=ended,
        memory=memory,
        portal_cpu_s=portal_cpu,
        other_cpu_s=other_cpu,
        output_tail=output[-OUTPUT_TAIL:],
    )
