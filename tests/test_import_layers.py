"""The package's imports form no cycle, no module grows past 500 lines, and extensions see
only `floe_lint.api`.

The imports are read from the source (ast), not executed. Every import counts, also those
inside functions (a lazy import still runs, just later) and those under `if TYPE_CHECKING:`
(they never run, but a cycle of types is still two modules that cannot be understood, tested or
moved apart). Imports by name at run time (`importlib.import_module` of a command or a rule)
are not seen; they go from the dispatcher down to a leaf.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

# floe_lint.rules, .plugins and .schemas ship from the top-level folders (pyproject package-dir)
PACKAGES = {"floe_lint": REPO / "floe_lint", "floe_lint.rules": REPO / "rules"}
PACKAGES["floe_lint.plugins"] = REPO / "plugins"


def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package, folder in PACKAGES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([package, *parts])] = path
    return found


MAX_LINES = 500
#: generated data, not a module with a responsibility: one row per rule (its test names the
#: command that writes it)
GENERATED = {"floe_lint.rules._table"}


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The floe_lint modules that importing `name` runs (its own imports and their packages)."""
    is_package = path.name == "__init__.py"
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                child = f"{module}.{alias.name}"
                targets.add(child if child in known else module)
    edges = set()
    for target in targets:
        parts = target.split(".")
        for end in range(1, len(parts) + 1):  # importing a.b.c runs a, a.b and a.b.c
            prefix = ".".join(parts[:end])
            if prefix in known and prefix != name and not name.startswith(prefix + "."):
                edges.add(prefix)
    return edges


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_walker_sees_lazy_imports_and_finds_a_cycle() -> None:
    edges = graph()
    assert "floe_lint.lint.registry" in edges["floe_lint.config"]  # imported inside a function
    assert "floe_lint.load.reading" in edges["floe_lint.load.document"]
    looped = {**edges, "floe_lint.findings": {*edges["floe_lint.findings"], "floe_lint.config"}}
    assert any({"floe_lint.config", "floe_lint.findings"} <= set(c) for c in cycles(looped))


def test_an_import_under_type_checking_counts(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from floe_lint import config\n"
    )
    known = {"floe_lint.m": module, "floe_lint.config": REPO / "floe_lint" / "config.py"}
    assert imports_of("floe_lint.m", module, known) == {"floe_lint.config"}


def test_the_package_has_no_import_cycle() -> None:
    assert cycles(graph()) == []


def test_no_module_is_over_500_lines() -> None:
    """One responsibility per module; a module past 500 lines holds two (split it by them)."""
    long = {
        str(path.relative_to(REPO)): lines
        for name, path in modules().items()
        if name not in GENERATED
        and (lines := len(path.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"modules over {MAX_LINES} lines (split them by responsibility): {long}"


def floe_lint_imports(path: Path) -> set[str]:
    """The floe_lint modules a file imports by absolute name, wherever the import is."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "floe_lint")
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names = [f"{node.module}.{a.name}" for a in node.names]
            if node.module == "floe_lint":
                found.update(names)
            elif node.module.startswith("floe_lint."):
                found.add(node.module)
    return found


def test_built_in_rules_and_plugins_import_only_the_api() -> None:
    files = sorted([*(REPO / "rules").glob("*.py"), *(REPO / "plugins").glob("*.py")])
    assert len(files) > 20
    others = {
        str(path.relative_to(REPO)): imports - {"floe_lint.api"}
        for path in files
        if (imports := floe_lint_imports(path)) - {"floe_lint.api"}
    }
    assert others == {}


def test_the_api_check_sees_an_internal_import(tmp_path: Path) -> None:
    rule = tmp_path / "rule.py"
    rule.write_text("from floe_lint.api import Context\nfrom floe_lint import config\n")
    assert floe_lint_imports(rule) == {"floe_lint.api", "floe_lint.config"}


def test_the_api_carries_its_version_and_names_what_it_exports() -> None:
    import floe_lint.api as api

    assert isinstance(api.API_VERSION, int) and api.API_VERSION >= 1
    assert all(hasattr(api, name) for name in api.__all__)
    assert {"Context", "Finding", "Node", "Product", "Level", "Transform", "ComputePlugin"} <= set(
        api.__all__
    )


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    """pyproject lists packages by name, so a new folder must be added there to ship."""
    import tomllib

    listed = set(
        tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"][
            "packages"
        ]
    )
    folders = {name for name, path in modules().items() if path.name == "__init__.py"}
    assert folders <= listed, folders - listed


def test_oras_is_imported_by_the_transport_alone() -> None:
    importers = set()
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                roots = {node.module.split(".")[0]}
            else:
                continue
            if "oras" in roots:
                importers.add(name)
    assert importers == {"floe_lint.oci.transport"}
