"""The fault matrix as data: scenarios × renderings × tasks.

A *scenario* is what is wrong with the portal, the network or the configuration; a
*rendering* is one of the mock's markup variants (in-page dialog, iframe or popup windows,
partial updates or full postbacks, HTML or native messages…); a *task* is the alerts or the
invoices, run alone (``--only``). A *cell* is one of each: one CLI run against one fresh mock
portal, checked against the portal's own ledger (tests/safety/cells.py).

Two kinds of scenario:

* ``SCENARIOS``: a global fault, a wrong credential or address, a renamed label — the same in
  every rendering;
* ``STEP_SCENARIOS``: a 503 or an expired session armed at one step of the task's flow
  (``at=alerts.configure:503``), Trimite included. A step happens in the browser alone in some
  renderings (an in-page window opened by script, an alert()'s OK): such a cell is *not
  applicable* and is not generated, and every generated cell asserts that its fault fired at
  that step, so a cell whose fault never reached the portal cannot pass.

The *slice* (``make test``) is one cell per scenario, spread so that every rendering and both
tasks appear; ``--full-matrix`` (``make safety``) runs every cell.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from emsys_rpa.errors import ExitStatus
from emsys_rpa.mockportal import ALL_VARIANTS, Variant, parse_variant
from emsys_rpa.summary import TaskStatus

TASKS = ("alerts", "invoices")
# Every named variant, the default first. Together they use every value of every dimension.
RENDERINGS: tuple[str, ...] = ("default", *sorted(set(ALL_VARIANTS) - {"default"}))

# Verification timeouts. Generous where the history will show the send (the run ends as soon
# as it does, so only a loaded machine makes it wait); short where nothing can ever show —
# no job was scheduled, or its sending starts long after — so waiting longer proves nothing.
VERIFY_S = 45.0
NOTHING_CAN_SHOW_S = 10.0
# Long enough to see every row of a job fail (the job starts 0.5 s after the click).
ROWS_FAIL_S = 20.0

# Faster retries than the defaults: the policy is under test, not its patience.
QUICK_RETRIES = "[retry]\ninitial_backoff_s = 0.2\nmax_backoff_s = 1\n"
# A label that cannot be found: looked for 2 s on each of 2 attempts (defaults: 15 s, 3).
# Scenario configs follow QUICK_RETRIES, so this starts inside its [retry] table.
SHORT_ACTION = "attempts = 2\n[portal]\naction_timeout_s = 2\n"

HISTORY = {"alerts": "“Istoric alerte”", "invoices": "“Istoric facturi E-mail/SMS”"}
VERIFY_STEP = {task: f"verify in the tab {tab}" for task, tab in HISTORY.items()}
SEND_STEP = "press Trimite (once)"

Url = Literal["portal", "refused", "dns", "tls"]


@dataclass(frozen=True)
class Expect:
    """What one task's run must end with."""

    exit: ExitStatus
    status: TaskStatus
    jobs: int  # jobs of this task the portal scheduled (0 or 1)
    step: str | None = None  # the failed step the one error message names
    message: str | None = None  # what that message must say (what was looked for / seen)


OK = Expect(ExitStatus.OK, TaskStatus.VERIFIED, 1)


@dataclass(frozen=True)
class Scenario:
    name: str
    expect: Mapping[str, Expect]
    # Mock faults from start-up, per task (global ones, or at= specs).
    faults: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    send_start_delay_s: float = 0.5
    send_rate_per_s: float = 20.0
    verify_s: float = VERIFY_S
    config: str = ""  # extra TOML for the robot
    password: str | None = None  # None: the portal's own
    url: Url = "portal"  # where the robot is pointed: the mock, or an address with no portal
    lock_account: bool = False  # as five wrong passwords earlier in the day leave it
    # The armed fault's step per task (``alerts.configure``): it must have fired there.
    armed_at: Mapping[str, str] = field(default_factory=dict)
    # Whether the cell exists in a rendering (a step that is a request there).
    applies: Callable[[str, Variant], bool] = lambda task, variant: True
    check: Callable[[dict[str, object], list[dict[str, object]]], None] | None = None
    # Where the outcome depends on the rendering: the expectation there (None: ``expect``).
    expect_in: Callable[[str, Variant], Expect | None] = lambda task, variant: None

    @property
    def reaches_portal(self) -> bool:
        return self.url == "portal"

    def expected(self, task: str, rendering: str) -> Expect:
        return self.expect_in(task, parse_variant(rendering)) or self.expect[task]


