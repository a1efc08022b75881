"""Loading's own builder (`floe_lint.load.plain`) and its resolver shortcuts give exactly what
the general `Builder` and PyYAML's resolver give: the same data (types included), the same
problems in the same order, the same limits, on random documents (issue 17, cold runs)."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from floe_lint.load import plain, resolving, yaml_tree
from floe_lint.load.document import parse

KEYS = st.sampled_from(
    [
        *["a", "b", "compute", "1", "'1'", "true", "True", "1.0", "~", "null", "é", "''", "<<"],
        *["? [p, q]", "? {k: v}", "!!int 7", "!!str 8", "!custom k", "&ka a", "2024-01-01", "y"],
        "0x1f",
    ]
)
SCALARS = st.sampled_from(
    [
        *["duckdb", "1", "2.5", "null", "'q'", '"d"', "yes", "~", "", "!!str 3", "!custom z"],
        *["!!int x", "!!float y", "!!bool 3", "! ", "!", "! x", ".nan", "-.inf", "0o17", "1_000"],
        *["!!timestamp 2024-13-45", "2024-01-01", "!!binary aGk=", "!!binary *bad*", "=", "+1"],
        *["!!null ''", "!!int 0x" + "f" * 40, "12:30:00", "&v anchored", "*v", "*nowhere", "-"],
        "'a''b'",
    ]
)


@st.composite
def block(draw: st.DrawFn, depth: int = 0, indent: str = "") -> list[str]:
    """Lines of a block mapping: nested mappings and lists, flow collections, block scalars,
    tags, anchors and aliases, merge keys, repeated and colliding keys."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        key = draw(KEYS)
        kind = draw(
            st.sampled_from(["scalar", "map", "seq", "items", "flow", "text", "set", "merge"])
        )
        if kind == "scalar" or depth >= 3:
            lines.append(f"{indent}{key}: {draw(SCALARS)}")
        elif kind == "map":
            lines.append(f"{indent}{key}: {draw(st.sampled_from(['', '&m', '!!map']))}")
            lines += draw(block(depth + 1, indent + "  "))
        elif kind == "seq":
            lines.append(f"{indent}{key}:")
            for _ in range(draw(st.integers(1, 3))):
                lines.append(f"{indent}  - {draw(SCALARS)}")
        elif kind == "items":
            lines.append(f"{indent}{key}:")
            for _ in range(draw(st.integers(1, 3))):
                inner = draw(block(depth + 1, indent + "    "))
                lines += [f"{indent}  - {inner[0].lstrip()}", *inner[1:]]
        elif kind == "flow":
            items = ", ".join(draw(st.lists(SCALARS.filter(bool), max_size=3)))
            lines.append(f"{indent}{key}: {{k: [{items}], m: {draw(SCALARS)}}}")
        elif kind == "text":
            style = draw(st.sampled_from(["|", ">", "|-"]))
            lines += [f"{indent}{key}: {style}", f"{indent}  one", f"{indent}  two", ""]
        elif kind == "set":
            lines.append(f"{indent}{key}: !!set {{p, q}}")
        else:
            source = draw(st.sampled_from(["*m", "[*m, {a: 2}]", "{a: 3}", "[1]", "*m2", "7"]))
            lines.append(f"{indent}<<: {source}")
    return lines


@st.composite
def files(draw: st.DrawFn) -> str:
    docs = []
    for _ in range(draw(st.integers(1, 2))):
        head = draw(st.sampled_from([[], ["base: &m {a: 1, b: [x]}", "c: *m"], ["<<: {a: 1}"]]))
        docs.append("\n".join(head + draw(block())))
    return "\n---\n".join(docs) + "\n"


