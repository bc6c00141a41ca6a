"""docs/CONTRACTS.md, enforced: import boundaries, module sizes, no private names across modules, no import cycles."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("optimizer", "foods", "ui")
MAX_LINES = 500
SOLVER_LIBRARIES = {"pulp", "highspy"}
MAY_IMPORT_SOLVERS = ("optimizer/model/", "optimizer/solve/")


def project_modules() -> list[Path]:
    files = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py")]
    return sorted([*files, ROOT / "app.py"])


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports(path: Path, *, top_level_only: bool = False) -> Iterator[tuple[str, list[str], int]]:
    """(module imported, names imported from it, line) for every import in ``path``. ``top_level_only``: imports
    that run when the module is imported (not inside functions or ``if TYPE_CHECKING:``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)

    def visit(nodes: list[ast.stmt]) -> Iterator[tuple[str, list[str], int]]:
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield alias.name, [], node.lineno
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
                yield base, [a.name for a in node.names], node.lineno
            elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                if not top_level_only:
                    yield from visit(node.body)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if not top_level_only:
                    yield from visit(node.body)
            elif isinstance(node, (ast.ClassDef, ast.If, ast.Try, ast.With, ast.For, ast.While)):
                for field in ("body", "orelse", "finalbody", "handlers"):
                    for child in getattr(node, field, []) or []:
                        yield from visit(child.body if isinstance(child, ast.ExceptHandler) else [child])

    yield from visit(tree.body)


MODULES = project_modules()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_model_and_solve_packages_import_a_solver_library(path: Path) -> None:
    relative = path.relative_to(ROOT).as_posix()
    if relative.startswith(MAY_IMPORT_SOLVERS):
        return
    bad = [(m, line) for m, _, line in imports(path) if m.split(".")[0] in SOLVER_LIBRARIES]
    assert not bad, f"{relative} imports {bad}: only optimizer/model/ and optimizer/solve/ may import PuLP or highspy"


@pytest.mark.parametrize("path", [p for p in MODULES if p.relative_to(ROOT).parts[0] in ("optimizer", "foods")],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_the_libraries_never_import_streamlit_or_the_ui(path: Path) -> None:
    bad = [(m, line) for m, _, line in imports(path) if m.split(".")[0] in ("streamlit", "ui", "altair")]
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("path", [p for p in MODULES if p.relative_to(ROOT).parts[0] == "foods"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_foods_knows_nothing_of_optimization(path: Path) -> None:
    bad = [(m, line) for m, _, line in imports(path) if m.split(".")[0] == "optimizer"]
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("path", [p for p in MODULES if p.relative_to(ROOT).parts[0] == "ui" or p.name == "app.py"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_the_ui_calls_library_services_never_cli_modules(path: Path) -> None:
    bad = [(m, line) for m, _, line in imports(path) if m.startswith("optimizer.cli")]
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_stay_under_the_size_limit(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines (limit {MAX_LINES}): split it by concept"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_names_are_imported_across_modules(path: Path) -> None:
    bad = [(m, n, line) for m, names, line in imports(path) if m.split(".")[0] in (*PACKAGES, "app")
           for n in names if n.startswith("_") and not n.startswith("__")]
    assert not bad, f"{path.relative_to(ROOT)} imports private names {bad}"


def test_no_import_cycles_at_import_time() -> None:
    names = {module_name(p): p for p in MODULES}
    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        targets: set[str] = set()
        for module, imported, _ in imports(path, top_level_only=True):
            for candidate in [f"{module}.{n}" for n in imported] + [module]:
                if candidate in names and candidate != name:
                    targets.add(candidate)
                    break
        graph[name] = targets
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_contracts_document_names_every_subpackage() -> None:
    text = (ROOT / "docs" / "CONTRACTS.md").read_text(encoding="utf-8")
    for package in sorted(p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "optimizer").glob("*/__init__.py")):
        assert f"`{package}/`" in text, f"docs/CONTRACTS.md does not describe {package}/"