def _same(expect: Expect) -> dict[str, Expect]:
    return dict.fromkeys(TASKS, expect)


def _faults(*specs: str) -> dict[str, tuple[str, ...]]:
    return dict.fromkeys(TASKS, specs)


def _run_level(step: str, message: str) -> dict[str, Expect]:
    """A failure before any task: nothing scheduled, the task not run."""
    return _same(Expect(ExitStatus.FAILED, TaskStatus.NOT_RUN, 0, step, message))


def _one_refused_login(ledger: dict[str, object], requests: list[dict[str, object]]) -> None:
    assert (ledger["failed_logins"], ledger["logins"]) == (1, 0), "never retried"


def _answered_503(ledger: dict[str, object], requests: list[dict[str, object]]) -> None:
    assert sum(r["status"] == 503 for r in requests) == 3, requests


def _only_503(ledger: dict[str, object], requests: list[dict[str, object]]) -> None:
    assert requests and all(r["status"] == 503 for r in requests), requests


# After Trimite, nothing tells whether the portal scheduled the job: the history decides.
_UNKNOWN = Expect(
    ExitStatus.FAILED,
    TaskStatus.OUTCOME_UNKNOWN,
    0,
    None,  # set per task below
    "neither an information message nor new history rows",
)


def _unknown(task: str) -> Expect:
    return Expect(_UNKNOWN.exit, _UNKNOWN.status, 0, VERIFY_STEP[task], _UNKNOWN.message)


