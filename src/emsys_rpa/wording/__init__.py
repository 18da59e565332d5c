"""Every sentence a person reads, in one place: the console, the report, notifications.

``formats`` writes times, durations, URLs and paths; ``run`` the sentences about a run (its
headline, task statuses, ledger refusals, the one-line summary).
"""

from __future__ import annotations

from emsys_rpa.wording.formats import (
    fmt_dt,
    fmt_duration,
    safe_url,
    show_trace_command,
)
from emsys_rpa.wording.run import (
    SESSION_TITLE,
    Headline,
    Level,
    all_errors,
    headline,
    one_line,
    refusal_text,
    task_status_level,
    task_status_text,
    task_title,
)

__all__ = [
    "SESSION_TITLE",
    "Headline",
    "Level",
    "all_errors",
    "fmt_dt",
    "fmt_duration",
    "headline",
    "one_line",
    "refusal_text",
    "safe_url",
    "show_trace_command",
    "task_status_level",
    "task_status_text",
    "task_title",
]
