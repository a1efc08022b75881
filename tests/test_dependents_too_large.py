"""A product too large to read (over the load limit) that may name a changed manifest is taken
by `check MANIFEST` and reported, never passed by: its bytes are not read, so whether it names
the manifest cannot be told, and the check of the whole tree reports it too. Before, the
search dropped it and `check MANIFEST` passed ("no problems") while `check .` failed. A large
file not named as a Floe document is left out, as `check .` leaves it out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from floe_lint.load.reading import MAX_BYTES
from tests.conftest import run_cli, write_files

ENTERPRISE = "scope: enterprise\nmetadata: {name: acme}\n"
ENTERPRISE += "plugins: {compute: {approved: [duckdb, spark]}}\n"
DOMAIN = "scope: domain\nmetadata: {name: dom}\nparent_manifest: ../ent/manifest.yaml\n"
DOMAIN += "plugins: {compute: {approved: [duckdb, spark]}}\n"
PRODUCT = "name: p\nplatform:\n  ref: ../../platform/dom/manifest.yaml\n"
PRODUCT += "transforms:\n  - type: dbt\n    path: models/a/\n    compute: spark\n"
SIZE = MAX_BYTES + 100
CANNOT_READ = (
    f"products/p/floe.yaml:1:1: ERROR FL001 [yaml-syntax] cannot read file: it is {SIZE} "
    f"bytes; the limit is {MAX_BYTES}"
)


def _tree(root: Path, padding: int = SIZE - len(PRODUCT) - 2) -> None:
    write_files(
        root,
        {
            "platform/ent/manifest.yaml": ENTERPRISE,
            "platform/dom/manifest.yaml": DOMAIN,
            "products/p/floe.yaml": PRODUCT + "#" + "x" * padding + "\n",
            "products/q/floe.yaml": PRODUCT.replace("name: p", "name: q"),
        },
    )


@pytest.mark.parametrize("manifest", ["platform/dom/manifest.yaml", "platform/ent/manifest.yaml"])
def test_a_product_too_large_to_read_is_reported_by_a_check_of_its_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, manifest: str
) -> None:
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path)
    assert (tmp_path / "products/p/floe.yaml").stat().st_size == SIZE
    whole = run_cli("check", "--no-cache", ".")
    assert (whole.code, whole.stdout.splitlines()[0]) == (1, CANNOT_READ)
    run = run_cli("check", "--no-cache", manifest)
    lines = run.stdout.splitlines()
    assert run.code == 1, run.stdout + run.stderr
    assert lines[0] == CANNOT_READ
    assert lines[1].strip() == f"note: may be a dependent of the changed manifest {manifest}"


def test_a_product_too_large_is_found_in_a_folder_holding_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder holding a symbolic link is tested file by file (not by the first pass)."""
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path)
    os.symlink("../q/floe.yaml", tmp_path / "products/p/linked.yaml")
    run = run_cli("check", "--no-cache", "platform/dom/manifest.yaml")
    assert run.code == 1, run.stdout + run.stderr
    assert run.stdout.splitlines()[0] == CANNOT_READ


def test_a_large_file_not_named_as_a_floe_document_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path, padding=10)
    (tmp_path / "products/p/data.yaml").write_text("a: " + "x" * SIZE + "\n", "utf-8")
    whole = run_cli("check", "--no-cache", ".")
    run = run_cli("check", "--no-cache", "platform/dom/manifest.yaml")
    assert (whole.code, run.code) == (0, 0), whole.stdout + run.stdout
    assert "data.yaml" not in whole.stdout + run.stdout
    assert run.stderr.strip().endswith(
        "(4 files checked, 2 of them dependents of the changed manifests)"
    )


MAYBE = "may be a dependent of the changed manifest platform/dom/manifest.yaml"
SURE = "a dependent of the changed manifest platform/dom/manifest.yaml"


def _mixed_tree(root: Path) -> None:
    """p too large to read (it may name the domain), q naming it and failing (compute-not-
    approved: the domain approves spark alone)."""
    _tree(root)
    domain = DOMAIN.replace("[duckdb, spark]", "[spark]")
    (root / "platform/dom/manifest.yaml").write_text(domain, "utf-8")
    product = PRODUCT.replace("name: p", "name: q").replace("spark", "duckdb")
    (root / "products/q/floe.yaml").write_text(product, "utf-8")


Q_FINDING = (
    "products/q/floe.yaml:7:14: ERROR FL201 [compute-not-approved] transform 'models/a/' selects "
    "compute 'duckdb', which domain 'dom' does not approve (enterprise 'acme' approves it, but "
    "domain 'dom' removed it); approved: spark"
)