def _refused_by_503(task: str, variant: Variant) -> Expect | None:
    """A partial update's 503 is shown by the page's script as a server error: the portal's
    own answer, so the task failed (and a rerun still refuses to send blindly)."""
    if variant.postback:
        return None
    return Expect(
        ExitStatus.FAILED,
        TaskStatus.FAILED,
        0,
        VERIFY_STEP[task],
        "the portal did not schedule it: Sys.WebForms.PageRequestManagerServerErrorException",
    )


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("no fault", _same(OK)),
    Scenario("slow portal (300 ms a response)", _same(OK), _faults("latency=300")),
    Scenario(
        # Passed when asked again: a warning, not an error.
        "503 for the first requests after login",
        _same(OK),
        _faults("unavailable=3"),
        check=_answered_503,
    ),
    Scenario("confirmation 2 s late", _same(OK), _faults("late_confirm=2")),
    Scenario(
        # The message arrives long after the robot stopped waiting for it (2 s).
        "confirmation later than the robot waits (history decides)",
        _same(OK),
        _faults("late_confirm=30"),
        config="[portal]\nnavigation_timeout_s = 2\n",
    ),
    Scenario(
        # The job is scheduled; its answer is cut off half-way (the browser sees an error).
        "the answer to Trimite is lost (connection dropped)",
        _same(OK),
        _faults("at=send:drop"),
        armed_at={task: f"{task}.send" for task in TASKS},
    ),
    Scenario(
        # The job is scheduled; its answer never comes (the request stays open).
        "the answer to Trimite never comes (request hangs)",
        _same(OK),
        _faults("at=send:hang"),
        armed_at={task: f"{task}.send" for task in TASKS},
        config="[portal]\nnavigation_timeout_s = 5\n",
    ),
    # The job runs at once, so the first look at the history already shows the failures.
    Scenario(
        "half the rows fail after sending started",
        _same(Expect(ExitStatus.SENT_WITH_ERRORS, TaskStatus.SENT_WITH_ERRORS, 1)),
        _faults("job_fail=0.5"),
        send_rate_per_s=10_000,
    ),
    # One rule for both tasks, though failed invoice rows carry no send date: they appear at
    # the grid's newest end while the robot watches (the job starts after its first look).
    Scenario(
        "every row fails",
        {
            task: Expect(
                ExitStatus.FAILED,
                TaskStatus.ALL_FAILED,
                1,
                VERIFY_STEP[task],
                "sent, but every message failed",
            )
            for task in TASKS
        },
        _faults("job_fail=0"),
        send_start_delay_s=2.5,
        verify_s=ROWS_FAIL_S,
    ),
    Scenario(
        # Sending starts an hour after the click: no verification timeout can see it.
        "sending starts after the verification timeout",
        {
            task: Expect(
                ExitStatus.NOT_VERIFIED,
                TaskStatus.NOT_VERIFIED,
                1,
                VERIFY_STEP[task],
                "showed nothing new",
            )
            for task in TASKS
        },
        send_start_delay_s=3600,
        verify_s=NOTHING_CAN_SHOW_S,
    ),
    Scenario(
        "portal down (503 everywhere)",
        _run_level("open the portal", "answered 503"),
        _faults("down"),
        check=_only_503,
    ),
    Scenario(
        "wrong password",
        _run_level("log in", "the portal refused the login"),
        password="Not-The-Password-1",
        check=_one_refused_login,
    ),
    Scenario(
        "locked account",
        _run_level("log in", "the account is locked"),
        lock_account=True,
        check=_one_refused_login,
    ),
    Scenario(
        "wrong URL: nothing listening",
        _run_level("open the portal", "ERR_CONNECTION_REFUSED"),
        url="refused",
    ),
    Scenario(
        "DNS failure",
        _run_level("open the portal", "ERR_NAME_NOT_RESOLVED"),
        url="dns",
    ),
    Scenario(
        "TLS certificate not trusted",
        _run_level("open the portal", "certificate is not trusted"),
        url="tls",
    ),
    Scenario(
        "portal changed: Fundal not found",
        {
            # Fundal is how the robot knows the second window opened.
            "alerts": Expect(
                ExitStatus.FAILED,
                TaskStatus.FAILED,
                0,
                "choose the sending method",
                "could not find the “Fundal” checkbox (alerts)",
            ),
            "invoices": Expect(
                ExitStatus.FAILED,
                TaskStatus.FAILED,
                0,
                "tick Fundal",
                "could not find the “Fundal” checkbox (invoices)",
            ),
        },
        config=SHORT_ACTION
        + '[selectors]\nalerts_background = "#renamed"\ninvoices_background = "#renamed"\n',
    ),
    Scenario(
        "portal changed: Trimite not found",
        {
            "alerts": Expect(
                ExitStatus.FAILED,
                TaskStatus.FAILED,
                0,
                SEND_STEP,
                "could not find the button “Trimite alerta”",
            ),
            # Its window is recognised by the button: the window "does not open".
            "invoices": Expect(
                ExitStatus.FAILED,
                TaskStatus.FAILED,
                0,
                "open the configuration window",
                "could not find the button “Trimite factura”",
            ),
        },
        config=SHORT_ACTION + '[selectors]\nalerts_send = "#renamed"\ninvoices_send = "#renamed"\n',
    ),
)


# -- faults armed at each step of each flow --------------------------------------------------


def _windows_are_requests(variant: Variant) -> bool:
    # In-page windows drawn by script (dialog + partial updates) never reach the portal.
    return variant.windows != "dialog" or variant.postback


def _ok_is_posted(variant: Variant) -> bool:
    return variant.message == "html" and variant.postback


def _close_is_posted(variant: Variant) -> bool:
    # iframe and popup windows close in the browser; in-page ones post with postbacks.
    return variant.windows == "dialog" and variant.postback


@dataclass(frozen=True)
class Step:
    """A step of a task's flow, as the portal names the request (``at=`` without the action)."""

    name: str
    at: Mapping[str, str]  # per task: ``alerts.history#2`` (a task missing: not in its flow)
    when: Literal["before", "at", "after"]  # Trimite
    reached: Callable[[Variant], bool] = lambda variant: True


