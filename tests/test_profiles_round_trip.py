"""profiles.yml reads back (as dbt reads it, with a YAML 1.1 safe loader) as exactly the data
compile rendered. PyYAML writes NEL, LS and PS raw inside a quoted scalar, where a reader folds
each line break into a space: a config value `x<NEL>y` was written and read back as `x y`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from floe_lint.compute.artifacts import profiles_text
from tests.conftest import run_cli, write_files

_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",))
    | st.sampled_from(["\x85", "\u2028", "\u2029", "\n", "\r", "\t", " ", "é", "'", '"'])
)


@given(_TEXT, st.lists(_TEXT, max_size=3))
def test_every_value_reads_back_as_rendered(path: str, extensions: list[str]) -> None:
    document = {
        "orders": {
            "target": "duckdb",
            "outputs": {"duckdb": {"type": "duckdb", "path": path, "extensions": extensions}},
        }
    }
    assert yaml.safe_load(profiles_text(document)) == document


def test_a_config_value_with_a_line_separator_compiles_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": (
                "plugins:\n  compute:\n    approved:\n      - name: duckdb\n"
                '        config: {path: "x\\u0085y\\u2028z.duckdb"}\n    default: duckdb\n'
            ),
            "floe.yaml": (
                "name: orders\nversion: 1.0.0\nplatform: {ref: manifest.yaml}\n"
                "transforms:\n  - {type: dbt, path: models/a/}\n"
            ),
        },
    )
    assert run_cli("compile", "floe.yaml", "--out", "out").code == 0
    text = (tmp_path / "out" / "profiles.yml").read_text(encoding="utf-8")
    assert '      path: "x\\Ny\\Lz.duckdb"\n' in text
    profile = yaml.safe_load(text)["orders"]["outputs"]["duckdb"]
    assert profile["path"] == "x\x85y\u2028z.duckdb"
