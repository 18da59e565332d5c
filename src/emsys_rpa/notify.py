"""Tell people how the run went: one message per channel, sent through Apprise.

A notification is a courtesy on top of the run's own result (exit code, summary, report): it
must never change that result, so ``send_notifications`` never raises. A channel that fails is
logged (``notify_failed``, with its reason) and the others still go out; the return value lists
what actually went out. Apprise gives up on a channel after ``[notify] timeout_s``.

Everything sent is built from the ``RunSummary`` only and passes the log redactor. Each
channel's URL, every secret filled into it and every value Apprise marks private in it are
registered with the redactor before it is used, and Apprise's own log records are read back
only to say why a channel failed, scrubbed (``notify_urls.quiet_apprise_logging``).
"""

from __future__ import annotations

import json
import logging
import re
import socket
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import structlog
from pydantic import SecretStr

from emsys_rpa import __version__
from emsys_rpa.errors import EmsysError, ExitStatus
from emsys_rpa.notify_urls import Channel, channels, fill_in, instantiate, private_values
from emsys_rpa.redaction import error_line, redactor
from emsys_rpa.secrets import register_secret, smtp_password
from emsys_rpa.settings import NotifySettings, WebhookNotifySettings
from emsys_rpa.summary import RunSummary, TaskResult
from emsys_rpa.wording import (
    _,
    all_errors,
    fmt_dt,
    fmt_duration,
    headline,
    one_line,
    safe_url,
    show_trace_command,
    task_outcome,
    task_status_text,
    translate_text,
)

if TYPE_CHECKING:
    from apprise import AppriseResult

log = structlog.get_logger(__name__)

# Mail relays commonly refuse messages above 10-25 MB; a report with many full-page
# screenshots can approach that, and a bounced mail would hide the failure it reports.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

_NOTIFY_TYPES = {"ok": "success", "info": "info", "warn": "warning", "fail": "failure"}
# A request's URL or path in an error can carry a webhook's token: it is never shown.
_URL_IN_TEXT = re.compile(r"(url: |[a-z]+://)\S+", re.IGNORECASE)


class ChannelFailed(EmsysError):
    """Apprise reported the channel failed; the text says why (from Apprise's log records)."""


def should_notify(on: str, summary: RunSummary) -> bool:
    """``on``: never | failure (any exit code but 0, "not verified" included) | always."""
    if on == "always":
        return True
    if on == "failure":
        return summary.effective_exit_code() != ExitStatus.OK
    return False


def send_notifications(
    settings: NotifySettings, summary: RunSummary, report: Path | None
) -> list[str]:
    """Send what ``settings`` asks for; never raises. Returns a description of each sent one."""
    sent: list[str] = []
    try:
        if not should_notify(settings.on, summary):
            return sent
        attachable = _attachable(report)
        for channel in channels(settings, smtp_password=_smtp_password(settings)):
            args = (channel, settings, summary, report, attachable)
            description = _try(channel.key, _send, *args)
            sent += [description] if description else []
        if settings.webhook.url and settings.webhook.kind == "generic":
            description = _try("notify.webhook", post_generic, settings.webhook, summary, report)
            sent += [description] if description else []
    except Exception as exc:  # a notifier bug must not turn a run's result into a crash
        log.error("notify_failed", error=error_line(exc, kind=True))
    return sent


def _try(channel: str, send: Any, *args: Any) -> str | None:
    try:
        description: str = send(*args)
    except Exception as exc:
        log.warning("notify_failed", channel=channel, error=error_line(exc))
        return None
    log.info("notify_sent", channel=channel, to=description)
    return description


def _smtp_password(settings: NotifySettings) -> SecretStr | None:
    username = settings.email.username
    if not username or not settings.email.smtp_host:
        return None
    password = smtp_password(username)
    if password is None:
        log.warning(
            "notify_smtp_no_password",
            username=username,
            hint="set EMSYS_SMTP_PASSWORD or `keyring set emsys-rpa-smtp <username>`; "
            "trying without logging in",
        )
    return password


# --- the message, the same for every channel -------------------------------------------------