def test_only_the_unreadable_dependent_may_be_one_in_text_and_github(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file too large to read is taken because whether it names the manifest cannot be
    told: its note says it may be a dependent; a dependent whose ref was read is one."""
    monkeypatch.chdir(tmp_path)
    _mixed_tree(tmp_path)
    manifest = "platform/dom/manifest.yaml"
    text = run_cli("check", "--no-cache", "--color", "never", "--format", "text", manifest)
    assert text.code == 1, text.stdout + text.stderr
    assert text.stdout.splitlines()[:4] == [
        CANNOT_READ,
        f"      note: {MAYBE}",
        Q_FINDING,
        f"      note: {SURE}",
    ]
    concise = run_cli("check", "--no-cache", "--format", "concise", manifest)
    assert concise.stdout.splitlines()[:2] == [f"{CANNOT_READ} ({MAYBE})", f"{Q_FINDING} ({SURE})"]
    github = run_cli("check", "--no-cache", "--format", "github", manifest)
    lines = github.stdout.splitlines()
    assert lines[0].startswith("::error file=products/p/floe.yaml,line=1,col=1,")
    assert lines[0].endswith(
        f"::cannot read file: it is {SIZE} bytes; the limit is {MAX_BYTES} ({MAYBE})"
    )
    assert lines[1].startswith("::error file=products/q/floe.yaml,line=7,col=14,")
    assert lines[1].endswith("removed it); approved: spark (" + SURE + ")")


def test_only_the_unreadable_dependent_may_be_one_in_json_and_sarif(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from tests.test_sarif_report import validate

    monkeypatch.chdir(tmp_path)
    _mixed_tree(tmp_path)
    manifest = "platform/dom/manifest.yaml"
    maybe = (
        "checked because it is too large to read, so its hierarchy may pass through the "
        f"changed manifest {manifest}"
    )
    sure = f"checked because its hierarchy passes through the changed manifest {manifest}"
    run = run_cli("check", "--no-cache", "--format", "json", manifest)
    found = json.loads(run.stdout)["findings"]
    assert [(f["file"], f["line"], f["column"], f["related"][-1]) for f in found] == [
        ("products/p/floe.yaml", 1, 1, _related_json(manifest, maybe)),
        ("products/q/floe.yaml", 7, 14, _related_json(manifest, sure)),
    ]
    sarif = run_cli("check", "--no-cache", "--format", "sarif", manifest)
    results = validate(json.loads(sarif.stdout))["runs"][0]["results"]
    notes = [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["relatedLocations"][-1]["physicalLocation"]["artifactLocation"]["uri"],
            r["relatedLocations"][-1]["message"]["text"],
        )
        for r in results
    ]
    # (SARIF messages are sentences)
    assert notes == [
        ("products/p/floe.yaml", manifest, "C" + maybe[1:] + "."),
        ("products/q/floe.yaml", manifest, "C" + sure[1:] + "."),
    ]


def _related_json(manifest: str, message: str) -> dict[str, object]:
    """The JSON report's related location at the changed manifest's start."""
    where = {"file": manifest, "line": 1, "column": 1, "end_line": 1, "end_column": 1}
    return {**where, "pointer": "", "message": message}


def test_the_dependent_note_escapes_the_manifest_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A changed manifest's folder named with a bidi control (U+202E: it would reorder what a
    reader sees) is escaped in the note line as in the finding's line."""
    monkeypatch.chdir(tmp_path)
    _mixed_tree(tmp_path)
    os.rename(tmp_path / "platform/dom", tmp_path / "platform/dom\u202e")
    product = (tmp_path / "products/q/floe.yaml").read_text("utf-8")
    (tmp_path / "products/q/floe.yaml").write_text(product.replace("dom/", "dom\u202e/"), "utf-8")
    run = run_cli("check", "--no-cache", "--color", "never", "platform/dom\u202e/manifest.yaml")
    assert run.code == 1, run.stdout + run.stderr
    assert run.stdout.splitlines()[3] == (
        "      note: a dependent of the changed manifest platform/dom\\u202e/manifest.yaml"
    )


def test_the_summary_counts_a_file_too_large_as_a_possible_dependent_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The closing line does not call the unread file a dependent (it said '4 files checked, 2
    of them dependents' of p, unread, and q); with it alone, it is a possible one."""
    monkeypatch.chdir(tmp_path)
    _mixed_tree(tmp_path)
    run = run_cli("check", "--no-cache", "platform/dom/manifest.yaml")
    assert run.stderr.splitlines()[0] == (
        "floe-lint: 2 errors (4 files checked, 1 of them dependent of the changed manifests "
        "and 1 possible dependent (too large to read))"
    ), run.stderr
    (tmp_path / "products/q/floe.yaml").unlink()
    run = run_cli("check", "--no-cache", "platform/dom/manifest.yaml")
    assert (run.stdout.splitlines()[0], run.stderr.splitlines()[0]) == (
        CANNOT_READ,
        "floe-lint: 1 error (3 files checked, 1 of them possible dependent of the changed "
        "manifests (too large to read))",
    ), run.stderr
