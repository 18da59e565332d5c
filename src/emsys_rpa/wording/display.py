"""Texts made elsewhere (step names, step details, errors from the page objects), translated
when they are shown.

The page objects and the procedure word their steps and errors in English, where they are
raised, for the logs and ``summary.json``. A person reading Romanian gets them through the
catalogue: a whole text is looked up as it is, and the texts with a variable part (a tab's
name, a count) through the patterns below, whose templates are catalogue entries too. A text
no rule knows is shown as it was written.
"""

from __future__ import annotations

import re
from typing import Final

from emsys_rpa.wording.i18n import N_, _, language

# Step names and details worded elsewhere, listed here for the catalogue (looked up as a whole).
KNOWN_TEXTS: Final = (
    N_("open the portal"),
    N_("log in"),
    N_("log out"),
    N_("logged out"),
    N_("no log-out control found"),
    N_("back to the portal's start page"),
    N_("back to Alerte"),
    N_("open the configuration window"),
    N_("choose the sending method"),
    N_("tick Fundal"),
    N_("fill Perioada"),
    N_("press Trimite (once)"),
    N_("cancel (dry run)"),
    N_("close the windows"),
    N_("dry run: Trimite not pressed, windows closed with Renunț/X"),
    N_("no information message appeared"),
    N_("Alerts (Transmitere alerte)"),
    N_("Invoices (Transmitere facturi)"),
    N_("the run was interrupted (Ctrl-C / SIGTERM)"),
    N_("interrupted"),
    N_("interrupted after pressing Trimite"),
    N_(
        "the portal answered with a server error right after logging in; it passed when asked again"
    ),
    N_("session"),
    N_("the portal answered with a server error right after logging in"),
    N_("the portal is overloaded or restarting; try again later"),
    N_(
        "the portal is down or overloaded; the step starts again from the portal's start page, "
        "and if it keeps failing, try again later"
    ),
    N_("already done"),
    N_("if one of these is it, put its line under [selectors] in the config file"),
    N_("correct what the portal complains about, then run again"),
    N_("nothing was pressed; look at the snapshot kept in the run folder"),
)

# (pattern over the English text, its template; the groups fill the template's fields).
_PATTERNS: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern), template)
    for pattern, template in (
        (r"^check (?P<tab>.+) for today's sends$", N_("check {tab} for today's sends")),
        (r"^verify in (?P<tab>.+)$", N_("verify in {tab}")),
        (r"^(?P<n>\d+) alert row\(s\) dated today$", N_("{n} alert row(s) dated today")),
        (r"^portal said \((?P<via>[^)]*)\): (?P<text>.*)$", N_("portal said: {text}")),
        (r"^logged in as (?P<user>.+)$", N_("logged in as {user}")),
        (r"^retrying: (?P<why>.+)$", N_("retrying: {why}")),
        (r"^read (?P<tab>.+)$", N_("read {tab}")),
        (
            r"^the browser \((?P<what>.+)\) could not start: (?P<why>.+)$",
            N_("the browser ({what}) could not start: {why}"),
        ),
        (
            r"^check `emsys-rpa browser`, browser.executable and browser.extra_args$",
            N_("check `emsys-rpa browser`, browser.executable and browser.extra_args"),
        ),
        (r"^Perioada (?P<start>\S+) – (?P<end>\S+)$", N_("Perioada {start} – {end}")),
        (
            r"^could not find (?P<what>.+) in any open window; did you mean: (?P<near>.+)$",
            N_("could not find {what} in any open window; did you mean: {near}"),
        ),
        (
            r"^could not find (?P<what>.+) in any open window$",
            N_("could not find {what} in any open window"),
        ),
        (
            r"^could not find (?P<what>.+) after pressing (?P<control>.+?); "
            r"did you mean: (?P<near>.+)$",
            N_("could not find {what} after pressing {control}; did you mean: {near}"),
        ),
        (
            r"^could not find (?P<what>.+) after pressing (?P<control>.+)$",
            N_("could not find {what} after pressing {control}"),
        ),
        (
            r"^after pressing (?P<what>.+), the portal answered: “(?P<said>.*)” "
            r"\((?P<expected>.+) did not appear\)$",
            N_("after pressing {what}, the portal answered: “{said}” ({expected} did not appear)"),
        ),
        (r"^could not press (?P<what>.+?): (?P<why>.+)$", N_("could not press {what}: {why}")),
        (
            r"^looking for (?P<what>.+), the portal answered (?P<status>\d{3}\b.*)$",
            N_("looking for {what}, the portal answered {status}"),
        ),
        (
            r"^after pressing (?P<what>.+), the portal answered (?P<status>\d{3}\b.*)$",
            N_("after pressing {what}, the portal answered {status}"),
        ),
        (r"^open (?P<screen>Alerte|Transmitere Facturi)$", N_("open {screen}")),
        (r"^(?P<what>.+) not sent: (?P<reason>.+)$", N_("{what} not sent: {reason}")),
        (
            r"^(?P<tab>.+) already shows (?P<n>\d+) alert\(s\) sent today(?P<rest>.*), not "
            r"scheduled by this robot; not sending again \(use --force to send anyway\)$",
            N_(
                "{tab} already shows {n} alert(s) sent today{rest}, not scheduled by this "
                "robot; not sending again (use --force to send anyway)"
            ),
        ),
    )
)
# Names of controls inside a text ("the tab “Istoric alerte”"), translated wherever they occur.
_CONTROLS: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern), template)
    for pattern, template in (
        (r"the tab “(?P<name>[^”]+)”", N_("the tab “{name}”")),
        (r"the button “(?P<name>[^”]+)”", N_("the button “{name}”")),
        (r"the “(?P<name>[^”]+)” checkbox", N_("the “{name}” checkbox")),
        (r"(?<=from )(?P<at>\d{2}:\d{2})(?=,)", "{at}"),
    )
)
# A step named in brackets at the start of an error: "[log in] the portal refused …".
_STEP_PREFIX: Final = re.compile(r"^\[(?P<step>[^\]]+)\] (?P<rest>.*)$", re.DOTALL)
# "message — hint": each half is looked up on its own.
_HINT_SEPARATOR: Final = " — "


def _controls(text: str) -> str:
    for pattern, template in _CONTROLS:

        def filled(match: re.Match[str], template: str = template) -> str:
            return _(template).format(**match.groupdict())

        text = pattern.sub(filled, text)
    return text


def _one(text: str) -> str:
    whole = _(text)
    if whole != text:
        return whole
    for pattern, template in _PATTERNS:
        match = pattern.match(text)
        if match:
            fields = {k: _controls(_(v)) for k, v in match.groupdict().items()}
            return _(template).format(**fields)
    return _controls(text)


def step_name(name: str) -> str:
    """A step's name as the person reading sees it."""
    if language() == "en":
        return name
    return _one(name)


def translate_text(text: str) -> str:
    """A step's detail or an error's text (``[step] message — hint``) in the language in use."""
    if language() == "en" or not text:
        return text
    prefix = ""
    match = _STEP_PREFIX.match(text)
    if match:
        prefix = f"[{step_name(match['step'])}] "
        text = match["rest"]
    parts = text.split(_HINT_SEPARATOR)
    return prefix + _HINT_SEPARATOR.join(_one(part) for part in parts)