def _task_line(task: TaskResult) -> str:
    text = f"{task.name}: {task.status.value} ({task_status_text(task.status)})"
    v = task.verification
    if v is not None and v.rows_seen:
        text += "; " + _("{n} rows seen, sent {first} – {last}").format(
            n=v.rows_seen,
            first=fmt_dt(v.first_sent_at, seconds=False),
            last=fmt_dt(v.last_sent_at, seconds=False),
        )
    if task.status.value == "skipped" or task.skip_reason:
        text += f"; {task_outcome(task)}"
    return text


def title(summary: RunSummary) -> str:
    """``[emsys-rpa] FAILED 2026-11-28: alerts verified, invoices failed`` (a mail's subject)."""
    tasks = ", ".join(f"{t.name} {t.status.value}" for t in summary.tasks) or _("no task ran")
    text = f"[emsys-rpa] {headline(summary).title} {summary.started_at:%Y-%m-%d}: {tasks}"
    return redactor.scrub(text)


def body(summary: RunSummary, report: Path | None, *, attached: bool) -> str:
    head = headline(summary)
    lines = [
        f"{head.title}",
        head.text,
        "",
        _("Run:      {run} (exit code {code})").format(
            run=summary.run_id, code=summary.effective_exit_code()
        ),
        _("Started:  {at}").format(at=fmt_dt(summary.started_at)),
        _("Finished: {at} ({duration})").format(
            at=fmt_dt(summary.finished_at), duration=fmt_duration(summary.duration_s())
        ),
        _("Portal:   {url} as {user}").format(
            url=safe_url(summary.portal_url), user=summary.username
        ),
    ]
    if summary.dry_run:
        lines.append(_("Dry run:  yes (nothing was sent to customers)"))
    lines += ["", _("Tasks:")]
    lines += [f"  - {_task_line(t)} [{fmt_duration(t.duration_s())}]" for t in summary.tasks]
    if not summary.tasks:
        lines.append(_("  (no task was started)"))
    errors = all_errors(summary)
    if errors:
        lines += ["", _("Errors:")] + [f"  - {e}" for e in errors]
    if summary.warnings:
        lines += ["", _("Warnings:")] + [f"  - {translate_text(w)}" for w in summary.warnings]
    lines.append("")
    if report is not None:
        where = _("attached; also at") if attached else _("at")
        lines.append(_("Report ({where}): {path}").format(where=where, path=report))
    elif summary.run_dir:
        lines.append(_("Run folder: {path}").format(path=summary.run_dir))
    trace = summary.trace_path()
    if trace is not None and summary.effective_exit_code() != ExitStatus.OK:
        lines.append(_("Playwright trace: {command}").format(command=show_trace_command(trace)))
    lines += ["", one_line(summary), "", f"-- emsys-rpa {__version__} on {socket.gethostname()}"]
    return redactor.scrub("\n".join(lines) + "\n")


# --- Apprise ---------------------------------------------------------------------------------


def _send(
    channel: Channel,
    settings: NotifySettings,
    summary: RunSummary,
    report: Path | None,
    attachable: Path | None,
) -> str:
    """Send one channel's message; raises on any failure (``_try`` catches)."""
    from apprise import Apprise, AppriseAsset, NotifyFormat
    from apprise.attachment.file import AttachFile
    from apprise.plugins.email import NotifyEmail

    asset = AppriseAsset(
        app_id="emsys-rpa",
        app_desc="emsys-rpa",
        storage_mode="memory",
        service_timeout=settings.timeout_s,
    )
    url = fill_in(channel.url)
    register_secret(url)
    service = instantiate(url, asset)
    if service is None:
        raise ChannelFailed("Apprise does not accept this URL")
    register_secret(*private_values(service))
    if channel.timeout_s is not None:
        service.socket_connect_timeout = service.socket_read_timeout = channel.timeout_s
    if isinstance(service, NotifyEmail):
        # Lets mail rules file these without parsing the subject.
        service.headers.setdefault("X-Emsys-Rpa-Status", headline(summary).title)
        service.headers.setdefault("X-Emsys-Rpa-Exit-Code", str(summary.effective_exit_code()))
    attach = None
    if attachable is not None and channel.attach and service.attachment_support:
        name = f"emsys-rpa-report-{summary.run_id}.html"
        attach = AttachFile(str(attachable), name=name)  # type: ignore[no-untyped-call]
    result = Apprise(asset=asset, services=service).notify(
        body=body(summary, report, attached=attach is not None),
        title=title(summary),
        notify_type=_NOTIFY_TYPES[headline(summary).level],
        body_format=NotifyFormat.TEXT,
        attach=attach,
        log_level=logging.DEBUG,
    )
    if not result:
        raise ChannelFailed(_reason(result))
    return f"{service.service_name} ({channel.key})"


