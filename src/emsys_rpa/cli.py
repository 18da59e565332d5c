"""The ``emsys-rpa`` command: registers the sub-commands and maps errors to exit codes once.

Each sub-command lives in ``emsys_rpa.commands.<name>`` and returns an ``ExitStatus``; any
``EmsysError`` that escapes is printed as one clear line (plus its hint) with its exit status.
"""

from __future__ import annotations

import sys

import typer

from emsys_rpa import __version__
from emsys_rpa.commands import browser, check, demo, init, mock_portal, report, run, runs, verify
from emsys_rpa.commands.common import choose_language
from emsys_rpa.errors import EmsysError, ExitStatus
from emsys_rpa.redaction import scrub_text
from emsys_rpa.wording import _, translate_text

app = typer.Typer(
    name="emsys-rpa",
    help="Schedule EMSYS Portal alerts and invoice e-mails, unattended, and verify dispatch.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"emsys-rpa {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    lang: str | None = typer.Option(
        None,
        "--lang",
        envvar="EMSYS_LANG",
        help="Language of what people read: ro or en (default: [ui] language, else the "
        "system locale).",
    ),
) -> None:
    """Schedule EMSYS Portal alerts and invoice e-mails, unattended, and verify dispatch."""
    choose_language(lang)


app.command("init")(init.command)
app.command("check")(check.command)
app.command("run", epilog=run.EPILOG)(run.command)
app.command("verify")(verify.command)
app.command("runs")(runs.command)
app.command("report")(report.command)
app.command("demo")(demo.command)
app.command("mock-portal")(mock_portal.command)
app.command("browser")(browser.command)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        result = app(args=argv, standalone_mode=False)
    except EmsysError as exc:
        text = translate_text(scrub_text(str(exc)))
        print(_("emsys-rpa: error: {text}").format(text=text), file=sys.stderr)
        sys.exit(int(exc.exit_status))
    except typer.Abort:
        print("emsys-rpa: interrupted", file=sys.stderr)
        sys.exit(int(ExitStatus.INTERRUPTED))
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.TyperException as exc:
        # Usage errors (unknown option, bad value): click-style message, one exit code.
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            print(f"emsys-rpa: error: {exc}", file=sys.stderr)
        sys.exit(int(ExitStatus.CONFIG_ERROR))
    except KeyboardInterrupt:
        print("emsys-rpa: interrupted", file=sys.stderr)
        sys.exit(int(ExitStatus.INTERRUPTED))
    sys.exit(int(result) if isinstance(result, int) else 0)
