"""Tell someone how the run went: an e-mail through SMTP and/or a JSON POST to a webhook.

A notification is a courtesy on top of the run's own result (exit code, summary, report): it
must never change that result, so ``send_notifications`` never raises. Each channel's failure
is logged and the run carries on; the return value lists what actually went out.

Everything sent is built from the ``RunSummary`` only and passes through the log redactor, so
the portal password (registered there when it was loaded) cannot leave in a message.
"""

from __future__ import annotations

import json
import smtplib
import socket
import ssl
import urllib.request
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import structlog

from emsys_rpa import __version__
from emsys_rpa.errors import ExitStatus
from emsys_rpa.redaction import redactor
from emsys_rpa.secrets import register_secret, smtp_password
from emsys_rpa.settings import EmailNotifySettings, NotifySettings, WebhookNotifySettings
from emsys_rpa.summary import RunSummary, TaskResult
from emsys_rpa.wording import (
    Headline,
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

log = structlog.get_logger(__name__)

# Mail relays commonly refuse messages above 10-25 MB; a report with many full-page
# screenshots can approach that, and a bounced mail would hide the failure it reports.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

_TEAMS_COLOURS = {"ok": "Good", "info": "Accent", "warn": "Warning", "fail": "Attention"}


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
        if settings.email.smtp_host or settings.email.recipients:
            description = _try("email", send_email, settings.email, summary, report)
            if description:
                sent.append(description)
        if settings.webhook.url:
            description = _try("webhook", post_webhook, settings.webhook, summary, report)
            if description:
                sent.append(description)
    except Exception as exc:  # a notifier bug must not turn a run's result into a crash
        log.error("notify_failed", error=_describe(exc))
    return sent


def _try(channel: str, send: Any, *args: Any) -> str | None:
    try:
        description: str = send(*args)
    except Exception as exc:
        log.warning("notify_failed", channel=channel, error=_describe(exc))
        return None
    log.info("notify_sent", channel=channel, to=description)
    return description


def _describe(exc: BaseException) -> str:
    return redactor.scrub(f"{type(exc).__name__}: {exc}")


# --- text shared by every channel -----------------------------------------------------------


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


def _subject(summary: RunSummary, head: Headline) -> str:
    tasks = ", ".join(f"{t.name} {t.status.value}" for t in summary.tasks) or _("no task ran")
    return f"[emsys-rpa] {head.title} {summary.started_at:%Y-%m-%d}: {tasks}"


def email_body(summary: RunSummary, report: Path | None, *, attached: bool) -> str:
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


# --- e-mail ----------------------------------------------------------------------------------


def build_email(
    settings: EmailNotifySettings, summary: RunSummary, report: Path | None
) -> EmailMessage:
    head = headline(summary)
    msg = EmailMessage()
    msg["Subject"] = redactor.scrub(_subject(summary, head))
    msg["From"] = settings.sender or settings.username or f"emsys-rpa@{socket.getfqdn()}"
    msg["To"] = ", ".join(settings.recipients)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="emsys-rpa.local")
    # Lets mail rules file these without parsing the subject.
    msg["X-Emsys-Rpa-Status"] = head.title
    msg["X-Emsys-Rpa-Exit-Code"] = str(summary.effective_exit_code())
    data = _attachment(settings, report)
    msg.set_content(email_body(summary, report, attached=data is not None))
    if data is not None:
        msg.add_attachment(
            data,
            maintype="text",
            subtype="html",
            filename=f"emsys-rpa-report-{summary.run_id}.html",
            params={"charset": "utf-8"},
        )
    # Python folds a header that fits on a continuation line right after "Subject:", which
    # some clients show with a leading space; RFC 5322 allows 998 characters, so use more
    # room for headers (the body is already encoded at this point and keeps its lines).
    msg.policy = msg.policy.clone(max_line_length=200)
    return msg


def _attachment(settings: EmailNotifySettings, report: Path | None) -> bytes | None:
    if not settings.attach_report or report is None:
        return None
    try:
        size = report.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            log.warning("notify_report_not_attached", reason="too large", bytes=size)
            return None
        return report.read_bytes()
    except OSError as exc:
        log.warning("notify_report_not_attached", reason=_describe(exc))
        return None


def send_email(settings: EmailNotifySettings, summary: RunSummary, report: Path | None) -> str:
    """Send the summary e-mail; raises on any failure (``send_notifications`` catches)."""
    if not settings.smtp_host or not settings.recipients:
        raise ValueError("notify.email needs both smtp_host and recipients")
    msg = build_email(settings, summary, report)
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if settings.security == "ssl":
        smtp = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=settings.timeout_s, context=context
        )
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout_s)
    with smtp:
        smtp.ehlo()
        if settings.security == "starttls":
            smtp.starttls(context=context)
            smtp.ehlo()
        if settings.username:
            _login(smtp, settings)
        refused = smtp.send_message(msg)
    accepted = [r for r in settings.recipients if r not in refused]
    if refused:
        log.warning("notify_recipients_refused", recipients=sorted(refused))
    if not accepted:
        raise smtplib.SMTPRecipientsRefused(refused)
    return f"email to {', '.join(accepted)}"


