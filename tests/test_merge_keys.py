"""YAML merge keys: floe-lint reads a merge as PyYAML does and reports every merge whose
reading depends on the PyYAML release (issue 16). Upstream Floe accepts PyYAML 6.x; within
one `<<: [a, b]`, 6.0.3 keeps a's value and 6.0.4 b's, but a's for a key of one Latin-1
character or none (checked with both releases)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, example, given, settings
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


class Release603(yaml.SafeLoader):
    """PyYAML 6.0.3's merge (its `flatten_mapping`, written here and compared with that
    release and 6.0.4 on 3,000 random documents like `merge_documents`' when written): every
    merged pair is kept, the sources of one `<<` list are read last first, a later pair wins."""

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        merged: list[Any] = []
        index = 0
        while index < len(node.value):
            key_node, value_node = node.value[index]
            if key_node.tag != "tag:yaml.org,2002:merge":
                index += 1
                continue
            del node.value[index]
            many = isinstance(value_node, yaml.SequenceNode)
            for source in reversed(value_node.value) if many else [value_node]:
                self.flatten_mapping(source)
                merged.extend(source.value)
        node.value = merged + node.value


def test_one_character_keys_read_the_first_source_with_every_release() -> None:
    """CPython keeps one copy of a one-character Latin-1 (or empty) text, so PyYAML 6.0.4 drops
    the later source's pair and reads the first, as 6.0.3 does: floe-lint read the last and
    reported that 6.0.4 does."""
    for key in ["x", "é", "''", "~", '"\\x78"']:
        text = f"t: {{<<: [{{{key}: 1}}, {{{key}: 2}}]}}\n"
        assert (
            yaml.safe_load(text)
            == yaml.load(text, Release603)
            == {"t": {yaml.safe_load(f"{key}: 0").popitem()[0]: 1}}
        )
        source = parse(Path("x.yaml"), text.encode())
        assert source.documents[0].data == yaml.safe_load(text), key
        assert source.problems == [], key


def test_a_one_character_key_of_a_second_merge_is_read_from_the_first() -> None:
    text = "t:\n  <<: {x: duckdb}\n  <<: {x: snowflake}\n"
    assert yaml.safe_load(text) == {"t": {"x": "duckdb"}}  # 6.0.4
    assert yaml.load(text, Release603) == {"t": {"x": "snowflake"}}
    source = parse(Path("x.yaml"), text.encode())
    assert source.documents[0].data == {"t": {"x": "duckdb"}}
    [_, found] = [p for p in source.problems if p.rule == "merge-key"]
    assert (found.span.start_line, found.span.start_col) == (2, 3)
    assert found.message == (
        "'x' is merged here with the values at line 2, column 11 and line 3, column 11: "
        "PyYAML 6.0.4 reads the first, earlier versions the last, so Floe may run either; "
        "set 'x' in this mapping"
    )
    assert (found.related_span.start_line, found.related_span.start_col) == (3, 11)


def test_a_key_6_0_4_drops_for_its_text_is_reported() -> None:
    """`1` and `'1'` are different keys with one text object: 6.0.4 keeps only the first."""
    text = "t: {<<: [{1: a}, {'1': b}]}\n"
    assert yaml.safe_load(text) == {"t": {1: "a"}}
    assert yaml.load(text, Release603) == {"t": {1: "a", "1": "b"}}
    source = parse(Path("x.yaml"), text.encode())
    assert source.documents[0].data == {"t": {1: "a"}}
    [found] = source.problems
    assert (found.rule, found.span.start_line, found.span.start_col) == ("merge-key", 1, 5)
    assert found.message == (
        "'1' is merged here from line 1, column 24: PyYAML up to 6.0.3 reads it, 6.0.4 drops "
        "it (another key merged here has the same text), so Floe may run either; set '1' in "
        "this mapping"
    )


KEYS = st.sampled_from(["x", "é", "''", "~", "null", "1", "'1'", "xy", "ж", '"x"', "Ā", "&k é"])


@st.composite
def merge_documents(draw: st.DrawFn) -> str:
    """Anchored sources that merge earlier ones, and a mapping merging them, with keys of
    one Latin-1 character, empty, longer, beyond Latin-1, two spellings of null, `1` and
    `'1'`, and an anchored key with its alias."""
    lines, names, anchored = [], [], False
    for i in range(draw(st.integers(1, 4))):
        pairs = []
        if names and draw(st.booleans()):
            merged = draw(st.lists(st.sampled_from(names), min_size=1, max_size=2))
            pairs.append(
                "<<: "
                + (
                    "*" + merged[0]
                    if len(merged) == 1 and draw(st.booleans())
                    else "[" + ", ".join("*" + m for m in merged) + "]"
                )
            )
        for key in draw(st.lists(KEYS, max_size=3)):
            if key.startswith("&"):
                key = "*k " if anchored else key
                anchored = True
            pairs.append(f"{key}: {draw(st.sampled_from(['1', '2', 'a', '~']))}")
        lines.append(f"s{i}: &s{i} {{{', '.join(pairs)}}}")
        names.append(f"s{i}")
    merges = draw(
        st.lists(st.lists(st.sampled_from(names), min_size=1, max_size=3), min_size=1, max_size=2)
    )
    pairs = ["<<: [" + ", ".join("*" + m for m in merge) + "]" for merge in merges]
    if draw(st.booleans()):
        pairs.append(f"{draw(KEYS.filter(lambda k: '&' not in k))}: own")
    lines.append(f"t: {{{', '.join(pairs)}}}")
    return "\n".join(lines) + "\n"


def _typed(data: Any) -> Any:
    """`data` with the type of every value (1, '1' and True differ), in no particular order."""
    if isinstance(data, dict):
        return {key: _typed(value) for key, value in data.items()}
    return (type(data), data)


@pytest.mark.skipif(yaml.__version__ != "6.0.4", reason="the reading of PyYAML 6.0.4")
@settings(max_examples=400, deadline=None)
@given(text=merge_documents())
@example(text="s0: &s0 {x: 1}\ns1: &s1 {<<: *s0, x: 2}\nt: {<<: [*s1]}\n")
@example(text="s0: &s0 {~: 1}\ns1: &s1 {null: 2}\nt: {<<: [*s0, *s1]}\n")
def test_floe_lint_reads_pyyaml_6_0_4_and_reports_exactly_where_6_0_3_differs(text: str) -> None:
    source = parse(Path("x.yaml"), text.encode())
    assume(not any(p.rule == "duplicate-key" for p in source.problems))
    latest, older = yaml.safe_load(text), yaml.load(text, Release603)
    assert yaml.load(text, yaml.CSafeLoader) == latest
    assert _typed(source.documents[0].data) == _typed(latest), text
    found = [p for p in source.problems if p.rule == "merge-key" and "second" not in p.message]
    assert bool(found) == (_typed(latest) != _typed(older)), (text, found)
