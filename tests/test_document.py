"""Loading YAML safely: spans, kinds, and hostile input turned into findings."""

from __future__ import annotations

from pathlib import Path

from floe_lint.findings import Span
from floe_lint.load.document import classify, parse


def test_spans_are_one_based_with_exclusive_end() -> None:
    source = parse(Path("m.yaml"), b"plugins:\n  compute:\n    approved: [duckdb, spark]\n")
    doc = source.documents[0]
    assert doc.span("/plugins/compute/approved/1") == Span(3, 24, 3, 29)
    assert doc.span("/plugins/compute/approved", at="key") == Span(3, 5, 3, 13)
    assert doc.span("/plugins/compute/missing/deeper") == doc.span("/plugins/compute")


def test_duplicate_keys_are_reported_with_both_positions() -> None:
    source = parse(Path("m.yaml"), b"a: 1\nb: 2\na: 3\n")
    [problem] = source.problems
    assert (problem.rule, problem.span.start_line, problem.related_span) == (
        "duplicate-key",
        3,
        Span(1, 1, 1, 2),
    )
    assert source.documents[0].data == {"a": 3, "b": 2}


def test_invalid_utf8_and_oversize_input_become_problems() -> None:
    bad = parse(Path("floe.yaml"), b"name: ok\npath: \xff\xfe\n")
    assert bad.problems[0].message == "file is not valid UTF-8"
    assert (bad.problems[0].span.start_line, bad.problems[0].span.start_col) == (2, 7)
    huge = parse(Path("floe.yaml"), b"#" * (6 * 1024 * 1024))
    assert "limit" in huge.problems[0].message


def test_alias_bombs_are_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join(['*a' + str(i - 1)] * 10)}]" for i in range(1, 8)]
    source = parse(Path("manifest.yaml"), "\n".join(lines).encode())
    assert "alias bomb" in source.problems[0].message


def test_merge_keys_and_multiple_documents() -> None:
    text = b"base: &b {threads: 4}\nconfig:\n  <<: *b\n  path: x\n---\nkind: FloeSpec\n"
    source = parse(Path("x.yaml"), text)
    assert source.documents[0].data["config"] == {"path": "x", "threads": 4}
    assert source.documents[1].kind == "floe"


def test_scalars_keep_their_text_except_core_types() -> None:
    doc = parse(
        Path("floe.yaml"), b"version: 1.0\ndate: 2024-01-01\nflag: yes\nnone: ~\n"
    ).documents[0]
    assert doc.data == {"version": 1.0, "date": "2024-01-01", "flag": True, "none": None}


def test_kind_from_kind_key_then_content_then_file_name() -> None:
    assert classify({"kind": "Manifest", "transforms": []}, Path("floe.yaml")) == "manifest"
    assert classify({"kind": "FloeSpec"}, Path("x.yaml")) == "floe"
    assert classify({"plugins": {}}, Path("x.yaml")) == "manifest"
    assert classify({"transforms": []}, Path("x.yaml")) == "floe"
    assert classify({"name": "x"}, Path("floe.yaml")) == "floe"
    assert classify({"name": "x"}, Path("sales-manifest.yaml")) == "manifest"
    assert classify({"name": "x"}, Path("dbt_project.yml")) is None
    assert classify(["not", "a", "mapping"], Path("floe.yaml")) is None


def test_a_nested_duplicate_key_names_its_pointer_though_loading_builds_none() -> None:
    """Loading builds no pointers; a duplicate key makes it build them, once, for its problem."""
    source = parse(
        Path("m.yaml"),
        b"x:\n  - {a: 1}\n  - y:\n      a/b: 1\n      a/b: 2\n      u: !!bool maybe\n",
    )
    [problem, bad] = source.problems
    assert (problem.rule, problem.pointer, problem.span) == (
        "duplicate-key",
        "/x/1/y/a~1b",
        Span(5, 7, 5, 10),
    )
    assert (bad.rule, bad.span.start_line) == ("yaml-syntax", 6)  # reported once, not twice
    assert source.documents[0].data == {"x": [{"a": 1}, {"y": {"a/b": 2, "u": "maybe"}}]}


def test_the_resolver_memo_tags_every_scalar_as_pyyaml_does() -> None:
    """The memo keys a plain scalar's tag by its text: the same text quoted stays a string,
    and a remembered text gets the tag PyYAML's own resolver gives it."""
    import yaml
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from floe_lint.load.yaml_tree import compose_all

    scalars = st.sampled_from(
        ["1", "1.5", "true", "yes", "null", "~", "0x1F", "1_000", "2026-12-06", "abc", "", ".inf"]
    ) | st.text(alphabet="0123456789.-+eE_xotrufalsyn:", max_size=8)

    def tags(node: yaml.Node) -> list[str]:
        if isinstance(node, yaml.ScalarNode):
            return [node.tag]
        if isinstance(node, yaml.MappingNode):
            return [t for pair in node.value for item in pair for t in tags(item)]
        return [t for item in node.value for t in tags(item)]

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.tuples(scalars, st.booleans()), min_size=1, max_size=6))
    def same(items: list[tuple[str, bool]]) -> None:
        lines = [f"k{i}: {repr(s) if quoted else s}" for i, (s, quoted) in enumerate(items)]
        text = "\n".join(lines) + "\n"
        try:
            expected = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            return
        for _ in range(2):  # the second time from the memo
            [root] = list(compose_all(text))
            assert tags(root) == tags(expected)

    same()


def test_a_text_that_is_no_pointer_falls_back_to_the_file_start() -> None:
    """`span` climbs to the nearest ancestor that exists; from a text without a leading `/`
    the parent of "a" was "a" again, and the climb never ended (noticed by imp6)."""
    import signal

    from floe_lint.load.document import FILE_START

    doc = parse(Path("m.yaml"), b"a: 1\nb: {c: 2}\n").documents[0]
    signal.signal(signal.SIGALRM, signal.default_int_handler)
    signal.alarm(5)
    try:
        assert doc.span("a") == FILE_START
        assert doc.span("b/c") == FILE_START
        assert doc.span("/b/zz").start_line == 2  # an existing ancestor still answers
    finally:
        signal.alarm(0)