# The requests of each flow (the mock's request log of a clean run, per rendering): alerts —
# Alerte, Istoric alerte (manual sends today?), Alerte's first tab again, [configure, method],
# Trimite, [ok | close], Istoric alerte while verifying; invoices — Transmitere Facturi,
# [configure], Trimite, [ok | close], Istoric facturi while verifying.
STEPS: tuple[Step, ...] = (
    Step("opening the screen", {t: f"{t}.screen" for t in TASKS}, "before"),
    Step("reading the history for manual sends", {"alerts": "alerts.history"}, "before"),
    Step("switching back to the screen's first tab", {"alerts": "alerts.tab"}, "before"),
    Step(
        "opening the configuration window",
        {t: f"{t}.configure" for t in TASKS},
        "before",
        _windows_are_requests,
    ),
    Step(
        "opening the sending-method window",
        {"alerts": "alerts.method"},
        "before",
        _windows_are_requests,
    ),
    Step("pressing Trimite", {t: f"{t}.send" for t in TASKS}, "at"),
    Step("OK on the message", {t: f"{t}.ok" for t in TASKS}, "after", _ok_is_posted),
    Step("closing the windows", {t: f"{t}.close" for t in TASKS}, "after", _close_is_posted),
    Step(
        "reading the history while verifying",
        {"alerts": "alerts.history#2", "invoices": "invoices.history"},
        "after",
    ),
)
ACTIONS = {"503": "503 Service Unavailable", "expire": "the session expires"}


def _step_name(at: str) -> str:
    """``alerts.history#2`` → ``alerts.history`` (the step the request log and ledger name)."""
    return at.split("#", 1)[0]


def _logged_in_again(ledger: dict[str, object], requests: list[dict[str, object]]) -> None:
    expired, logins = ledger["sessions_expired"], ledger["logins"]
    assert isinstance(expired, int) and isinstance(logins, int)
    assert expired >= 1 and logins >= 2, ledger


def _step_scenario(step: Step, action: str) -> Scenario:
    config = ""
    if step.when == "at":
        # Not executed: no job. Whether it was cannot be told from the robot's side.
        expect = {task: _unknown(task) for task in step.at}
        verify_s = NOTHING_CAN_SHOW_S
        # No success message can come; a partial update's error box comes at once.
        config = f"[portal]\nnavigation_timeout_s = {NOTHING_CAN_SHOW_S:g}\n"
    else:
        expect = {task: OK for task in step.at}
        verify_s = VERIFY_S
    return Scenario(
        f"{ACTIONS[action]} at {step.name}",
        expect,
        faults={task: (f"at={at}:{action}",) for task, at in step.at.items()},
        verify_s=verify_s,
        config=config,
        armed_at={task: _step_name(at) for task, at in step.at.items()},
        applies=lambda task, variant: task in step.at and step.reached(variant),
        check=_logged_in_again if action == "expire" else None,
        expect_in=_refused_by_503 if (step.when, action) == ("at", "503") else lambda t, v: None,
    )


STEP_SCENARIOS: tuple[Scenario, ...] = tuple(
    _step_scenario(step, action) for step in STEPS for action in ACTIONS
)
ALL_SCENARIOS: tuple[Scenario, ...] = SCENARIOS + STEP_SCENARIOS


# -- cells and the slice ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    scenario: Scenario
    rendering: str
    task: str
    in_slice: bool = False

    @property
    def id(self) -> str:
        return f"{self.scenario.name} [{self.rendering}] {self.task}"


def applicable(scenario: Scenario, rendering: str, task: str) -> bool:
    return scenario.applies(task, parse_variant(rendering))


def cells(scenarios: tuple[Scenario, ...] = ALL_SCENARIOS) -> list[Cell]:
    """Every applicable cell; one per scenario is in the slice.

    The slice's cell for a scenario is its applicable cell whose rendering, then task, has
    been picked least so far (ties: the first), so the slice covers every rendering and both
    tasks as soon as there are enough scenarios.
    """
    result: list[Cell] = []
    renderings: Counter[str] = Counter()
    tasks: Counter[str] = Counter()
    for scenario in scenarios:
        candidates = [
            (rendering, task)
            for rendering in RENDERINGS
            for task in TASKS
            if applicable(scenario, rendering, task)
        ]
        assert candidates, f"scenario {scenario.name!r} applies nowhere"
        chosen = min(candidates, key=lambda c: (renderings[c[0]], tasks[c[1]]))
        renderings[chosen[0]] += 1
        tasks[chosen[1]] += 1
        result += [Cell(scenario, r, t, in_slice=(r, t) == chosen) for r, t in candidates]
    return result


def size() -> tuple[int, int, int, int]:
    """Scenarios, renderings, tasks, and the cells of that product that are not applicable."""
    total = len(ALL_SCENARIOS) * len(RENDERINGS) * len(TASKS)
    return len(ALL_SCENARIOS), len(RENDERINGS), len(TASKS), total - len(cells())
