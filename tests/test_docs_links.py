"""Every link in the README and docs/ leads somewhere inside this repository (or is an
absolute URL): a reader's first click must not fall outside the checkout."""

from __future__ import annotations

import itertools
import os
import re
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, write_files

LINK = re.compile(r"\]\(([^)\s]+)\)")
# ADR-0010 is copied from the Floe project unchanged; docs/adr/README.md says which of its
# links name Floe documents that this repository does not ship.
UPSTREAM = {REPO / "docs/adr/ADR-0010-multi-compute-pipeline.md"}
PAGES = sorted(
    p
    for p in (REPO / "README.md", *REPO.glob("docs/**/*.md"), *REPO.glob("examples/*/README.md"))
    if p not in UPSTREAM
)


def _anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#+\s+(.*)$", page.read_text("utf-8"), re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_links_resolve_inside_the_repository(page: Path) -> None:
    for target in LINK.findall(page.read_text("utf-8")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):
            continue  # https://…, mailto:…
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.is_relative_to(REPO), f"{page.name}: {target} leaves the repository"
        assert linked.exists(), f"{page.name}: {target} does not exist"
        if anchor and linked.suffix == ".md":
            assert anchor in _anchors(linked), f"{page.name}: no heading for #{anchor}"


def test_the_readme_links_adr_0010_shipped_in_docs() -> None:
    first = LINK.search((REPO / "README.md").read_text("utf-8"))
    assert first and first[1] == "docs/adr/ADR-0010-multi-compute-pipeline.md"


# --- every documented command is run as written --------------------------------------------
#
# A command is a line of a ```sh block, a `$ ` line of a plain ``` block (the lines after it,
# to the end of the block, are its output), or an inline code span that starts with
# `floe-lint ` (or runs floe-lint after `cd`). Commands in YAML blocks (workflow `run:` steps,
# GitLab `script:` lines, pre-commit configs) are run by the tests of those files.
# Placeholders are filled: COMMIT by the git snapshot of tests/test_install_docs.py, NAME,
# ID, MANIFEST, PATH, REF and FILE below.

PLACEHOLDERS = {
    "NAME": "duckdb",
    "ID": "FL201",
    "MANIFEST": "platform/manifest.yaml",
    "PATH": "products/orders/floe.yaml",
    "REF": "platform/manifest.yaml",
    "FILE": ".floe-lint.yaml",
}
# Names of a subcommand in prose ("`floe-lint impact` compares ..."), not commands to run.
MENTIONS = {"floe-lint explain", "floe-lint impact"}
# Commands that need what only another test sets up: the test that runs them as written.
ELSEWHERE = {
    "./scripts/test": ".ci/run (CI runs it; inside the suite it would run itself)",
    'pip install "floe-lint @ git+https://github.com/floe-dev/floe-lint@COMMIT"': (
        "tests/test_install_docs.py::test_each_install_line_installs_from_a_git_url_at_a_commit"
    ),
    'pip install "floe-lint[lsp] @ git+https://github.com/floe-dev/floe-lint@COMMIT"': (
        "tests/test_install_docs.py::test_each_install_line_installs_from_a_git_url_at_a_commit"
    ),
    "floe-lint check": "tests/test_install_docs.py::test_the_quick_start_prints_what_the_readme_shows",
    "floe-lint explain products/orders/floe.yaml": (
        "tests/test_install_docs.py::test_the_quick_start_prints_what_the_readme_shows "
        "and tests/test_explain.py::test_the_readme_example_is_this_output"
    ),
    "cd examples/broken && ../../.venv/bin/floe-lint check": (
        "tests/test_cli.py::test_broken_example_fires_every_rule_as_the_readmes_say"
    ),
    "cd examples/broken && floe-lint check": (
        "tests/test_cli.py::test_broken_example_fires_every_rule_as_the_readmes_say"
    ),
    "dbt run --profiles-dir target/floe --target duckdb --select path:models/marts": (
        "tests/test_compile_dbt_duckdb.py::test_dbt_runs_the_marts_step_on_duckdb"
    ),
    "floe-lint publish manifest.yaml oci://host/repo:tag": (
        "tests/test_oci_registry.py::test_publish_prints_the_digest_the_registry_stored"
    ),
    "floe-lint plugins --schema trino": (
        "tests/test_plugins_entry_point.py::test_plugins_schema_prints_the_installed_plugins_config_schema"
    ),
    "floe-lint rule ACME101": (
        "tests/test_plugins_entry_point.py::test_the_documented_rule_folder_rule_runs_with_its_config"
    ),
    "floe-lint rule ACME102": (
        "tests/test_plugins_entry_point.py::test_rules_and_rule_show_the_installed_rule"
    ),
    "floe-lint server": "tests/test_server_command.py",
    "cd ~ && floe-lint check work/repo/platform/manifest.yaml": (
        "tests/test_workspace_from_targets.py::"
        "test_from_a_folder_of_no_project_a_project_below_it_is_searched_alone"
    ),
    "floe-lint server --config FILE": "tests/test_server_command.py",
}
# Not run by any test, and why.
NOT_RUN = {
    "dbt run --profiles-dir target/floe --target spark  --select path:models/staging": (
        "needs a Spark Thrift server; the spark profile is validated by dbt-spark in "
        "tests/test_plugins_profiles.py"
    ),
}
# Where a command runs (default: the root of the quick start's repository) and its status.
CWD = {
    "floe-lint compile": "products/orders",
    "floe-lint compile --check --out compiled": "examples/multi-compute",
    "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/floe-lint check examples/mesh": ".",
}
STATUS = {"floe-lint check --format=jsn": 2}
# A command that needs the one before it in its block: that one is run first.
AFTER = {
    "git add .floe-lint-baseline.json": (
        "floe-lint check --write-baseline .floe-lint-baseline.json platform products"
    ),
}