def _same(a: Any, b: Any) -> bool:
    """Equal, with the same types throughout (1, 1.0 and True differ; NaN equals NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(
            _same(x, y) and _same(a[x], b[y]) for x, y in zip(a, b, strict=True)
        )
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if vars(a) if hasattr(a, "__dict__") else False:
        return a == b and _same(vars(a), vars(b))
    return bool(a == b)


def _outcome(build: Any, root: yaml.Node, lines: list[str]) -> tuple[str, Any, list[Any]]:
    problems: list[Any] = []
    odd: list[bool] = []
    try:
        return "data", build(root, lines, problems, odd), [*problems, odd]
    except yaml_tree.TooDeep as error:
        return "deep", error.node, [*problems, odd]
    except yaml_tree.TooManyNodes:
        return "many", None, [*problems, odd]


def _nodes(node: yaml.Node) -> list[tuple[str, str, Any]]:
    """The composed tree in order: each node's kind, tag and scalar value."""
    found: list[tuple[str, str, Any]] = []
    pending = [node]
    while pending:
        node = pending.pop()
        value = node.value if isinstance(node, yaml.ScalarNode) else None
        found.append((type(node).__name__, node.tag, value))
        if isinstance(node, yaml.MappingNode):
            pending.extend(n for pair in reversed(node.value) for n in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(reversed(node.value))
        if len(found) > 10_000:  # an alias met again and again: enough compared
            break
    return found


def _compare(text: str) -> None:
    lines = text.splitlines()
    try:
        ours = list(yaml_tree.compose_all(text))
    except yaml.YAMLError as error:
        with pytest.raises(yaml.YAMLError) as theirs:
            list(yaml.compose_all(text, Loader=yaml.CSafeLoader))
        assert str(theirs.value) == str(error)
        return
    reference = list(yaml.compose_all(text, Loader=yaml.CSafeLoader))
    assert len(ours) == len(reference)
    for root, other in zip(ours, reference, strict=True):
        if root is None:
            assert other is None
            continue
        # the resolver's shortcuts tag every node as PyYAML's own resolver does
        assert _nodes(root) == _nodes(other), text
        fast = _outcome(plain.build, root, lines)
        slow = _outcome(yaml_tree.build, root, lines)
        assert fast[0] == slow[0], text
        # the same problems, in the same order, and the same note of data JSON does not hold
        assert fast[2] == slow[2], text
        if fast[0] == "deep":
            assert fast[1] is slow[1]
        else:
            assert _same(fast[1], slow[1]), (text, fast[1], slow[1])


@settings(max_examples=500, deadline=None)
@given(text=files())
@example(text="a: 1\na: 2\n")  # a duplicate key: built again with pointers
@example(text="a: &x {b: 1}\nc:\n  <<: [*x, {b: 2}]\n  <<: *x\n")
@example(text="? [p, q]\n: 1\n!!int 7: x\n")
@example(text="a: !!int 0x" + "f" * 4000 + "\nb: !!float y\n")
@example(text="a: !\nb: ! \nc: !custom\n")
@example(text="a: !!set {p, q}\nb: !!timestamp 2024-13-45\nc: !!binary aGk=\n")
def test_plain_build_is_the_general_builder(text: str) -> None:
    _compare(text)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 101 + "]" * 101,  # one level too deep
        "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 102)),
        "[" * 100 + "]" * 100,  # deep, within the limit
        "[" + "x, " * (yaml_tree.MAX_NODES) + "]",  # one node too many (the list is one)
        "[" + "x, " * (yaml_tree.MAX_NODES - 1) + "]",  # just fits
        "{" + ", ".join(f"k{i}: v" for i in range(yaml_tree.MAX_NODES)) + "}",  # values
        "{" + ", ".join(f"k{i}: v" for i in range(yaml_tree.MAX_NODES - 1)) + "}",  # just fits
        "a: &a [x, y]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: [*c, *c, *c, *c]\n",
    ],
)
def test_limits_are_met_where_the_general_builder_meets_them(text: str) -> None:
    _compare(text)


VALUES = st.one_of(
    st.text(max_size=8),
    st.sampled_from(["", "~", "null", "Null", "y", "No", "0", "0x1F", "-1.5e3", ".inf", "<<"]),
    st.sampled_from(["2024-01-01", "2024-01-01 10:00:00", "=", "1_0", "+.5", "0b11", "12:30"]),
    st.text(alphabet="0123456789.:-+_eExXoObB", max_size=12),
    st.text(min_size=250, max_size=270),  # around the memo's length limit
)


@settings(max_examples=2000, deadline=None)
@given(
    kind=st.sampled_from([yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode]),
    value=VALUES,
    implicit=st.tuples(st.booleans(), st.booleans()),
)
def test_the_resolver_answers_what_pyyaml_answers(
    kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]
) -> None:
    loader = resolving.Loader("")
    reference = yaml.CSafeLoader("")
    try:
        value_given = None if kind is not yaml.ScalarNode else value
        shape: Any = implicit if kind is yaml.ScalarNode else implicit[0]
        assert loader.resolve(kind, value_given, shape) == reference.resolve(
            kind, value_given, shape
        )
        assert loader.resolve(kind, value_given, shape) == reference.resolve(
            kind, value_given, shape
        )  # from the memo, the second time
    finally:
        loader.dispose()
        reference.dispose()


def test_the_path_resolver_hooks_do_nothing() -> None:
    """Without path resolvers PyYAML's hooks do nothing; ours are C callables that look in an
    empty mapping (the composer ignores what they return: the property above compares trees)."""
    assert yaml.CSafeLoader.yaml_path_resolvers == {}
    descend, ascend = resolving.Loader.descend_resolver, resolving.Loader.ascend_resolver
    assert descend.__self__ == {} and ascend.__self__ == ()  # type: ignore[attr-defined]
    loader = resolving.Loader("a: [1, {b: 2}]")
    try:
        assert loader.descend_resolver is descend  # not bound to the loader
        loader.get_single_node()
    finally:
        loader.dispose()
    assert descend.__self__ == {}  # type: ignore[attr-defined]


def test_a_corpus_file_loads_as_before(tmp_path: Path) -> None:
    """A product as benchmarks/corpus.py writes it, through `document.parse`."""
    text = (
        "apiVersion: floe.dev/v1\nkind: FloeProduct\nmetadata:\n  name: orders_00001\n"
        "platform:\n  ref: ../../../platform/domains/sales/manifest.yaml\n"
        "transforms:\n  - path: models/a/\n    compute: duckdb\n    schedule: '0 * * * *'\n"
        "  - {path: models/b/, compute: spark, retries: 3, enabled: true, ratio: 0.5}\n"
    )
    source = parse(tmp_path / "floe.yaml", text.encode())
    composed = next(iter(yaml.compose_all(text, Loader=yaml.CSafeLoader)))
    problems: list[Any] = []
    assert _same(source.documents[0].data, yaml_tree.build(composed, text.splitlines(), problems))
    assert source.problems == problems == []
    data = source.documents[0].data
    texts = [*data, *data["metadata"].values(), *data["transforms"][1], data["platform"]["ref"]]
    assert all(sys.intern(t) is t for t in texts if type(t) is str)  # one copy of each, kept
