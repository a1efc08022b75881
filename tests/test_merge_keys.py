"""YAML merge keys: floe-lint reads a merge as PyYAML does and reports every merge whose
reading depends on the PyYAML release (issue 16). Upstream Floe accepts PyYAML 6.x; within
one `<<: [a, b]`, 6.0.3 keeps a's value and 6.0.4 b's (checked with both releases)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.load.document import parse

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"


def first_wins(node: yaml.Node) -> Any:
    """The reading of PyYAML up to 6.0.3 (written here from its documented behaviour): an
    explicit key wins, then a later `<<` over an earlier one, and within one list of
    sources the first."""
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [first_wins(item) for item in node.value]
    merged: dict[Any, Any] = {}
    explicit: dict[Any, Any] = {}
    for key, value in node.value:
        if key.tag == "tag:yaml.org,2002:merge":
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in reversed(sources):
                merged.update(first_wins(source))
        else:
            explicit[key.value] = first_wins(value)
    return {**merged, **explicit}


def merge_problems(text: str) -> list[Any]:
    return [p for p in parse(Path("x.yaml"), text.encode()).problems if p.rule == "merge-key"]


def test_sources_that_disagree_on_the_compute_are_a_finding_at_the_merge(lint) -> None:
    product = (
        "name: orders\nplatform: {ref: manifest.yaml}\n"
        "base: &base {path: models/a/, compute: duckdb}\n"
        "transforms:\n"
        "  - <<: [*base, {compute: snowflake}]\n"
    )
    node = yaml.compose(product)
    assert yaml.safe_load(product)["transforms"][0]["compute"] == "snowflake"  # 6.0.4
    assert first_wins(node)["transforms"][0]["compute"] == "duckdb"  # 6.0.3
    run = lint({"manifest.yaml": MANIFEST, "floe.yaml": product})
    [found] = run.named("merge-key")
    assert (found["file"], found["line"], found["column"]) == ("floe.yaml", 5, 5)
    assert found["message"] == (
        "the sources merged here disagree on 'compute' (line 3, column 40 and line 5, column "
        "27): PyYAML up to 6.0.3 reads the first, 6.0.4 the last, so Floe may run either; "
        "set 'compute' in this mapping"
    )
    assert [(r["line"], r["column"]) for r in found["related"]] == [(3, 40)]
    assert run.code == 1


def test_a_second_merge_key_is_a_finding_and_the_later_merge_is_read(lint) -> None:
    product = (
        "name: orders\nplatform: {ref: manifest.yaml}\n"
        "ok: &ok {compute: duckdb}\n"
        "bad: &bad {compute: snowflake}\n"
        "transforms:\n"
        "  - path: models/a/\n"
        "    <<: *ok\n"
        "    <<: *bad\n"
    )
    assert yaml.safe_load(product)["transforms"][0]["compute"] == "snowflake"
    run = lint({"manifest.yaml": MANIFEST, "floe.yaml": product})
    [found] = run.named("merge-key")
    assert (found["line"], found["column"]) == (8, 5)
    assert found["message"].startswith(
        "a second merge key '<<' in one mapping (the first is at line 7)"
    )
    # what PyYAML reads is what is checked, placed where this transform takes it
    [denied] = run.named("compute-not-approved")
    assert (denied["line"], denied["column"]) == (8, 9)
    assert "selects compute 'snowflake'" in denied["message"]


def test_a_merge_of_something_that_is_not_a_mapping_is_a_finding(lint) -> None:
    run = lint(
        {"manifest.yaml": "plugins:\n  compute:\n    <<: [duckdb]\n    approved: [duckdb]\n"}
    )
    [found] = run.named("merge-key")
    assert (found["line"], found["column"]) == (3, 10)
    assert found["message"] == (
        "a merge key '<<' takes a mapping or a list of mappings; PyYAML (upstream Floe's "
        "loader) refuses this file"
    )


def test_sources_that_agree_or_a_key_set_explicitly_pass(lint) -> None:
    run = lint(
        {
            "manifest.yaml": MANIFEST,
            "floe.yaml": "name: orders\nplatform: {ref: manifest.yaml}\n"
            "a: &a {compute: duckdb, path: models/a/}\n"
            "transforms:\n"
            "  - <<: [*a, {compute: duckdb}]\n"
            "  - <<: [*a, {compute: snowflake}]\n"
            "    compute: duckdb\n"
            "    path: models/b/\n",
        }
    )
    assert run.named("merge-key") == [] and run.named("compute-not-approved") == []


VALUES = st.sampled_from(["duckdb", "spark", "[1, 2]", "{x: 1}"])
SOURCES = st.dictionaries(st.sampled_from(["compute", "path", "tags"]), VALUES, max_size=3)


def _flow(source: dict[str, str]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in source.items()) + "}"


@settings(max_examples=300, deadline=None)
@given(
    anchors=st.lists(SOURCES, min_size=1, max_size=3),
    merges=st.lists(
        st.lists(st.one_of(st.integers(0, 2), SOURCES), min_size=1, max_size=3),
        min_size=1,
        max_size=2,
    ),
    explicit=SOURCES,
)
def test_no_merge_finding_means_every_pyyaml_release_reads_what_floe_lint_reads(
    anchors: list[dict[str, str]], merges: list[list[Any]], explicit: dict[str, str]
) -> None:
    lines = [f"s{i}: &s{i} {_flow(a)}" for i, a in enumerate(anchors)] + ["target:"]
    for merge in merges:
        items = [f"*s{m % len(anchors)}" if isinstance(m, int) else _flow(m) for m in merge]
        lines.append(f"  <<: [{', '.join(items)}]")
    lines += [f"  {k}: {v}" for k, v in explicit.items()] or ["  own: 1"]
    text = "\n".join(lines) + "\n"
    ours = parse(Path("x.yaml"), text.encode()).documents[0].data["target"]
    latest = yaml.safe_load(text)["target"]
    older = first_wins(yaml.compose(text))["target"]
    if ours != latest or latest != _strings(older):
        assert merge_problems(text), text
    if not merge_problems(text):
        assert ours == latest == _strings(older), text


def _strings(value: Any) -> Any:
    """`first_wins` keeps scalars as text; PyYAML's `1` is an int."""
    if isinstance(value, dict):
        return {k: _strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strings(v) for v in value]
    return int(value) if value.isdigit() else value
