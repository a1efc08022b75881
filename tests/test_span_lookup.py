"""Spans looked up for one node (`FileSpans.lookup`, walking towards it alone) are exactly the
spans a build of every node gives, whatever the order of the lookups: aliases placed where
they are written, merge keys, duplicate keys, several documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.load.document import parse
from floe_lint.load.spans import FileSpans

KEYS = st.sampled_from(["a", "b", "compute", "1", "true", "x/y", "t~n", "a"])
SCALARS = st.sampled_from(["duckdb", "1", "2.5", "null", "'q'", '"d"', "yes", "~", "*x", "*y"])


@st.composite
def block(draw: st.DrawFn, depth: int = 0, indent: str = "") -> list[str]:
    """Lines of a block mapping, with anchors, aliases, merges and repeated keys."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        key = draw(KEYS)
        kind = draw(st.sampled_from(["scalar", "map", "seq", "flow", "merge", "anchor"]))
        if kind == "scalar" or depth >= 3:
            lines.append(f"{indent}{key}: {draw(SCALARS)}")
        elif kind == "map":
            lines.append(f"{indent}{key}:")
            lines += draw(block(depth + 1, indent + "  "))
        elif kind == "seq":
            lines.append(f"{indent}{key}:")
            for _ in range(draw(st.integers(1, 3))):
                lines.append(f"{indent}  - {draw(SCALARS)}")
        elif kind == "flow":
            items = ", ".join(draw(st.lists(SCALARS, max_size=3)))
            lines.append(f"{indent}{key}: {{k: [{items}], m: {draw(SCALARS)}}}")
        elif kind == "merge":
            lines.append(f"{indent}<<: {draw(st.sampled_from(['*m', '[*m, *n]', '{a: 1}']))}")
        else:
            name = draw(st.sampled_from(["x", "y", "m", "n"]))
            lines.append(f"{indent}{key}: &{name} {{a: {draw(SCALARS)}, c: [1, 2]}}")
    return lines


@st.composite
def files(draw: st.DrawFn) -> str:
    head = ["base: &m {a: 1, compute: spark}", "other: &n {b: 2, a: 3}", "s: &x one", "t: &y [1]"]
    docs = ["\n".join(head + draw(block())) for _ in range(draw(st.integers(1, 2)))]
    return "\n---\n".join(docs) + "\n"


@settings(max_examples=300, deadline=None)
@given(text=files(), order=st.randoms(use_true_random=False))
def test_looking_up_one_node_gives_the_span_a_full_build_gives(text: str, order: object) -> None:
    source = parse(Path("f.yaml"), text.encode())
    full = FileSpans(text)
    lazy = FileSpans(text)
    for doc in source.documents:
        every = full.of(doc.index)
        pointers = [*every, "/nowhere", "/a/nowhere/0", "/base/zz"]
        order.shuffle(pointers)  # type: ignore[attr-defined]
        for pointer in pointers:
            assert lazy.lookup(doc.index, pointer) == every.get(pointer), (pointer, text)
            step = order.random()  # type: ignore[attr-defined]
            if step < 0.2:
                lazy._tree = None  # dropped, as when other files were asked since
            elif step < 0.25:
                assert lazy.of(doc.index) == every  # every node's spans, asked meanwhile


@settings(max_examples=300, deadline=None)
@given(text=files(), order=st.randoms(use_true_random=False))
def test_a_walk_from_an_ancestor_met_before_gives_the_span_a_full_build_gives(
    text: str, order: object
) -> None:
    """Deep nodes first, the tree kept: most walks start at the nearest ancestor an earlier
    walk met (not at a repeated or merged key, which two nodes hold), as the walk from the
    root would reach it."""
    from floe_lint.load import spans

    source = parse(Path("f.yaml"), text.encode())
    full = FileSpans(text)
    lazy = FileSpans(text)
    saved, spans._WALKS = spans._WALKS, 10_000  # never fall back to building every node
    try:
        for doc in source.documents:
            every = full.of(doc.index)
            pointers = [*every, "/base/zz", "/a/nowhere/0"]
            order.shuffle(pointers)  # type: ignore[attr-defined]
            pointers.sort(key=lambda p: -p.count("/"))
            for pointer in pointers:
                assert lazy.lookup(doc.index, pointer) == every.get(pointer), (pointer, text)
    finally:
        spans._WALKS = saved


def test_a_document_places_findings_and_fixes_alike_either_way() -> None:
    text = (
        "base: &c {compute: spark}\n"
        "transforms:\n"
        "  - path: a/\n"
        "    <<: *c\n"
        "  - {path: b/, compute: *c}\n"
        "transforms: []\n"
    )
    lazy = parse(Path("f.yaml"), text.encode()).documents[0]
    eager = parse(Path("f.yaml"), text.encode()).documents[0]
    assert eager.spans  # every node's spans built first: node_spans then reads them
    for pointer in ["/transforms", "/transforms/0/compute", "/transforms/1/compute/compute", "/x"]:
        for at in ("key", "value"):
            assert lazy.span(pointer, at) == eager.span(pointer, at)  # type: ignore[arg-type]
        assert lazy.node_spans(pointer) == eager.node_spans(pointer)
    assert lazy.span("/transforms", "key").start_line == 6  # the repeated key wins, as YAML reads


def test_many_nodes_of_one_wide_mapping_are_located_in_linear_time(tmp_path: Path) -> None:
    """Each walk towards one node reads the siblings on its way: a document asked for many
    nodes gets every node's spans built once instead (a walk per node would be quadratic)."""
    from tests.test_linear_time import _on, assert_linear

    def document(n: int) -> str:
        return "plugins:\n" + "".join(f"  key{i}: [a, b]\n" for i in range(n))

    def locate_each(text: str) -> object:
        doc = parse(tmp_path / "floe.yaml", text.encode()).documents[0]
        return [doc.span(f"/plugins/key{i}/1") for i in range(text.count("\n") - 1)]

    assert_linear(_on(locate_each, document), 500, repeat=3)


def test_a_lookup_keeps_the_spans_of_the_siblings_on_its_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A walk towards one transform's compute also places the other transforms (and the other
    keys on its way), so that asking for one of them later needs no second compose."""
    from floe_lint.load import spans

    composed: list[str] = []
    compose = spans._compose

    def counting(text: str) -> dict[int, object]:
        composed.append(text)
        return compose(text)  # type: ignore[return-value]

    monkeypatch.setattr(spans, "_compose", counting)
    text = (
        "name: a\ntransforms:\n  - {path: x/, compute: spark}\n  - path: y/\n    compute: duckdb\n"
    )
    full = FileSpans(text).of(0)
    composed.clear()
    lazy = FileSpans(text)
    assert lazy.lookup(0, "/transforms/0/compute") == full["/transforms/0/compute"]
    lazy._tree = None  # dropped, as when other files were asked since
    for pointer in ("/transforms/1", "/transforms/0", "/name", "/transforms"):
        assert lazy.lookup(0, pointer) == full[pointer]
    assert len(composed) == 1 and not lazy._every  # one walk; no other compose, no full build
    assert lazy.lookup(0, "/transforms/1/compute") == full["/transforms/1/compute"]
    assert len(composed) == 2  # a node below a sibling needs the tree again
