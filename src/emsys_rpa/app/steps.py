"""Recording steps: each one named, timed, logged, shown to the observer and kept in the summary.

A failed step gets a screenshot of the window a person would be looking at and, kept beside it,
every open window's accessibility snapshot and HTML (what the robot saw, to write a
``[selectors]`` line from); the error it raises learns the step's name (the console and
``summary.json`` show the error away from its step list, so the message names the step itself).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from time import monotonic

import structlog

from emsys_rpa.errors import ElementNotFoundError, EmsysError, PortalAnswerError
from emsys_rpa.events import RunObserver
from emsys_rpa.redaction import error_line
from emsys_rpa.summary import SESSION, RunSummary, StepRecord, StepStatus, TaskResult

log = structlog.get_logger("emsys_rpa.app")

# (name, evidence) -> the screenshot path relative to the run folder, or None.
Shooter = Callable[[str, bool], str | None]
Keeper = Callable[[str], list[str]]


@dataclass
class StepHandle:
    """What a step may add to its record while it runs."""

    detail: str | None = None
    screenshot: str | None = None
    snapshots: list[str] = field(default_factory=list)


# Failures where what the windows show instead is the diagnosis (a control missing, covered,
# or refused by the portal).
_ABOUT_CONTROLS = (ElementNotFoundError, PortalAnswerError)


class StepRecorder:
    """Records steps into ``summary`` (run-level) or into a task's ``steps``."""

    def __init__(
        self,
        summary: RunSummary,
        observer: RunObserver,
        *,
        clock: Callable[[], datetime],
    ) -> None:
        self.summary = summary
        self.observer = observer
        self.clock = clock
        # Takes a screenshot named after its argument; set once a browser is open.
        self.shooter: Shooter | None = None
        # Keeps every open window's accessibility snapshot and HTML; set with the shooter.
        self.keeper: Keeper | None = None

    def shot(self, name: str, *, evidence: bool = False) -> str | None:
        """A screenshot of the top window (path relative to the run folder), if a browser is
        open. ``evidence``: a shot that proves a step went well (compressed); otherwise it shows
        a problem (lossless)."""
        return self.shooter(name, evidence) if self.shooter is not None else None

    def _keep(self, name: str) -> list[str]:
        if self.keeper is None:
            return []
        try:
            return self.keeper(name)
        except Exception as exc:  # evidence must never hide the step's own error
            log.warning("window snapshots not kept", error=error_line(exc))
            return []

    @contextmanager
    def step(self, task: TaskResult | None, name: str) -> Iterator[StepHandle]:
        """Name, time, log and record one step; a failure gets a screenshot and re-raises."""
        owner = task.name if task else SESSION
        handle = StepHandle()
        started = self.clock()
        began = monotonic()
        self.observer.step_started(owner, name)
        log.info("step started", task=owner, step=name)
        status = StepStatus.OK
        try:
            yield handle
        except BaseException as exc:
            status = StepStatus.FAILED
            handle.detail = handle.detail or error_line(exc)
            if isinstance(exc, EmsysError) and exc.step is None:
                exc.step = name  # the innermost step that failed
            if not isinstance(exc, KeyboardInterrupt):
                handle.screenshot = self.shot(f"{owner}-{name}-failed")
                # The windows' snapshots say what is there instead of a control. They are read
                # by scripts with no time limit, so only from windows that answered the
                # screenshot: a page stuck on a request that never returns would hang the run.
                if handle.screenshot is not None and isinstance(exc, _ABOUT_CONTROLS):
                    handle.snapshots = self._keep(f"{owner}-{name}")
            raise
        finally:
            record = StepRecord(
                name=name,
                status=status,
                started_at=started,
                duration_s=round(monotonic() - began, 3),
                detail=handle.detail,
                screenshot=handle.screenshot,
                snapshots=handle.snapshots,
            )
            (task.steps if task is not None else self.summary.steps).append(record)
            log_method = log.info if status is StepStatus.OK else log.error
            log_method(
                "step finished",
                task=owner,
                step=name,
                status=status.value,
                duration_s=record.duration_s,
                detail=record.detail,
            )
            self.observer.step_finished(owner, record)
