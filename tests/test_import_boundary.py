"""The layers of the code, checked: who may import whom.

The robot never depends on the mock portal (production has no such module), and tests other
than the mock's own use only what a user's CI can: the public ``emsys_rpa.mockportal`` exports
and the portal's controls, never its internal modules or its in-process ``state``. Inside the
robot, dependencies point one way: commands → app → pages / browser / ledger → core. Page objects
know nothing of browser launch, settings, the ledger or the application above them, so nothing
calls back up the stack.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

import emsys_rpa
import emsys_rpa.mockportal

PACKAGE = Path(emsys_rpa.__file__).parent
# Only the commands that start the mock on purpose may import it, and only lazily.
ALLOWED = {PACKAGE / "commands" / "demo.py", PACKAGE / "commands" / "mock_portal.py"}

# A module (prefix) and the modules (prefixes) it must not reach, even through others.
LAYERS: dict[str, tuple[str, ...]] = {
    "emsys_rpa.pages": (
        "emsys_rpa.app",
        "emsys_rpa.browser",
        "emsys_rpa.settings",
        "emsys_rpa.ledger",
        "emsys_rpa.commands",
        "emsys_rpa.cli",
        "emsys_rpa.console",
        "emsys_rpa.report",
        "emsys_rpa.notify",
    ),
    "emsys_rpa.ledger": ("emsys_rpa.app", "emsys_rpa.pages", "emsys_rpa.browser"),
    "emsys_rpa.browser": ("emsys_rpa.app", "emsys_rpa.pages", "emsys_rpa.ledger"),
    "emsys_rpa.wording": (
        "emsys_rpa.app",
        "emsys_rpa.pages",
        "emsys_rpa.browser",
        "emsys_rpa.settings",
    ),
    "emsys_rpa.app": ("emsys_rpa.commands", "emsys_rpa.cli"),
    # The pure core: no browser, no storage, no application.
    "emsys_rpa.textmatch": ("emsys_rpa.pages", "emsys_rpa.app", "playwright"),
    "emsys_rpa.history": ("emsys_rpa.pages", "emsys_rpa.app", "playwright"),
    "emsys_rpa.period": ("emsys_rpa.pages", "emsys_rpa.app", "playwright"),
    "emsys_rpa.summary": ("emsys_rpa.pages", "emsys_rpa.app", "playwright"),
    "emsys_rpa.errors": ("emsys_rpa.pages", "emsys_rpa.app", "playwright"),
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            # "from emsys_rpa.pages import alerts" imports the module emsys_rpa.pages.alerts.
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _module_path(name: str) -> Path | None:
    parts = name.split(".")
    if parts[0] != "emsys_rpa":
        return None
    base = PACKAGE.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@cache
def _reach(name: str) -> frozenset[str]:
    """Every module ``name`` imports, directly or through other emsys_rpa modules."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        path = _module_path(current)
        if path is None:
            continue
        for imported in _imports(path):
            if imported not in seen:
                seen.add(imported)
                todo.append(imported)
    return frozenset(seen)


