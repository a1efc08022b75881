"""A "missing" message says what to write: the smallest valid snippet, built from the schema
that requires the key (and valid against it); a config's problems are all shown, in file
order. Through the installed console script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from floe_lint.load.snippet import minimal, snippet
from tests.conftest import REPO, write_files

FLOE_LINT = shutil.which("floe-lint", path=str(Path(sys.executable).parent)) or "floe-lint"
SCHEMAS = sorted((REPO / "schemas").glob("*.json"))


def floe_lint(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FLOE_LINT, *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )


@pytest.mark.parametrize(
    ("files", "lines"),
    [
        (
            {"floe.yaml": "name: orders\nversion: 1.0.0\ntransforms: [{path: models/}]\n"},
            # platform is optional since 8b54283 (ADR-0010's own example names none): what to
            # write comes from platform-not-checked, in this dialect's key
            [
                "floe.yaml:3:1: WARNING FL307 [platform-not-checked] this product names no "
                "platform (platform.ref), so its compute selections were not checked; write "
                "'platform: {ref: ../manifest.yaml}' (the platform's path or oci:// ref), "
                "pass 'check --manifest PATH_OR_REF', set 'manifest:' in the config, or put the "
                "platform's manifest.yaml beside it"
            ],
        ),
        (
            {"manifest.yaml": "scope: enterprise\n"},
            [
                "manifest.yaml:1:1: ERROR FL103 [schema-required] missing required key "
                "'plugins' in the document; smallest valid: plugins: {compute: {approved: "
                "[duckdb]}}"
            ],
        ),
        (
            {"manifest.yaml": "scope: domain\nplugins: {compute: {approved: [duckdb]}}\n"},
            [
                "manifest.yaml:1:8: ERROR FL303 [scope-mismatch] a domain manifest must name its "
                "parent in parent_manifest; smallest valid: parent_manifest: "
                "../enterprise/manifest.yaml"
            ],
        ),
        (
            {
                "floe.yaml": "apiVersion: floe.dev/v1\nkind: FloeSpec\n"
                "metadata: {name: orders, version: 1.0.0}\n"
                "transforms: [{name: stg_orders, compute: duckdb}]\n"
            },
            [
                "floe.yaml:4:1: WARNING FL307 [platform-not-checked] this product names no "
                "platform (platform.manifest), so its compute selections were not checked; write "
                "'platform: {manifest: ../manifest.yaml}' (the platform's path or oci:// ref), "
                "pass 'check --manifest PATH_OR_REF', set 'manifest:' in the config, or put the "
                "platform's manifest.yaml beside it"
            ],
        ),
    ],
)
def test_a_missing_key_is_told_what_to_write(
    tmp_path: Path, files: dict[str, str], lines: list[str]
) -> None:
    write_files(tmp_path, files)
    done = floe_lint(tmp_path, "check", "--format", "concise", *files)
    assert done.stdout.splitlines() == lines


def test_every_config_problem_is_shown_in_file_order(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            ".floe-lint.yaml": "ignore: [FL9999]\nslect: [FL201]\nfail-on: eror\n"
            "select: [FL8888]\nformat: jsn\n",
            "floe.yaml": "name: x\n",
        },
    )
    done = floe_lint(tmp_path, "check", ".")
    config = tmp_path / ".floe-lint.yaml"
    unknown = (
        "a selector is a rule id (FL201), id prefix (FL2), name (compute-not-approved), name "
        "prefix (compute, schema-, schema-*) or ALL; case-insensitive; see 'floe-lint rules'"
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [
        f"floe-lint: error: {config}:1:10: unknown rule 'FL9999': {unknown}",
        f"floe-lint: error: {config}:2:1: unknown key 'slect' in the floe-lint config; "
        "did you mean 'select'?",
        f"floe-lint: error: {config}:3:1: 'fail-on' must be one of error, warning, not 'eror'; "
        "did you mean 'error'?",
        f"floe-lint: error: {config}:4:10: unknown rule 'FL8888': {unknown}",
        f"floe-lint: error: {config}:5:1: 'format' must be one of text, json, sarif, github, "
        "gitlab, junit, auto, concise, full, not 'jsn'; did you mean 'json'?",
    ]


def _required(node: Any, root: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every (key, schema of the key) that some object of the schema requires."""
    if isinstance(node, dict):
        properties = node.get("properties")
        for key in node.get("required", []) if isinstance(properties, dict) else []:
            if isinstance(key, str) and key in properties:
                yield key, properties[key]
        for value in node.values():
            yield from _required(value, root)
    elif isinstance(node, list):
        for value in node:
            yield from _required(value, root)


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_snippet_is_valid_against_the_schema_that_requires_it(path: Path) -> None:
    root = json.loads(path.read_text("utf-8"))
    built = 0
    documents = path.stem in ("floe", "manifest", "floe-floe", "manifest-floe")
    for key, node in _required(root, root):
        value = minimal(node, root, key)
        if documents:  # what people write: every missing key there is told what to write
            assert snippet(key, node, root) is not None, key
        if value is None or snippet(key, node, root) is None:
            continue
        built += 1
        validator = jsonschema.Draft202012Validator({**node, "$defs": root.get("$defs", {})})
        assert validator.is_valid(value), (key, value)
        text = snippet(key, node, root)
        assert text is not None and yaml.safe_load("{" + text + "}") == {key: value}
    if documents:
        assert built, f"no snippet for any required key of {path.name}"
