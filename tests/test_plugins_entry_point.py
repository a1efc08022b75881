"""A third party adds an engine: a real package, installed with pip, found through the entry
point group `floe_lint.compute`, and used by `plugins`, `check` and `compile`.

The package is installed with `pip install --target` into a temporary folder that only the
subprocesses of this test put on their path, so the shared environment is left alone.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, write_files

DOC = REPO / "docs" / "extending.md"
FILE_BLOCK = re.compile(r"^```[a-z]*\n# file: (?P<path>\S+)\n(?P<body>.*?)^```$", re.M | re.S)


def doc_files(prefix: str) -> dict[str, str]:
    """The blocks of docs/extending.md that start with `# file: PATH`, under `prefix`."""
    text = DOC.read_text("utf-8")
    return {
        m["path"].removeprefix(prefix): f"# file: {m['path']}\n{m['body']}"
        for m in FILE_BLOCK.finditer(text)
        if m["path"].startswith(prefix)
    }


PACKAGE = doc_files("floe-compute-trino/")
# The documented package, plus one entry point that does not load (the section is last).
BROKEN = 'broken = "floe_compute_trino:DoesNotExist"\n'


def test_the_documented_package_is_what_this_test_installs() -> None:
    assert sorted(PACKAGE) == ["floe_compute_trino.py", "pyproject.toml"]
    assert PACKAGE["pyproject.toml"].rstrip().endswith('trino = "floe_compute_trino:TrinoPlugin"')
    assert "from floe_lint.api import" in PACKAGE["floe_compute_trino.py"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plugin package, built and installed by pip into a folder of its own."""
    source = tmp_path_factory.mktemp("floe-compute-trino")
    (source / "pyproject.toml").write_text(PACKAGE["pyproject.toml"] + BROKEN, encoding="utf-8")
    (source / "floe_compute_trino.py").write_text(PACKAGE["floe_compute_trino.py"], "utf-8")
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


def test_the_documented_rule_folder_rule_runs_with_its_config(site: Path, product: Path) -> None:
    files = doc_files("")
    for name in ("ci/floe-rules/explicit_compute.py", ".floe-lint.yaml"):
        (product / name).parent.mkdir(parents=True, exist_ok=True)
        (product / name).write_text(files[name], "utf-8")
    floe = product / "floe.yaml"
    floe.write_text(floe.read_text("utf-8") + "  - {type: dbt, path: models/y/}\n", "utf-8")
    run = floe_lint(product, "check", ".", "--format", "json", site=site)
    found = [f for f in json.loads(run.stdout)["findings"] if f["rule"] == "ACME101"]
    assert [(f["name"], f["severity"], f["file"], f["line"]) for f in found] == [
        ("explicit-compute", "warning", "floe.yaml", 5)
    ]
    assert found[0]["message"] == (
        "transform 'models/y/' relies on the platform's default compute; name it"
    )
    assert [(r["file"], r["line"]) for r in found[0]["related"]] == [("manifest.yaml", 7)]
    listed = floe_lint(product, "rules", site=site).stdout
    assert "ACME101 explicit-compute" in listed
    shown = floe_lint(product, "rule", "ACME101", site=site).stdout
    assert shown.startswith("ACME101 explicit-compute (default severity: warning)")
