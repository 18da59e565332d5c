"""The console entry (``emsys-rpa``, ``python -m emsys_rpa``): the command line, started fast.

The commands that open a browser get Playwright's driver started while the command line is
still being imported (``browser.prestart``); the others import it and go.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from types import ModuleType

BROWSER_COMMANDS = frozenset({"run", "check", "verify", "demo"})
# Root options that take a value: the word after them is not the command.
_VALUED = frozenset({"--lang"})
_NO_BROWSER = frozenset({"-h", "--help", "--version", "--show-completion", "--install-completion"})


def opens_browser(args: Sequence[str]) -> bool:
    """Does this command line run a command that opens a browser?"""
    if _NO_BROWSER.intersection(args):
        return False
    for index, arg in enumerate(args):
        if arg.startswith("-") or (index > 0 and args[index - 1] in _VALUED):
            continue
        return arg in BROWSER_COMMANDS
    return False


def main() -> None:
    cli: ModuleType
    # Importing makes some 300,000 objects and hardly any garbage: the collections it set off
    # (~170, one of them over everything) took ~50 ms of every start-up, for nothing.
    gc.disable()
    try:
        if opens_browser(sys.argv[1:]):
            from emsys_rpa.browser.prestart import import_while_driver_starts

            # The application too: the browser commands import it only once they run.
            cli = import_while_driver_starts("emsys_rpa.cli", "emsys_rpa.app.run")
        else:
            import emsys_rpa.cli as cli
        # What the imports made lives until exit: kept out of every garbage collection,
        # including the ones at exit, which took ~0.13 s of every run to walk it all again.
        gc.freeze()
    finally:
        gc.enable()
    cli.main()
