"""The config's path globs (`include`, `exclude`, `per-path-ignores`, `exceptions[].path`):
`*` matches within one folder, `**` crosses folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from floe_lint.load.paths import glob_match
from tests.conftest import run_cli, write_files

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"


def _product(depth: int) -> str:
    up = "../" * depth
    return (
        f"name: p\nplatform: {{ref: {up}manifest.yaml}}\n"
        "transforms: [{type: dbt, path: models/x/, compute: spark}]\n"
    )


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "manifest.yaml": MANIFEST,
            "products/legacy/floe.yaml": _product(2),
            "products/legacy/old/floe.yaml": _product(3),
        },
    )
    return tmp_path


def _fl201(run_args: list[str]) -> list[str]:
    run = run_cli("check", ".", "--format", "concise", *run_args)
    return [line.split(" ERROR ")[0] for line in run.stdout.splitlines() if "FL201" in line]


@pytest.mark.parametrize(
    "config",
    [
        "per-path-ignores: {'products/legacy/*': [FL201]}\n",
        "mandatory: [FL201]\nexceptions:\n"
        "  - {path: 'products/legacy/*', rule: FL201, reason: pilot, expires: 2999-12-31}\n",
        "exclude: ['products/legacy/*']\n",
    ],
)
def test_a_single_star_does_not_reach_into_a_nested_folder(tree: Path, config: str) -> None:
    (tree / ".floe-lint.yaml").write_text(config, "utf-8")
    assert _fl201([]) == ["products/legacy/old/floe.yaml:3:52:"]


@pytest.mark.parametrize(
    "config",
    [
        "per-path-ignores: {'products/legacy/**': [FL201]}\n",
        "mandatory: [FL201]\nexceptions:\n"
        "  - {path: 'products/**', rule: FL201, reason: pilot, expires: 2999-12-31}\n",
        "per-path-ignores: {'products/legacy': [FL201]}\n",
        "per-path-ignores: {'**/old/*': [FL201], 'products/legacy/*': [FL201]}\n",
    ],
)
def test_a_double_star_or_a_folder_reaches_every_file_below(tree: Path, config: str) -> None:
    (tree / ".floe-lint.yaml").write_text(config, "utf-8")
    assert _fl201([]) == []


_NAME = st.sampled_from(["a", "b", "legacy", "floe.yaml"])


@given(st.lists(_NAME, min_size=1, max_size=5), st.lists(_NAME, min_size=1, max_size=4))
def test_a_pattern_of_single_stars_matches_only_paths_of_its_depth(
    path: list[str], pattern: list[str]
) -> None:
    """`*` never crosses `/`: a pattern of N names (no `**`) matches only paths of N names."""
    stars = ["*" if i % 2 else name for i, name in enumerate(pattern)] + ["*"]
    if len(stars) == 1:
        return  # a bare `*` also matches base names
    if glob_match("/".join(path), ["/".join(stars)]):
        assert len(path) == len(stars)
