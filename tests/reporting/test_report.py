"""report.html: what the clerk sees in the morning, from a file or an e-mail attachment."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request

from emsys_rpa.report import write_report
from emsys_rpa.summary import RunSummary

SummaryFactory = Callable[..., RunSummary]


class _Tags(HTMLParser):
    """Every tag with its attributes, and the visible text, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def _banner(html: str) -> str:
    match = re.search(r'<section class="banner (\w+)"[^>]*>(.*?)</section>', html, re.S)
    assert match, "no status banner"
    return f"{match.group(1)}: " + " ".join(re.sub(r"<[^>]+>", " ", match.group(2)).split())


@pytest.mark.parametrize(
    ("outcome", "level", "title"),
    [
        ("ok", "ok", "OK: SCHEDULED AND VERIFIED"),
        ("not_verified", "warn", "NOT VERIFIED"),
        ("failed", "fail", "FAILED"),
        ("dry_run", "info", "DRY RUN COMPLETED"),
    ],
)
def test_banner_states_the_outcome(
    make_summary: SummaryFactory, outcome: str, level: str, title: str
) -> None:
    summary = make_summary(outcome)
    path = write_report(summary, Path(summary.run_dir or ""))

    assert path == Path(summary.run_dir or "") / "report.html"
    banner = _banner(path.read_text(encoding="utf-8"))
    assert banner.startswith(f"{level}: {title} ")
    assert f"Exit code {summary.exit_code}" in banner


def test_steps_screenshots_and_verification_are_shown(make_summary: SummaryFactory) -> None:
    summary = make_summary("ok")
    run_dir = Path(summary.run_dir or "")
    html = write_report(summary, run_dir).read_text(encoding="utf-8")
    page = _parse(html)
    text = " ".join(page.text)

    for task in summary.tasks:
        for step in task.steps:
            assert step.name in text
    # Every screenshot is embedded, byte for byte, in the order the steps took them.
    images = [attrs["src"] or "" for tag, attrs in page.tags if tag == "img"]
    expected = [step.screenshot for task in summary.tasks for step in task.steps if step.screenshot]
    assert len(images) == len(expected) == 4
    for src, relative in zip(images, expected, strict=True):
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]) == (run_dir / relative).read_bytes()
    verification = re.search(r'<table id="verification">.*?</table>', html, re.S)
    assert verification is not None
    rows = " ".join(re.sub(r"<[^>]+>", " ", verification.group(0)).split())
    assert (
        "Alerts (Transmitere alerte) 28 Nov 2026, 05:31 4 28 Nov 2026, 05:31 28 Nov 2026, 05:33"
        in rows
    )
    assert "Trimis: 4" in rows
    # A successful run does not send anyone looking for a trace.
    assert "show-trace" not in html


def test_report_is_self_contained(make_summary: SummaryFactory) -> None:
    summary = make_summary("failed")
    html = write_report(summary, Path(summary.run_dir or "")).read_text(encoding="utf-8")
    page = _parse(html)

    for tag, attrs in page.tags:
        for name in ("src", "href", "action", "data", "poster"):
            value = attrs.get(name)
            assert value is None or value.startswith("data:"), f"<{tag} {name}={value!r}>"
        assert tag not in {"script", "link", "iframe", "object", "embed"}
    assert "url(" not in html
    assert "@import" not in html


def test_failure_shows_errors_with_their_screenshot_and_the_trace_command(
    make_summary: SummaryFactory,
) -> None:
    summary = make_summary("failed")
    run_dir = Path(summary.run_dir or "")
    html = write_report(summary, run_dir).read_text(encoding="utf-8")

    errors = re.search(r'<h2 id="errors">.*?(?=<h2)', html, re.S)
    assert errors is not None
    section = errors.group(0)
    assert "button &#39;Configurează transmiterea facturii&#39; not found" in section
    error_png = base64.b64encode((run_dir / "screenshots/invoices-error.png").read_bytes())
    assert f'src="data:image/png;base64,{error_png.decode()}"' in section
    assert f"playwright show-trace {run_dir / 'trace.zip'}" in html


