"""Generated files: names are validated before they become YAML keys or profile names; every
file is made by a serializer, written atomically, never through a symbolic link, and with the
mode the user's umask gives.

Cases of the security reproducer (issue 12): profile_injection, compile_symlinked_out.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
import yaml

from floe_lint.safe_write import SymlinkRefused, write_file
from tests.conftest import EXAMPLES, run_cli, write_files

MANIFEST = "plugins:\n  compute:\n    approved: [duckdb]\n    default: duckdb\n"
PRODUCT = """
name: orders
version: '1.0.0'
platform: {ref: manifest.yaml}
transforms:
  - {type: dbt, path: models/a/}
"""
INJECTED = (
    'name: "orders)\\ninjected_profile:\\n  target: prod\\n  outputs: {prod: {type: postgres, '
    'password: hunter2}}\\n#"\n'
    "version: '1.0.0'\nplatform: {ref: manifest.yaml}\ntransforms:\n  - {type: dbt, path: models/a/}\n"
)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "name",
    ["orders)\\ninjected: 1", "orders\\u0000", "orders\\n", "a b", "-orders", "x" * 129],
)
def test_a_product_name_that_cannot_name_a_profile_is_a_finding_at_its_line(
    workdir: Path, name: str
) -> None:
    write_files(workdir, {"manifest.yaml": MANIFEST})
    (workdir / "floe.yaml").write_text(
        f'version: "1"\nname: "{name}"\n' + PRODUCT.split("\n", 3)[3]
    )
    run = run_cli("check", "floe.yaml", "--format", "json")
    assert run.code == 1
    [finding] = run.findings
    assert (finding["name"], finding["line"]) == ("schema-invalid", 2)
    assert "letters, digits, _, - and . only" in finding["message"]


def test_a_compute_name_with_a_newline_is_a_finding(workdir: Path) -> None:
    write_files(workdir, {"manifest.yaml": 'plugins: {compute: {approved: ["duckdb\\n"]}}\n'})
    run = run_cli("check", "manifest.yaml", "--format", "json")
    assert run.code == 1
    # The schema's finding gives way to the more precise one at the same node.
    assert [(f["name"], f["line"]) for f in run.findings] == [("unknown-compute", 1)]


def test_an_injected_profile_never_reaches_profiles_yml(workdir: Path) -> None:
    write_files(workdir, {"manifest.yaml": MANIFEST})
    (workdir / "floe.yaml").write_text(INJECTED)
    assert run_cli("check", "floe.yaml", "--format", "json").code == 1
    build = run_cli("compile", "floe.yaml", "--out", "out")
    assert build.code == 1
    assert not (workdir / "out").exists()


def test_profiles_text_is_the_serializers_rendering_of_the_document() -> None:
    from floe_lint.compute import artifacts

    document = artifacts.profiles_document(
        "orders)\ninjected_profile:\n  target: prod\n#", "duckdb", {"duckdb": {"type": "duckdb"}}
    )
    assert yaml.safe_load(artifacts.profiles_text(document)) == document


def _compiled_product(root: Path) -> None:
    write_files(
        root,
        {
            "manifest.yaml": """
            plugins:
              compute:
                approved:
                  - duckdb
                  - name: postgres
                    config: {host: db, dbname: analytics, port: 5433}
                  - name: snowflake
                    config: {account: acme, database: RAW, auth: keypair}
                default: duckdb
            """,
            "floe.yaml": """
            name: orders-mart.v2
            version: '1.0.0'
            platform: {ref: manifest.yaml}
            transforms:
              - {type: dbt, path: models/a/, compute: postgres, workload_size: small}
              - {type: dbt, path: models/b/, tags: [x]}
            """,
        },
    )


def test_every_generated_file_parses_back_to_what_was_meant(workdir: Path) -> None:
    from floe_lint.compute import artifacts
    from floe_lint.compute.compiler import compile_product
    from floe_lint.load.workspace import Workspace
    from floe_lint.model.hierarchy import Hierarchy
    from floe_lint.model.refs import Resolver

    _compiled_product(workdir)
    assert run_cli("compile", "floe.yaml", "--out", "out").code == 0
    hierarchy = Hierarchy(Workspace(), Resolver({}, None))
    product = next(d for d in hierarchy.workspace.reach(workdir / "floe.yaml").documents)
    compiled = compile_product(product, hierarchy.platform(product))
    meant = compiled.artifacts
    assert sorted(p.name for p in (workdir / "out").iterdir()) == sorted(compiled.files)

    written = json.loads((workdir / "out" / artifacts.ARTIFACTS_FILE).read_text("utf-8"))
    assert written == meant.model_dump(mode="json")
    profiles = yaml.safe_load((workdir / "out" / artifacts.PROFILES_FILE).read_text("utf-8"))
    assert list(profiles) == [meant.dbt_profile] == ["orders_mart_v2"]
    profile = profiles["orders_mart_v2"]
    assert profile["target"] == "duckdb"
    assert list(profile["outputs"]) == ["duckdb", "postgres", "snowflake"]
    assert profile["outputs"]["postgres"]["port"] == 5433
    assert profile["outputs"]["snowflake"]["private_key"] == (
        "{{ env_var('SNOWFLAKE_PRIVATE_KEY') }}"
    )


def test_the_committed_example_profiles_parse_back_to_their_artifacts() -> None:
    compiled = EXAMPLES / "multi-compute" / "compiled"
    written = json.loads((compiled / "compiled_artifacts.json").read_text("utf-8"))
    profiles = yaml.safe_load((compiled / "profiles.yml").read_text("utf-8"))
    assert list(profiles) == [written["dbt_profile"]]
    outputs = profiles[written["dbt_profile"]]["outputs"]
    assert sorted(outputs) == sorted(written["compute_registry"]["configs"])


def test_compile_refuses_a_symlinked_output_folder_and_names_the_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, victim = tmp_path / "repo", tmp_path / "victim"
    write_files(repo, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT})
    write_files(victim, {"profiles.yml": "ORIGINAL\n"})
    (repo / "target").mkdir()
    (repo / "target" / "floe").symlink_to(victim)
    monkeypatch.chdir(repo)
    run = run_cli("compile", "floe.yaml")
    assert run.code == 2
    assert "target/floe is a symbolic link" in run.stderr
    assert sorted(p.name for p in victim.iterdir()) == ["profiles.yml"]
    assert (victim / "profiles.yml").read_text() == "ORIGINAL\n"


def test_compile_refuses_a_symlinked_parent_inside_the_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    write_files(repo, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT})
    elsewhere.mkdir()
    (repo / "target").symlink_to(elsewhere)
    monkeypatch.chdir(repo)
    run = run_cli("compile", "floe.yaml")
    assert run.code == 2
    assert "target is a symbolic link" in run.stderr
    assert list(elsewhere.iterdir()) == []


def test_compile_refuses_a_symlinked_target_file_and_writes_neither_file(
    workdir: Path,
) -> None:
    write_files(workdir, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT, "dbt/p.yml": "A\n"})
    (workdir / "out").mkdir()
    (workdir / "out" / "profiles.yml").symlink_to(workdir / "dbt" / "p.yml")
    run = run_cli("compile", "floe.yaml", "--out", "out")
    assert run.code == 2
    assert "out/profiles.yml is a symbolic link" in run.stderr
    assert (workdir / "dbt" / "p.yml").read_text() == "A\n"
    assert not (workdir / "out" / "compiled_artifacts.json").exists()


def test_generated_files_get_the_umask_mode(workdir: Path) -> None:
    write_files(workdir, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT})
    previous = os.umask(0o027)
    try:
        assert run_cli("compile", "floe.yaml", "--out", "out").code == 0
        assert run_cli("check", ".", "--output", "report.txt").code == 0
    finally:
        os.umask(previous)
    for path in [*(workdir / "out").iterdir(), workdir / "report.txt"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, path


@pytest.mark.parametrize("option", ["--output", "--sarif-file"])
def test_reports_are_written_whole_and_never_through_a_link(workdir: Path, option: str) -> None:
    write_files(workdir, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT, "keep.txt": "K\n"})
    (workdir / "report").symlink_to(workdir / "keep.txt")
    run = run_cli("check", ".", option, "report")
    assert run.code == 2
    assert "report is a symbolic link" in run.stderr
    assert (workdir / "keep.txt").read_text() == "K\n"
    (workdir / "report").unlink()
    assert run_cli("check", ".", "--format", "json", option, "report").code == 0
    assert json.loads((workdir / "report").read_text("utf-8"))
    assert sorted(p.name for p in workdir.iterdir()) == [
        "floe.yaml",
        "keep.txt",
        "manifest.yaml",
        "report",
    ]


def test_an_interrupted_report_write_leaves_the_old_report(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(workdir, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT, "r.json": "OLD\n"})

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    run = run_cli("check", ".", "--format", "json", "--output", "r.json")
    assert run.code == 2
    assert "cannot write r.json: disk full" in run.stderr
    assert (workdir / "r.json").read_text() == "OLD\n"
    assert sorted(p.name for p in workdir.iterdir()) == ["floe.yaml", "manifest.yaml", "r.json"]


def test_the_writer_refuses_links_and_replaces_a_fifo_without_blocking(workdir: Path) -> None:
    (workdir / "real").mkdir()
    (workdir / "link").symlink_to(workdir / "real")
    with pytest.raises(SymlinkRefused, match="link is a symbolic link"):
        write_file(workdir / "link" / "a.txt", "x")
    os.mkfifo(workdir / "real" / "fifo")
    assert write_file(workdir / "real" / "fifo", "data\n")
    assert (workdir / "real" / "fifo").read_text() == "data\n"
    assert not write_file(workdir / "real" / "fifo", "data\n")  # unchanged: not rewritten


def test_a_compute_name_longer_than_64_characters_is_a_finding(workdir: Path) -> None:
    write_files(workdir, {"manifest.yaml": f"plugins: {{compute: {{approved: [{'d' * 65}]}}}}\n"})
    run = run_cli("check", "manifest.yaml", "--format", "json")
    assert run.code == 1
    assert [f["line"] for f in run.findings] == [1]


def test_baselines_and_lock_files_are_never_written_through_a_link(workdir: Path) -> None:
    from floe_lint.oci import lockfile

    write_files(workdir, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT, "keep": "K\n"})
    (workdir / "baseline.json").symlink_to(workdir / "keep")
    run = run_cli("check", ".", "--write-baseline", "baseline.json")
    assert run.code == 2
    assert "baseline.json is a symbolic link" in run.stderr
    (workdir / "floe.lock").symlink_to(workdir / "keep")
    with pytest.raises(SymlinkRefused):
        lockfile.write(workdir / "floe.lock", {"oci://r/x:1": "sha256:" + "0" * 64})
    assert (workdir / "keep").read_text() == "K\n"


def test_an_env_prefix_with_a_trailing_newline_is_a_finding(workdir: Path) -> None:
    manifest = (
        'plugins: {compute: {approved: [{name: duckdb, config: {env_prefix: "ACME_\\n"}}]}}\n'
    )
    write_files(workdir, {"manifest.yaml": manifest})
    run = run_cli("check", "manifest.yaml", "--format", "json")
    assert [(f["name"], f["line"]) for f in run.findings] == [("compute-config", 1)]
    assert "upper-case letters, digits and _" in run.findings[0]["message"]


def test_a_link_anywhere_inside_the_repository_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    write_files(repo, {"products/orders/manifest.yaml": MANIFEST})
    write_files(repo, {"products/orders/floe.yaml": PRODUCT})
    (repo / ".git").mkdir()  # the repository's root, above the working directory
    elsewhere.mkdir()
    (repo / "build").symlink_to(elsewhere)
    monkeypatch.chdir(repo / "products" / "orders")
    run = run_cli("compile", "floe.yaml", "--out", "../../build/floe")
    assert run.code == 2
    assert "build is a symbolic link" in run.stderr
    assert list(elsewhere.iterdir()) == []
