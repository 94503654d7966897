"""The size rules of the house style (STYLE.md §8, issue 19): no function over 60 lines and no module
over 400 lines, outside migrations, tests and data tables. A module past 400 lines becomes a package; a
function past 60 is split into named steps. Counted from the source, so the test fails the moment a
change breaks a rule, naming the place."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 400
SKIPPED_PARTS = {".venv", "migrations", "tests", "node_modules", ".git", "var"}
# Data tables: modules that hold data written out as Python literals, not logic.
DATA_TABLES = {"demo/data/cities.py"}


def _modules() -> list[Path]:
    return sorted(path for path in ROOT.rglob("*.py")
                  if not SKIPPED_PARTS & set(path.relative_to(ROOT).parts))


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]


def test_the_rule_sees_the_project_s_modules() -> None:
    names = {str(path.relative_to(ROOT)) for path in _modules()}
    assert "core/text.py" in names and "manage.py" in names
    assert not any(name.startswith(("tests/", ".venv/")) or "/migrations/" in name for name in names)


def test_no_function_is_over_60_lines() -> None:
    long = [line for path in _modules() for line in _long_functions(path)]
    assert long == []


@pytest.mark.parametrize("limit", [MAX_MODULE_LINES])
def test_no_module_is_over_400_lines(limit: int) -> None:
    counts = {str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
              for path in _modules()}
    assert {name: lines for name, lines in counts.items() if lines > limit and name not in DATA_TABLES} == {}