def documented_commands() -> dict[str, list[str]]:
    """Every command of the README and docs/, as written, with the pages that hold it."""
    found: dict[str, list[str]] = {}
    for page in PAGES:
        text = page.read_text("utf-8")
        name = str(page.relative_to(REPO))
        commands: list[str] = []
        for lang, body in re.findall(r"```(\w*)\n(.*?)```", text, re.S):
            if lang in ("sh", "bash", "console"):
                commands += [line for line in body.splitlines() if line.strip()]
            elif lang == "":
                commands += [line[2:] for line in body.splitlines() if line.startswith("$ ")]
        prose = re.sub(r"```.*?```", "", text, flags=re.S)
        spans = re.findall(r"`((?:cd [^`]*&& )?(?:\.\./\.\./\.venv/bin/)?floe-lint [^`]*)`", prose)
        commands += [" ".join(span.split()) for span in spans]
        for command in commands:
            found.setdefault(command, []).append(name)
    return found


def _filled(command: str) -> str:
    for placeholder, value in PLACEHOLDERS.items():
        command = re.sub(rf"\b{placeholder}\b", value, command)
    return command


def _runnable() -> list[str]:
    return sorted(
        c for c in documented_commands() if c not in MENTIONS | set(ELSEWHERE) | set(NOT_RUN)
    )


def test_every_command_is_run_somewhere() -> None:
    commands = documented_commands()
    assert len(commands) >= 40, sorted(commands)
    for command, where in ELSEWHERE.items():
        assert command in commands, f"{command!r} is no longer documented: drop it here"
        for ref in re.findall(r"tests/\S+", where):
            path, _, test = ref.partition("::")
            text = (REPO / path).read_text("utf-8")
            assert not test or f"def {test}(" in text, f"{ref} does not exist"
    assert "./scripts/test" in (REPO / ".ci/run").read_text("utf-8").splitlines()
    for command in MENTIONS:
        assert command in commands and len(command.split()) == 2
    for command, before in AFTER.items():
        assert any(f"{before}\n{command}\n" in p.read_text("utf-8") for p in PAGES), command


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    """The quick start's repository, committed with git, its manifest then narrowed (so that
    `impact` has a change to report), with a config file, a hidden .platform/ folder and a
    .vscode folder."""
    import subprocess

    from tests.test_install_docs import GIT_ENV, quick_start_files

    root = tmp_path / "repo"
    write_files(root, quick_start_files())
    write_files(
        root,
        {
            ".floe-lint.yaml": "fail-on: error\n",
            # a hidden folder, which a walk skips and `floe-lint check .platform/` names
            ".platform/manifest.yaml": quick_start_files()["platform/manifest.yaml"],
        },
    )
    (root / ".vscode").mkdir()
    for git in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "quick start"]):
        subprocess.run(
            ["git", *git], cwd=root, check=True, capture_output=True, env={**os.environ, **GIT_ENV}
        )
    manifest = root / "platform/manifest.yaml"
    manifest.write_text(manifest.read_text("utf-8").replace("[duckdb, spark]", "[duckdb]"))
    return root


def _shown(command: str) -> str | None:
    """The output a page shows after `$ COMMAND`: the lines up to the next `$ ` line or the
    end of the block; None when it shows none."""
    for page in PAGES:
        for block in re.findall(r"```\n(\$ .*?)```", page.read_text("utf-8"), re.S):
            lines = block.splitlines(keepends=True)
            if f"$ {command}\n" not in lines:
                continue
            after = lines[lines.index(f"$ {command}\n") + 1 :]
            output = "".join(itertools.takewhile(lambda line: not line.startswith("$ "), after))
            return output or None
    return None


@pytest.mark.parametrize("command", _runnable())
def test_a_documented_command_runs_as_written(command: str, sandbox: Path, tmp_path: Path) -> None:
    """Run by bash in the quick start's repository (or where CWD says), with this venv's
    floe-lint first on PATH: never a usage, config or internal error (status 2) unless
    documented as one, never a traceback, and what a page shows after `$ ` is its output."""
    import shutil
    import subprocess

    cwd = sandbox
    if CWD.get(command) == "products/orders":
        cwd = sandbox / CWD[command]
    elif command in CWD:  # a copy of this repository's folder, not the folder itself
        cwd = tmp_path / "copy"
        shutil.copytree(
            REPO / CWD[command],
            cwd,
            ignore=shutil.ignore_patterns(".venv", ".git", ".cache", "build", "*.egg-info"),
        )
    if command.startswith("floe-lint check platform/enterprise/manifest.yaml"):
        from tests.test_dependents import TREE, WITHOUT_SNOWFLAKE

        cwd = tmp_path / "dependents"
        write_files(cwd, {**TREE, "platform/enterprise/manifest.yaml": WITHOUT_SNOWFLAKE})
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "NO_COLOR": "1",
        "FLOE_LINT_CACHE_DIR": str(tmp_path / "cache"),  # `cache clean` cleans only its own
    }
    env.pop("GITHUB_ACTIONS", None)
    script = _filled(command)
    if command in AFTER:
        script = f"{_filled(AFTER[command])} && {script}"
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    output = done.stdout + done.stderr
    assert done.returncode in ({STATUS[command]} if command in STATUS else {0, 1}), output
    assert "Traceback" not in output and "internal error" not in output, output
    shown = _shown(command)
    if shown is not None:
        assert output == shown
