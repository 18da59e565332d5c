"""Round trips to the browser in one run of ``emsys-rpa demo``, by kind, and its wall time.

    .venv/bin/python benchmarks/bench_probes.py [--runs 3]

Every Playwright call is a message to the browser driver and back; looking for a control used
to cost one ``queryCount`` per strategy per frame. This counts the messages the robot sends
(a hook on Playwright's connection, so it depends on Playwright's internals: a benchmark, not
a test) and prints the median over ``--runs`` demo runs. Run it against another checkout with
``PYTHONPATH=<checkout>/src`` to compare.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright._impl import connection

_counts: collections.Counter[str] = collections.Counter()
_send = connection.Connection.send_message_to_server


def _counting(self: Any, target: Any, method: str, params: Any, options: Any) -> Any:
    if method != "__waitInfo__":
        _counts[method] += 1
    return _send(self, target, method, params, options)


def one_run() -> tuple[float, collections.Counter[str]]:
    from emsys_rpa.cli import main

    _counts.clear()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch, contextlib.chdir(scratch):
        sys.argv = ["emsys-rpa", "demo", "--quiet"]
        with contextlib.suppress(SystemExit):
            main()
    return time.monotonic() - started, collections.Counter(_counts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    connection.Connection.send_message_to_server = _counting  # type: ignore[method-assign]
    runs = [one_run() for _ in range(args.runs)]
    walls = [wall for wall, _ in runs]
    totals = [sum(c.values()) for _, c in runs]
    import emsys_rpa

    print(f"code: {Path(emsys_rpa.__file__).parent}")
    each = ", ".join(f"{w:.1f}" for w in walls)
    print(f"demo wall time: median {statistics.median(walls):.2f} s ({each})")
    print(f"messages to the browser: median {statistics.median(totals):.0f} ({totals})")
    last = runs[-1][1]
    for method, count in last.most_common(8):
        print(f"  {method:28} {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
