"""Dependencies point one way: core <- contributors <- projects <- expenses <- reminders <- coproduction.

Each module may import only its own package and those to its left; core imports no app. The
test reads every import statement, including those inside functions, so the floor cannot erode.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["core", "contributors", "projects", "expenses", "reminders", "coproduction"]
RANK = {name: rank for rank, name in enumerate(LAYERS)}


def imported_packages(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def modules():
    for package in LAYERS:
        yield from sorted((ROOT / package).rglob("*.py"))


def upward_imports(path: Path) -> list[str]:
    own = path.relative_to(ROOT).parts[0]
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        f"{path.relative_to(ROOT)}:{line} imports {package}"
        for line, package in imported_packages(tree)
        if package in RANK and RANK[package] > RANK[own]
    ]


def test_it_finds_every_app_package():
    for package in LAYERS:
        assert (ROOT / package / "__init__.py").exists(), package


@pytest.mark.parametrize("package", LAYERS)
def test_no_module_imports_a_package_above_its_own(package):
    found = [problem for path in modules() if path.relative_to(ROOT).parts[0] == package
             for problem in upward_imports(path)]
    assert found == []


def test_it_catches_an_upward_import_inside_a_function():
    tree = ast.parse("def f():\n    from reminders.models import ReminderSent\n")
    assert [package for _line, package in imported_packages(tree)] == ["reminders"]
