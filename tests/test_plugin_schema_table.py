"""The generated table of the built-in plugins' config schemas (plugins/_schemas.py) is what
the plugins say, and a check of computes' configs reads it instead of importing them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from floe_lint.compute import config_check, schema_table
from floe_lint.compute.plugin import _builtin, _builtin_names
from tests.conftest import REPO, write_files


def test_the_table_is_current() -> None:
    current = (REPO / "plugins" / "_schemas.py").read_text("utf-8")
    assert current == schema_table.render(), (
        "plugins/_schemas.py is stale (a built-in plugin's config_schema changed): regenerate "
        f"it with `{schema_table.COMMAND}` and commit the result"
    )


def test_each_builtin_schema_is_its_plugins() -> None:
    for name in _builtin_names():
        assert config_check.config_schema(name) == _builtin(name).config_schema, name
    assert config_check.config_schema("nosuch") is None


PROBE = """
import io, json, sys
from floe_lint.cli import main
status = main(["check", "--no-cache", *sys.argv[1:]], io.StringIO(), io.StringIO())
print(json.dumps([status, sorted(m for m in sys.modules if m.startswith("floe_lint.plugins."))]))
"""


def test_a_check_of_configs_imports_no_plugin(tmp_path: Path) -> None:
    """Configs of three built-in computes checked (one wrong: a finding) from the table."""
    write_files(
        tmp_path,
        {
            "manifest.yaml": (
                "plugins:\n  compute:\n    approved:\n"
                "      - {name: duckdb, config: {threads: 4}}\n"
                "      - {name: spark, config: {threads: eight}}\n"
                "      - snowflake\n"
                "    default: duckdb\n"
            ),
        },
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--format", "concise", "manifest.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    status, modules = json.loads(result.stdout.splitlines()[-1])
    assert status == 1  # spark's threads
    assert modules == ["floe_lint.plugins._schemas"], modules


def test_the_command_as_written_finds_the_table_current() -> None:
    result = subprocess.run(
        [sys.executable, *schema_table.COMMAND.split()[1:]],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().endswith("_schemas.py: up to date"), result.stdout
