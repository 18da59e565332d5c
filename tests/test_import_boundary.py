"""The layers of the code, checked: who may import whom.

The robot never depends on the mock portal (production has no such module). Inside the robot,
dependencies point one way: commands → app → pages / browser / ledger → core. Page objects
know nothing of browser launch, settings, the ledger or the application above them, so nothing
calls back up the stack.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

import emsys_rpa

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
