"""floe-lint compile: CompiledArtifacts and profiles.yml from a product and its hierarchy."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from floe_lint.compute import artifacts
from floe_lint.compute.plugin import registry
from floe_lint.safe_write import write_file
from tests.conftest import EXAMPLES, REPO, run_cli, write_files

EXAMPLE = EXAMPLES / "multi-compute"


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the multi-compute example as the working directory."""
    copy = tmp_path / "multi-compute"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("compiled", "*.duckdb"))
    monkeypatch.chdir(copy)
    return copy


def _compile(*args: str) -> Any:
    return run_cli("compile", *args)


def test_bundled_schema_is_exported_from_the_pydantic_model() -> None:
    bundled = (REPO / "schemas" / "compiled_artifacts.json").read_text("utf-8")
    assert bundled == artifacts.schema_text(), "run: python -m floe_lint.compute.artifacts"
    assert run_cli("schema", "compiled_artifacts").stdout == bundled


def test_multi_compute_example_compiles_transform_by_transform(example: Path) -> None:
    run = _compile()
    assert run.code == 0, run.stdout + run.stderr
    data = json.loads((example / "target/floe/compiled_artifacts.json").read_text("utf-8"))
    Draft202012Validator(artifacts.json_schema()).validate(data)
    compiled = artifacts.CompiledArtifacts.model_validate(data)

    assert compiled.product.name == "sales-analytics"
    assert compiled.dbt_profile == "sales_analytics"
    assert compiled.dbt_packages == ["dbt-duckdb>=1.9", "dbt-spark[PyHive]>=1.9"]
    computes = compiled.compute_registry
    assert list(computes.configs) == ["spark", "duckdb"] and computes.default == "duckdb"
    assert computes.configs["spark"].connection_secret_ref == "spark-thrift"
    assert computes.configs["duckdb"].properties == {
        "path": "sales.duckdb",
        "threads": 4,
        "memory_limit": "1GB",
    }

    staging, marts, reference = compiled.transforms
    spark, duckdb = registry().plugins["spark"], registry().plugins["duckdb"]
    assert (staging.path, staging.compute, staging.resolved_compute) == (
        "models/staging/",
        "spark",
        "spark",
    )
    assert staging.dbt_select == "path:models/staging" and staging.dbt_target == "spark"
    assert staging.resources.model_dump() == vars_of(spark.get_resource_requirements("large"))
    assert (marts.compute, marts.resolved_compute, marts.workload_size) == (
        "duckdb",
        "duckdb",
        "medium",
    )
    assert marts.resources.model_dump() == vars_of(duckdb.get_resource_requirements("medium"))
    assert (reference.compute, reference.resolved_compute) == (None, "duckdb")  # the default
    assert reference.resources.model_dump() == vars_of(duckdb.get_resource_requirements("small"))

    profiles = yaml.safe_load((example / "target/floe/profiles.yml").read_text("utf-8"))
    outputs = profiles["sales_analytics"]["outputs"]
    assert profiles["sales_analytics"]["target"] == "duckdb"
    assert {name: o["type"] for name, o in outputs.items()} == {
        "spark": "spark",
        "duckdb": "duckdb",
    }
    assert outputs["spark"]["method"] == "thrift" and outputs["spark"]["port"] == 10001


def vars_of(spec: Any) -> dict[str, str]:
    return {
        k: getattr(spec, k) for k in ("cpu_request", "cpu_limit", "memory_request", "memory_limit")
    }


def test_committed_example_artifacts_are_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLE)
    run = _compile("--check", "--out", "compiled")
    assert run.code == 0, run.stderr


def test_rerun_is_byte_identical_and_leaves_files_alone(example: Path) -> None:
    assert _compile().code == 0
    out = example / "target/floe"
    first = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}
    second_run = _compile()
    assert second_run.code == 0
    assert second_run.stdout.count("unchanged ") == 2
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()} == first
    assert sorted(first) == ["compiled_artifacts.json", "profiles.yml"]  # no temp files


def test_check_names_each_stale_or_missing_file(example: Path) -> None:
    assert _compile("--out", "out").code == 0
    (example / "out/profiles.yml").write_text("stale: true\n", encoding="utf-8")
    (example / "out/compiled_artifacts.json").unlink()
    run = _compile("--out", "out", "--check")
    assert run.code == 1
    assert "out/profiles.yml is stale" in run.stderr
    assert "out/compiled_artifacts.json is missing" in run.stderr
    assert (example / "out/profiles.yml").read_text("utf-8") == "stale: true\n"  # untouched


def test_compile_refuses_when_lint_finds_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "floe.yaml": """\
                name: orders
                platform: {ref: manifest.yaml}
                transforms:
                  - {type: dbt, path: models/x/, compute: snowflake}
            """,
            "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
        },
    )
    run = _compile()
    assert run.code == 1
    assert "FL201" in run.stdout and "compile refused: 1 error" in run.stderr
    assert not (tmp_path / "target").exists()


def test_a_config_of_the_wrong_type_is_reported_by_lint_at_its_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "floe.yaml": """\
                name: orders
                platform: {ref: manifest.yaml}
                transforms:
                  - {type: dbt, path: models/x/}
            """,
            "manifest.yaml": """\
                plugins:
                  compute:
                    approved:
                      - duckdb
                      - name: snowflake
                        config: {warehouse: [WH]}
                    default: duckdb
            """,
        },
    )
    run = _compile()
    assert run.code == 1
    # lint reports it first (check gives the same finding), at the config's line
    assert (
        "manifest.yaml:6:29: ERROR FL208 [compute-config] compute 'snowflake' config "
        "'warehouse' must be a string" in run.stdout
    )
    assert "compile refused: 1 error" in run.stderr
    check = run_cli("check", "floe.yaml")
    assert check.code == 1 and "manifest.yaml:6:29: ERROR FL208" in check.stdout


def test_profiles_carry_credentials_only_as_env_vars(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SNOWFLAKE_PASSWORD", "hunter2")
    write_files(
        tmp_path,
        {
            "floe.yaml": """\
                name: orders
                platform: {ref: manifest.yaml}
                transforms:
                  - {type: dbt, path: models/x/, compute: snowflake}
            """,
            "manifest.yaml": """\
                plugins:
                  compute:
                    approved:
                      - name: snowflake
                        config: {account: acme, database: ANALYTICS}
                        connection_secret_ref: snowflake-credentials
                    default: snowflake
            """,
        },
    )
    assert _compile().code == 0
    text = (tmp_path / "target/floe/profiles.yml").read_text("utf-8")
    output = yaml.safe_load(text)["orders"]["outputs"]["snowflake"]
    assert output["password"] == "{{ env_var('SNOWFLAKE_PASSWORD') }}"
    assert output["user"] == "{{ env_var('SNOWFLAKE_USER') }}"
    assert "hunter2" not in text


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "profiles.yml"
    target.write_text("old\n", encoding="utf-8")

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        write_file(target, "new\n")
    assert target.read_text("utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["profiles.yml"]


def test_a_missing_product_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = _compile()
    assert run.code == 2
    assert run.stderr == "floe-lint: error: no such file: floe.yaml\n"
