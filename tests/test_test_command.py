"""scripts/test installs every system package the suite needs: the Debian packages it lists
are compared with the programs the tests actually run, so the two cannot drift apart."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "test"
CALLS = {f"subprocess.{name}" for name in ("run", "Popen", "check_output", "check_call", "call")}
# Where each program the suite runs comes from. "apt:" programs must be exactly the
# APT_PACKAGES of scripts/test; the others are installed by it in other ways or always there.
PROVIDERS = {
    "ensurepip": "apt:python3-venv",  # `python3 -m venv` with pip, venv.EnvBuilder(with_pip)
    "git": "apt:git",
    "npm": "apt:npm",
    "docker-registry": "apt:docker-registry",
    "initdb": "apt:postgresql",
    "bash": "essential",
    "runuser": "essential",  # util-linux
    "python3": "essential",  # scripts/test itself runs on it
    "pre-commit": "venv",  # the test extra of pyproject.toml
    "floe-lint": "venv",
}
# Programs named through an expression rather than a literal: what each one is.
INDIRECT = {
    "sys.executable": "the interpreter running the tests",
    "FLOE_LINT": "floe-lint of this venv",
    "exe": "floe-lint of the venv test_packaging builds",
    "str(env_dir / 'bin' / 'python')": "the interpreter of that venv",
    "str(DBT)": "dbt of this venv (test extra)",
    "str(_multitool())": "the SARIF multitool scripts/test installs with npm",
    "binary": "docker-registry, found with shutil.which(BINARY)",
    "pre_commit": "pre-commit of this venv, found with shutil.which",
    "EXE": "floe-lint of this venv (test_server_command)",
    "str(FLOE)": "upstream's floe CLI of this venv (floe-core, the test extra)",
    "str(found)": "a Python 3.10 if the machine has one (pyenv, /usr/bin); optional, else skipped",
    "PYTHON_310": "that Python 3.10 (test_naming_pattern_invalid: floe-core supports 3.10)",
}


def script_packages() -> dict[str, str]:
    """PACKAGE -> PROGRAM of the APT_PACKAGES array of scripts/test."""
    block = re.search(r"^APT_PACKAGES=\((.*?)^\)", SCRIPT.read_text("utf-8"), re.M | re.S)
    assert block, "scripts/test has no APT_PACKAGES=( ... ) list"
    entries = re.findall(r"^\s*([a-z0-9.+-]+):([A-Za-z0-9._-]+)", block[1], re.M)
    return dict(entries)


def _names(tree: ast.Module) -> dict[str, ast.expr]:
    found: dict[str, ast.expr] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, node.value)
    return found


def _program(node: ast.expr, names: dict[str, ast.expr]) -> str:
    """The program a subprocess call's first argument names, or the expression's text."""
    if isinstance(node, ast.Starred):
        node = node.value
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and node.id in names:
        value = names[node.id]
        if isinstance(value, ast.List) and value.elts:
            return _program(value.elts[0], names)
    return ast.unparse(node)


def programs_of_the_tests() -> dict[str, set[str]]:
    """Every program the test files start, by the files that start it."""
    used: dict[str, set[str]] = {}
    for path in sorted((REPO / "tests").glob("*.py")):
        if path.name == Path(__file__).name:
            continue  # this file only looks programs up
        tree = ast.parse(path.read_text("utf-8"))
        names = _names(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            module = (
                func.value.id
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                else ""
            )
            called = f"{module}.{func.attr}" if isinstance(func, ast.Attribute) else ""
            if called in CALLS and node.args and isinstance(node.args[0], ast.List):
                argv = node.args[0].elts
                if argv:
                    used.setdefault(_program(argv[0], names), set()).add(path.name)
                texts = [a.value for a in argv if isinstance(a, ast.Constant)]
                if "-m" in texts and "venv" in texts:
                    used.setdefault("ensurepip", set()).add(path.name)
            if called == "shutil.which" and node.args:
                arg = node.args[0]
                name = arg.value if isinstance(arg, ast.Constant) else None
                if isinstance(arg, ast.Name) and isinstance(names.get(arg.id), ast.Constant):
                    name = names[arg.id].value  # type: ignore[union-attr]
                used.setdefault(str(name or ast.unparse(arg)), set()).add(path.name)
            if called == "venv.EnvBuilder" and any(
                k.arg == "with_pip" and getattr(k.value, "value", False) for k in node.keywords
            ):
                used.setdefault("ensurepip", set()).add(path.name)
    script = SCRIPT.read_text("utf-8")
    if re.search(r"^\s*npm install\b", script, re.M):
        used.setdefault("npm", set()).add("scripts/test")
    if re.search(r'"\$PYTHON" -m venv', script):
        used.setdefault("ensurepip", set()).add("scripts/test")
    return used


def test_every_program_the_suite_runs_has_a_known_source() -> None:
    used = programs_of_the_tests()
    unknown = {p: sorted(f) for p, f in used.items() if p not in PROVIDERS and p not in INDIRECT}
    assert not unknown, f"add these programs to PROVIDERS (and scripts/test if Debian's): {unknown}"
    for program in ("git", "docker-registry", "initdb", "ensurepip", "npm", "bash", "runuser"):
        assert program in used, f"the scan no longer sees {program}: is the scan broken?"


def test_scripts_test_installs_exactly_the_debian_packages_the_suite_needs() -> None:
    used = programs_of_the_tests()
    needed = {
        PROVIDERS[p].removeprefix("apt:"): p
        for p in used
        if PROVIDERS.get(p, "").startswith("apt:")
    }
    assert script_packages() == needed


def test_listed_programs_are_where_scripts_test_expects_them() -> None:
    """What scripts/test checks before installing is there on this machine (it ran first)."""
    for program in script_packages().values():
        if program == "ensurepip":
            assert (
                subprocess.run(
                    ["python3", "-c", "import ensurepip"], capture_output=True, check=False
                ).returncode
                == 0
            )
        elif program == "initdb":
            assert list(Path("/usr/lib/postgresql").glob("*/bin/initdb")) or shutil.which(program)
        else:
            assert shutil.which(program), f"{program} is missing: scripts/test installs it"
    venv_bin = str(Path(sys.executable).parent)
    for program, source in PROVIDERS.items():
        if source == "venv":
            assert shutil.which(program, path=venv_bin), f"{program} is not in {venv_bin}"


def test_the_script_parses_as_bash_and_installs_before_the_venv() -> None:
    assert subprocess.run(["bash", "-n", str(SCRIPT)], check=False).returncode == 0
    text = SCRIPT.read_text("utf-8")
    assert text.index("apt-get install") < text.index('"$PYTHON" -m venv .venv')


def test_the_suite_runs_on_every_core_with_shared_fixtures_kept_together() -> None:
    """scripts/test runs pytest-xdist with --dist loadgroup, and every module whose fixtures
    outlive a test (a registry, PostgreSQL, dbt runs, an installed venv) is one xdist group, so
    each such fixture is built once, on one worker, as without xdist."""
    script = SCRIPT.read_text("utf-8")
    assert re.search(
        r'^\.venv/bin/python -m pytest -n "\$\{FLOE_LINT_TEST_WORKERS:-auto\}" '
        r'--dist loadgroup "\$@"$',
        script,
        re.M,
    )
    for path in sorted((REPO / "tests").glob("test_*.py")):
        text = path.read_text("utf-8")
        if re.search(r"scope=\"(?:module|session)\"", text):
            assert f'pytest.mark.xdist_group("{path.stem}")' in text, (
                f"{path.name} has a module or session fixture: mark the module "
                f'pytestmark = pytest.mark.xdist_group("{path.stem}")'
            )
