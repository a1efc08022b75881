"""A third party adds an engine: a real package, installed with pip, found through the entry
point group `floe_lint.compute`, and used by `plugins`, `check` and `compile`.

The package is installed with `pip install --target` into a temporary folder that only the
subprocesses of this test put on their path, so the shared environment is left alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import write_files

PLUGIN_SOURCE = '''
"""Trino compute for floe-lint (a third-party plugin used by floe-lint's tests)."""
from floe_lint.compute.plugin import (
    REMOTE_RESOURCES, ComputePlugin, ConnectionResult, config_schema, profile_schema,
)


class TrinoPlugin(ComputePlugin):
    name = "trino"
    version = "0.3.0"
    is_self_hosted = True
    config_schema = config_schema(
        "Trino compute config",
        {"host": {"type": "string"}, "port": {"type": "integer"}, "catalog": {"type": "string"}},
    )
    profile_schema = profile_schema("trino", {}, ())
    resources = REMOTE_RESOURCES

    def generate_dbt_profile(self, config):
        props = config.properties
        return {
            "type": "trino",
            "method": "ldap",
            "host": props.get("host", "trino"),
            "port": props.get("port", 8080),
            "database": props.get("catalog", "hive"),
            "schema": "analytics",
            "user": self.env(config, "USER"),
            "password": self.env(config, "PASSWORD"),
        }

    def get_required_dbt_packages(self):
        return ["dbt-trino>=1.9"]

    def validate_connection(self, config):
        return ConnectionResult(False, "not checked: trino", checked=False)
'''

PYPROJECT = """
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "floe-compute-trino"
version = "0.3.0"

[project.entry-points."floe_lint.compute"]
trino = "floe_compute_trino:TrinoPlugin"
broken = "floe_compute_trino:DoesNotExist"

[tool.setuptools]
py-modules = ["floe_compute_trino"]
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plugin package, built and installed by pip into a folder of its own."""
    source = tmp_path_factory.mktemp("floe-compute-trino")
    (source / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (source / "floe_compute_trino.py").write_text(PLUGIN_SOURCE, encoding="utf-8")
    target = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(target.glob("floe_compute_trino-0.3.0.dist-info"))
    return target


def floe_lint(cwd: Path, *args: str, site: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if site is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "floe_lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


@pytest.fixture
def product(tmp_path: Path) -> Path:
    write_files(
        tmp_path,
        {
            "manifest.yaml": """\
                plugins:
                  compute:
                    approved:
                      - duckdb
                      - name: trino
                        config: {host: trino.internal, catalgo: iceberg}
                    default: duckdb
            """,
            "floe.yaml": """\
                name: orders
                platform: {ref: manifest.yaml}
                transforms:
                  - {type: dbt, path: models/x/, compute: trino}
            """,
        },
    )
    return tmp_path


def test_plugins_lists_the_installed_plugin_and_reports_a_broken_one(
    site: Path, tmp_path: Path
) -> None:
    run = floe_lint(tmp_path, "plugins", site=site)
    rows = {line.split()[0]: line for line in run.stdout.splitlines()[1:]}
    assert "duckdb" in rows
    assert rows["trino"].split()[1:3] == ["0.3.0", "yes"]
    assert "floe-compute-trino (floe_compute_trino:TrinoPlugin)" in rows["trino"]
    assert rows["trino"].endswith("dbt-trino>=1.9")
    assert "broken" not in rows
    assert run.returncode == 1
    assert "plugin error: entry point 'broken'" in run.stderr


def test_without_the_package_trino_is_an_unknown_compute(product: Path) -> None:
    run = floe_lint(product, "check", ".", "--format", "json")
    names = {f["name"] for f in json.loads(run.stdout)["findings"]}
    assert "unknown-compute" in names


def test_lint_uses_the_plugin_and_its_config_schema(site: Path, product: Path) -> None:
    run = floe_lint(product, "check", ".", "--format", "json", site=site)
    findings = json.loads(run.stdout)["findings"]
    assert [(f["name"], f["line"]) for f in findings] == [("compute-config", 6)]
    assert "no config key 'catalgo'; did you mean 'catalog'?" in findings[0]["message"]


def test_compile_renders_the_third_party_profile(site: Path, product: Path) -> None:
    manifest = product / "manifest.yaml"
    manifest.write_text(manifest.read_text("utf-8").replace("catalgo", "catalog"), "utf-8")
    run = floe_lint(product, "compile", site=site)
    assert run.returncode == 0, run.stdout + run.stderr
    profiles = yaml.safe_load((product / "target/floe/profiles.yml").read_text("utf-8"))
    trino = profiles["orders"]["outputs"]["trino"]
    assert (trino["type"], trino["host"], trino["database"]) == (
        "trino",
        "trino.internal",
        "iceberg",
    )
    assert trino["password"] == "{{ env_var('TRINO_PASSWORD') }}"
    artifacts = json.loads((product / "target/floe/compiled_artifacts.json").read_text("utf-8"))
    assert artifacts["dbt_packages"] == ["dbt-trino>=1.9"]
    assert artifacts["compute_registry"]["configs"]["trino"]["plugin_version"] == "0.3.0"