def _login(smtp: smtplib.SMTP, settings: EmailNotifySettings) -> None:
    password = smtp_password(settings.username)
    if password is None:
        log.warning(
            "notify_smtp_no_password",
            username=settings.username,
            hint="set EMSYS_SMTP_PASSWORD or `keyring set emsys-rpa-smtp <username>`; "
            "trying without logging in",
        )
        return
    if settings.security == "none":
        log.warning("notify_smtp_plaintext_login", hint="use security = starttls or ssl")
    smtp.login(settings.username or "", password.get_secret_value())


# --- webhooks --------------------------------------------------------------------------------


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


def _scrubbed_payload(payload: dict[str, Any]) -> dict[str, Any]:
    return {key: _scrubbed(value) for key, value in payload.items()}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def generic_payload(summary: RunSummary, report: Path | None) -> dict[str, Any]:
    head = headline(summary)
    code = summary.effective_exit_code()
    return _scrubbed_payload(
        {
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
    )


def teams_payload(summary: RunSummary, report: Path | None) -> dict[str, Any]:
    """An Adaptive Card in a message envelope: accepted by Teams Workflows webhooks and by the
    older Office 365 connector webhooks alike."""
    head = headline(summary)
    facts = [{"title": t.name, "value": _task_line(t).split(": ", 1)[1]} for t in summary.tasks]
    facts += [
        {"title": "run", "value": f"{summary.run_id} (exit {summary.effective_exit_code()})"},
        {"title": "started", "value": fmt_dt(summary.started_at)},
        {"title": "portal", "value": safe_url(summary.portal_url)},
        {"title": "host", "value": socket.gethostname()},
    ]
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": f"emsys-rpa: {head.title}",
            "weight": "Bolder",
            "size": "Large",
            "color": _TEAMS_COLOURS[head.level],
            "wrap": True,
        },
        {"type": "TextBlock", "text": head.text, "wrap": True},
        {"type": "FactSet", "facts": facts},
    ]
    errors = all_errors(summary)
    if errors:
        body.append(
            {
                "type": "TextBlock",
                "text": "\n\n".join(f"- {e}" for e in errors),
                "color": "Attention",
                "wrap": True,
            }
        )
    if report is not None:
        body.append(
            {"type": "TextBlock", "text": f"Report: {report}", "isSubtle": True, "wrap": True}
        )
    return _scrubbed_payload(
        {
            "type": "message",
            "summary": f"emsys-rpa {head.title}",
            "attachments": [
                {
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "content": {
                        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                        "type": "AdaptiveCard",
                        "version": "1.4",
                        "msteams": {"width": "Full"},
                        "body": body,
                    },
                }
            ],
        }
    )


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(summary: RunSummary, report: Path | None) -> dict[str, Any]:
    head = headline(summary)
    lines = [f"*emsys-rpa {_slack_escape(head.title)}*: {_slack_escape(head.text)}"]
    lines += [f"• {_slack_escape(_task_line(t))}" for t in summary.tasks]
    lines += [f"• error: {_slack_escape(e)}" for e in all_errors(summary)]
    if report is not None:
        lines.append(f"Report: `{_slack_escape(str(report))}` on {socket.gethostname()}")
    return _scrubbed_payload({"text": "\n".join(lines)})


_PAYLOADS = {"generic": generic_payload, "teams": teams_payload, "slack": slack_payload}


def post_webhook(settings: WebhookNotifySettings, summary: RunSummary, report: Path | None) -> str:
    """POST the summary as JSON; raises on any failure (``send_notifications`` catches)."""
    url = settings.url or ""
    # Incoming-webhook URLs carry their token in the path: treat the whole URL as a secret.
    register_secret(url)
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError("notify.webhook.url must be an http:// or https:// URL")
    payload = _PAYLOADS[settings.kind](summary, report)
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url,
        data=json.dumps(payload).encode("utf-8"),
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": f"emsys-rpa/{__version__}",
        },
        method="POST",
    )
    context = ssl.create_default_context() if parts.scheme == "https" else None
    with urllib.request.urlopen(  # noqa: S310 (scheme checked above)
        request, timeout=settings.timeout_s, context=context
    ) as response:
        status = response.status
    return f"{settings.kind} webhook to {parts.hostname} (HTTP {status})"