def test_a_refused_login_shows_the_login_screen_under_errors(
    make_summary: SummaryFactory,
) -> None:
    summary = make_summary("login_failed")
    run_dir = Path(summary.run_dir or "")
    html = write_report(summary, run_dir).read_text(encoding="utf-8")

    assert _banner(html).startswith("fail: FAILED A task failed or did not run")
    errors = re.search(r'<h2 id="errors">.*?(?=<h2)', html, re.S)
    assert errors is not None
    assert "[log in] the portal refused the user name or password" in errors.group(0)
    login_png = base64.b64encode((run_dir / "screenshots/session-log in-failed.png").read_bytes())
    assert f'src="data:image/png;base64,{login_png.decode()}"' in errors.group(0)
    session = re.search(r'<h2 id="session">(.*?)</h2>(.*?)(?=<h2)', html, re.S)
    assert session is not None
    assert session.group(1) == "Portal session (log in, log out)"
    assert "<td>log in</td>" in session.group(2)
    assert "the portal refused the user name or password" in session.group(2)
    assert html.count("<img ") == 2  # under Errors, and in the session's own section


def test_password_never_appears_even_when_an_error_quotes_it(
    make_summary: SummaryFactory, password: str
) -> None:
    summary = make_summary("failed", error_text=f"login form rejected value {password}")
    summary.portal_url = f"https://robot:{password}@emsys.example.ro/admin/"
    summary.tasks[1].steps[-1].detail = f"typed {password} into the wrong field"
    html = write_report(summary, Path(summary.run_dir or "")).read_text(encoding="utf-8")

    assert password not in html
    assert "login form rejected value ***" in html
    assert "https://emsys.example.ro/admin/" in html


def test_markup_in_texts_is_escaped(make_summary: SummaryFactory) -> None:
    summary = make_summary("failed", error_text="<script>alert(1)</script><img src=x>")
    html = write_report(summary, Path(summary.run_dir or "")).read_text(encoding="utf-8")

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x&gt;" in html


def test_missing_or_foreign_screenshots_are_named_not_embedded(
    make_summary: SummaryFactory,
    tmp_path: Path,
    png_bytes: Callable[[int, int, tuple[int, int, int]], bytes],
) -> None:
    summary = make_summary("ok")
    run_dir = Path(summary.run_dir or "")
    outside = tmp_path / "outside.png"
    outside.write_bytes(png_bytes(8, 8, (0, 0, 0)))
    steps = summary.tasks[0].steps
    steps[1].screenshot = "screenshots/gone.png"
    steps[2].screenshot = "../../outside.png"
    html = write_report(summary, run_dir).read_text(encoding="utf-8")

    assert "Screenshot screenshots/gone.png is missing." in html
    assert "Screenshot ../../outside.png is missing." in html
    assert base64.b64encode(outside.read_bytes()).decode() not in html
    assert html.count("<img ") == 2


@pytest.mark.browser
def test_report_renders_in_the_browser_from_a_file(
    make_summary: SummaryFactory, page: Page
) -> None:
    summary = make_summary("failed")
    report = write_report(summary, Path(summary.run_dir or ""))
    requested: list[str] = []

    def note(request: Request) -> None:
        requested.append(request.url)

    page.on("request", note)
    page.goto(report.as_uri())

    banner = page.get_by_role("status")
    assert banner.inner_text().startswith("FAILED")
    assert banner.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(207, 34, 46)"
    images = page.locator("img")
    assert images.count() == 6  # five steps took one, and the failed one shows again in Errors
    widths = images.evaluate_all("imgs => imgs.map(i => i.complete && i.naturalWidth)")
    assert widths == [64] * 6
    assert page.get_by_role("cell", name="Fill Perioada").is_visible()
    assert all(url.startswith(("file:", "data:")) for url in requested), requested


def test_warnings_have_their_own_section_and_never_make_it_an_error(
    make_summary: SummaryFactory,
) -> None:
    summary = make_summary("ok")
    summary.warnings.append("log in passed on the second attempt (503 Service Unavailable)")
    html = write_report(summary, Path(summary.run_dir or "")).read_text(encoding="utf-8")
    section = re.search(
        r'<h2 id="warnings">Warnings</h2>\s*<div class="warnings">(.*?)</div>', html, re.S
    )
    assert section is not None
    assert "log in passed on the second attempt" in section.group(1)
    assert '<h2 id="errors">' not in html


def test_the_template_is_compiled_once_per_machine_and_renders_the_same_from_its_cache(
    make_summary: SummaryFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    summary = make_summary("failed")
    run_dir = Path(summary.run_dir or "")
    first = write_report(summary, run_dir).read_text(encoding="utf-8")
    compiled = list((tmp_path / "cache" / "emsys-rpa" / "jinja2").iterdir())
    assert len(compiled) == 1, compiled
    assert write_report(summary, run_dir).read_text(encoding="utf-8") == first
    # A cache that cannot be written to (a read-only home) only means compiling every time.
    monkeypatch.setenv("XDG_CACHE_HOME", "/proc/no-such-cache")
    assert write_report(summary, run_dir).read_text(encoding="utf-8") == first