def _reason(result: AppriseResult) -> str:
    """Why Apprise says a channel failed: its warnings and the error underneath, one line."""
    lines: dict[str, None] = {}
    for entry in result.logs():
        text = (entry.message.strip().splitlines() or [""])[0]
        if entry.level not in ("DEBUG", "INFO", "TRACE") or "Exception:" in text:
            lines[_URL_IN_TEXT.sub(r"\1…", text)] = None
    return "; ".join(lines) or result.status.name.lower()


def _attachable(report: Path | None) -> Path | None:
    """``report`` if it can go as an attachment (it exists and is not too large)."""
    if report is None:
        return None
    try:
        size = report.stat().st_size
    except OSError as exc:
        log.warning("notify_report_not_attached", reason=error_line(exc, kind=True))
        return None
    if size > MAX_ATTACHMENT_BYTES:
        log.warning("notify_report_not_attached", reason="too large", bytes=size)
        return None
    return report


# --- the generic webhook ---------------------------------------------------------------------
# Its JSON body (run_id, title, exit_code, ok, summary, tasks, report, …) is a contract some
# users rely on, and no Apprise URL can post it: Apprise's json:// sends its own
# {title, message, type} shape. So this one channel is still a plain POST of our own.


def _scrubbed(value: Any) -> Any:
    # Scrub values, not the serialized JSON: a secret with a quote in it is escaped in JSON
    # text and would slip past a plain text replace.
    if isinstance(value, str):
        return redactor.scrub(value)
    if isinstance(value, Mapping):
        return {k: _scrubbed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrubbed(v) for v in value]
    return value


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def generic_payload(summary: RunSummary, report: Path | None) -> dict[str, Any]:
    head = headline(summary)
    code = summary.effective_exit_code()
    payload = {
        "source": "emsys-rpa",
        "version": __version__,
        "run_id": summary.run_id,
        "status": summary.status,
        "title": head.title,
        "level": head.level,
        "text": head.text,
        "ok": code == ExitStatus.OK,
        "exit_code": code,
        "dry_run": summary.dry_run,
        "started_at": _iso(summary.started_at),
        "finished_at": _iso(summary.finished_at),
        "portal_url": safe_url(summary.portal_url),
        "username": summary.username,
        "summary": one_line(summary),
        "tasks": [
            {
                "name": t.name,
                "status": t.status.value,
                "scheduled_at": _iso(t.scheduled_at),
                "rows_seen": t.verification.rows_seen if t.verification else None,
                "first_sent_at": _iso(t.verification.first_sent_at) if t.verification else None,
                "last_sent_at": _iso(t.verification.last_sent_at) if t.verification else None,
                "skip_reason": t.skip_reason,
                "errors": list(t.errors),
            }
            for t in summary.tasks
        ],
        "errors": list(summary.errors),
        "report": str(report) if report is not None else None,
        "run_dir": summary.run_dir,
        "host": socket.gethostname(),
    }
    scrubbed: dict[str, Any] = _scrubbed(payload)
    return scrubbed


def post_generic(settings: WebhookNotifySettings, summary: RunSummary, report: Path | None) -> str:
    """POST the summary as JSON; raises on any failure (``_try`` catches)."""
    url = settings.url or ""
    # Incoming-webhook URLs carry their token in the path: treat the whole URL as a secret.
    register_secret(url)
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError("notify.webhook.url must be an http:// or https:// URL")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url,
        data=json.dumps(generic_payload(summary, report)).encode("utf-8"),
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": f"emsys-rpa/{__version__}",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=settings.timeout_s) as response:  # noqa: S310 (idem)
        status = response.status
    return f"generic webhook (HTTP {status})"
