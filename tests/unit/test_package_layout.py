"""The layout rules of CONTRIBUTING.md, checked: small modules, short functions, one-way imports.

Import direction is enforced by import-linter (``make lint``); this file covers what it cannot see.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("tab_mcp", "pytest_tabmcp")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def functions(path: Path) -> list[tuple[str, int]]:
    """(qualified name, line count) of every function and method in a module, nested ones included."""
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    found.append((name, (child.end_lineno or child.lineno) - child.lineno + 1))
                visit(child, f"{name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_exceeds_the_size_limit(package: str) -> None:
    found = modules(package)
    assert len(found) > 5, f"{package} has no modules: the layout test is looking in the wrong place"
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in found
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not too_long, f"split these modules (over {MAX_MODULE_LINES} lines): {too_long}"


def test_no_function_in_tab_mcp_exceeds_the_length_limit() -> None:
    lengths = {f"{path.relative_to(ROOT)}:{name}": n for path in modules("tab_mcp") for name, n in functions(path)}
    assert len(lengths) > 50
    too_long = {where: n for where, n in lengths.items() if n > MAX_FUNCTION_LINES}
    assert not too_long, f"split these functions (over {MAX_FUNCTION_LINES} lines): {too_long}"


def test_no_function_in_pytest_tabmcp_exceeds_the_length_limit() -> None:
    lengths = {
        f"{path.relative_to(ROOT)}:{name}": n for path in modules("pytest_tabmcp") for name, n in functions(path)
    }
    assert len(lengths) > 50
    too_long = {where: n for where, n in lengths.items() if n > MAX_FUNCTION_LINES}
    assert not too_long, f"split these functions (over {MAX_FUNCTION_LINES} lines): {too_long}"


def test_the_length_check_counts_nested_functions(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("def outer():\n    def inner():\n        return 1\n\n    return inner\n")
    assert functions(source) == [("outer", 5), ("outer.inner", 2)]


def test_no_private_grab_bag_modules_in_tab_mcp() -> None:
    names = {path.stem for path in modules("tab_mcp")}
    assert not names & {"_common", "common", "utils", "_utils", "helpers", "_support", "misc"}
