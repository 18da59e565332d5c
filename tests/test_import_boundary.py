"""The robot must never depend on the mock portal: production has no such module."""

from __future__ import annotations

import ast
from pathlib import Path

import emsys_rpa

PACKAGE = Path(emsys_rpa.__file__).parent
# Only the commands that start the mock on purpose may import it, and only lazily.
ALLOWED = {PACKAGE / "commands" / "demo.py", PACKAGE / "commands" / "mock_portal.py"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_robot_code_never_imports_the_mock_portal() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "mockportal" in path.relative_to(PACKAGE).parts or path in ALLOWED:
            continue
        if any(name.startswith("emsys_rpa.mockportal") for name in _imports(path)):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_the_scan_sees_real_imports(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("from emsys_rpa.mockportal.app import build\n")
    assert "emsys_rpa.mockportal.app" in _imports(sample)
