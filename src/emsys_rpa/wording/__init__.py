"""Every sentence a person reads, in one place: the console, the report, notifications.

``i18n`` chooses the language (gettext catalogues); ``formats`` writes times (with their zone),
durations, URLs and paths; ``run`` the sentences about a run (its headline, task statuses,
ledger refusals, the one-line summary); ``display`` translates, when shown, the step names and
errors worded elsewhere.
"""

from __future__ import annotations

from emsys_rpa.wording.display import step_name, translate_text
from emsys_rpa.wording.formats import (
    fmt_clock,
    fmt_dt,
    fmt_duration,
    fmt_number,
    safe_url,
    show_trace_command,
    zone_label,
)
from emsys_rpa.wording.i18n import N_, _, language, ngettext, set_language, system_language
from emsys_rpa.wording.run import (
    NOT_SELECTED,
    Headline,
    Level,
    all_errors,
    headline,
    nothing_sent,
    one_line,
    refusal_text,
    run_status_word,
    session_title,
    task_outcome,
    task_status_label,
    task_status_level,
    task_status_text,
    task_title,
)

__all__ = [
    "NOT_SELECTED",
    "N_",
    "Headline",
    "Level",
    "_",
    "all_errors",
    "fmt_clock",
    "fmt_dt",
    "fmt_duration",
    "fmt_number",
    "headline",
    "language",
    "ngettext",
    "nothing_sent",
    "one_line",
    "refusal_text",
    "run_status_word",
    "safe_url",
    "session_title",
    "set_language",
    "show_trace_command",
    "step_name",
    "system_language",
    "task_outcome",
    "task_status_label",
    "task_status_level",
    "task_status_text",
    "task_title",
    "translate_text",
    "zone_label",
]
