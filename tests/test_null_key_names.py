"""A null key (`~`, `null`, or nothing) is named in messages as YAML writes it, not as Python's
'None' (nor a boolean key as 'True'): the duplicate-key, merge-key and unknown-key messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
HEAD = "name: orders\nplatform: {ref: manifest.yaml}\ntransforms: [{path: models/a/}]\n"


def _messages(tmp_path: Path, product: str) -> list[tuple[str, int, int, str]]:
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": product})
    run = run_cli("check", str(tmp_path / "floe.yaml"), "--format", "json")
    return [(f["name"], f["line"], f["column"], f["message"]) for f in run.findings]


@pytest.mark.parametrize(("first", "second"), [("~", "null"), ("null", "~"), ("? ", "~")])
def test_a_duplicate_null_key_is_named_as_written(tmp_path: Path, first: str, second: str) -> None:
    key = f"{first}\n: 1" if first.startswith("?") else f"{first}: 1"
    found = _messages(tmp_path, f"{HEAD}{key}\n{second}: 2\n")
    line = 6 if first.startswith("?") else 5
    assert (
        "duplicate-key",
        line,
        1,
        f"duplicate key '{second}': YAML keeps only the last value, silently discarding the one "
        "at line 4",
    ) in found, found


def test_an_unknown_null_or_boolean_key_is_named_as_yaml_writes_it(tmp_path: Path) -> None:
    found = _messages(
        tmp_path,
        "name: orders\nplatform: {ref: manifest.yaml}\n"
        "transforms: [{path: models/a/, ~: x}]\ntrue: 1\n",
    )
    assert found == [
        (
            "schema-unknown-key",
            3,
            32,
            "unknown key 'null' in 'transforms[0]' (allowed: name, type, path, compute, "
            "workload_size, tags, description)",
        ),
        ("schema-unknown-key", 4, 1, "unknown key 'true' in the document"),
    ]


def test_a_merged_null_key_is_named_as_written(tmp_path: Path) -> None:
    found = _messages(tmp_path, f"{HEAD}x:\n  <<: [{{~: duckdb}}, {{null: spark}}]\n")
    assert (
        "merge-key",
        5,
        3,
        "the sources merged here disagree on '~' (line 5, column 12 and line 5, column 28): "
        "PyYAML up to 6.0.3 reads the first, 6.0.4 the last, so Floe may run either; set '~' "
        "in this mapping",
    ) in found, found