def _modules(prefix: str) -> list[str]:
    root = _module_path(prefix)
    assert root is not None, prefix
    if root.name != "__init__.py":
        return [prefix]
    return [
        ".".join(("emsys_rpa", *p.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(
            ".__init__"
        )
        for p in sorted(root.parent.rglob("*.py"))
    ]


def _violations(prefix: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for module in _modules(prefix):
        for reached in sorted(_reach(module)):
            if any(reached == bad or reached.startswith(bad + ".") for bad in forbidden):
                found.append(f"{module} → {reached}")
    return found


def test_robot_code_never_imports_the_mock_portal() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "mockportal" in path.relative_to(PACKAGE).parts or path in ALLOWED:
            continue
        if any(name.startswith("emsys_rpa.mockportal") for name in _imports(path)):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


@pytest.mark.parametrize("prefix", sorted(LAYERS))
def test_dependencies_point_down_the_layers(prefix: str) -> None:
    assert _violations(prefix, LAYERS[prefix]) == []


def test_the_scan_sees_real_imports(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("from emsys_rpa.mockportal.app import build\n")
    assert "emsys_rpa.mockportal.app" in _imports(sample)


def test_the_layer_check_sees_an_import_through_another_module() -> None:
    # pages.login reaches emsys_rpa.secrets through pages.secret_input: a transitive import.
    assert "emsys_rpa.secrets" in _reach("emsys_rpa.pages.login")
    assert _violations("emsys_rpa.pages.login", ("emsys_rpa.secrets",)) != []


# -- tests use the mock portal through its public interface only ---------------------------------

MOCK = "emsys_rpa.mockportal"
TESTS = Path(__file__).parent
# The mock's own unit tests may use its internals; every other test is a user of the mock.
MOCK_OWN_TESTS = TESTS / "mockportal"


def _portal_state_members() -> set[str]:
    """What ``portal.state.<name>`` reaches: PortalState's attributes and methods."""
    tree = ast.parse((PACKAGE / "mockportal" / "portal.py").read_text(encoding="utf-8"))
    (cls,) = (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "PortalState")
    members = {n.name for n in cls.body if isinstance(n, ast.FunctionDef)}
    for node in ast.walk(cls):
        targets = node.targets if isinstance(node, ast.Assign) else []
        targets += [node.target] if isinstance(node, ast.AnnAssign) else []
        members |= {
            t.attr
            for t in targets
            if isinstance(t, ast.Attribute)
            and isinstance(t.value, ast.Name)
            and t.value.id == "self"
        }
    return members


def _through_state(node: ast.expr) -> bool:
    """Whether an assignment target is, or lies inside, some ``<x>.state``."""
    while isinstance(node, ast.Attribute | ast.Subscript):
        if isinstance(node, ast.Attribute) and node.attr == "state":
            return True
        node = node.value
    return False


def mock_offences(path: Path, state_members: set[str]) -> list[str]:
    """Where a test file reaches into the mock portal's internals ("line N: what")."""
    public = set(emsys_rpa.mockportal.__all__)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            found += [
                f"line {line}: import {a.name}" for a in node.names if a.name.startswith(MOCK + ".")
            ]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith(MOCK + "."):
                found.append(f"line {line}: from {node.module}")
            elif node.module == MOCK:
                found += [
                    f"line {line}: {MOCK}.{a.name} is not public"
                    for a in node.names
                    if a.name not in public
                ]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.startswith(MOCK + "."):  # importlib.import_module("…")
                found.append(f"line {line}: {node.value!r}")
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete):
            targets = node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]
            if any(_through_state(t) for t in targets):
                found.append(f"line {line}: assigns to a .state")
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in state_members
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "state"
        ):
            found.append(f"line {line}: .state.{node.attr}")
    return sorted(set(found), key=lambda text: (int(text.split()[1].rstrip(":")), text))


def test_tests_use_only_the_mock_portals_public_interface() -> None:
    members = _portal_state_members()
    offences = {
        str(path.relative_to(TESTS)): found
        for path in sorted(TESTS.rglob("*.py"))
        if MOCK_OWN_TESTS not in path.parents and path != Path(__file__)
        if (found := mock_offences(path, members))
    }
    assert offences == {}, (
        "use the public emsys_rpa.mockportal exports and the portal's controls "
        "(portal.arm, set_password, lock_user, …; README 'Mock portal')"
    )


def test_the_test_scan_catches_internals_and_state_edits(tmp_path: Path) -> None:
    sample = tmp_path / "test_bad.py"
    sample.write_text(
        "import importlib\n"
        "from emsys_rpa.mockportal import MockPortal, parse_faults\n"  # fine: public
        "from emsys_rpa.mockportal.app import build_app\n"
        "from emsys_rpa.mockportal import PortalState\n"
        "import emsys_rpa.mockportal.db\n"
        "def test(portal: MockPortal, settings: object) -> None:\n"
        "    portal.state.password = 'x'\n"
        "    portal.state.stats.locked_users.add(portal.username)\n"
        "    portal.state.faults = parse_faults(['down'])\n"
        "    settings.state.resolved_dir\n"  # fine: not a portal's state
        "    importlib.import_module('emsys_rpa.mockportal.pages')\n"
        "    portal.lock_user()\n",  # fine: the public control
        encoding="utf-8",
    )
    assert mock_offences(sample, _portal_state_members()) == [
        "line 3: from emsys_rpa.mockportal.app",
        "line 4: emsys_rpa.mockportal.PortalState is not public",
        "line 5: import emsys_rpa.mockportal.db",
        "line 7: .state.password",
        "line 7: assigns to a .state",
        "line 8: .state.stats",
        "line 9: .state.faults",
        "line 9: assigns to a .state",
        "line 11: 'emsys_rpa.mockportal.pages'",
    ]
