"""The rules' fast paths (issue 17) report exactly what the slow ones they replace reported:
a transform's compute read from its own mapping, its pointers remembered, and
environment-override walking plain values and building nodes only for what it reports.
Each slow path is kept here, verbatim, and compared with the rule on random input."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import rules.environment_override as rule
from floe_lint.cli import main
from floe_lint.fix.text import LineTable
from floe_lint.load.document import Document, Node
from floe_lint.model.dialects import adr0010, floe
from floe_lint.model.product import _normalized, normalized_path

KEYS = st.sampled_from(
    [
        *("compute", "platform", "ref", "manifest", "parent_manifest", "transforms", "path"),
        *("name", "defaults", "plugins", "approved", "default", "type", "a/b", "x~y", "dev"),
    ]
)
ODD_KEYS = st.one_of(KEYS, st.sampled_from([1, True, None, 2.5]))
SCALARS = st.one_of(
    st.sampled_from(["duckdb", "spark", "models/x/", "./models/x", "manifest.yaml", "other.yaml"]),
    st.none(),
    st.integers(0, 2),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(ODD_KEYS, inner, max_size=4)
    ),
    max_leaves=14,
)
TRANSFORMS = st.lists(
    st.one_of(
        st.fixed_dictionaries({"path": SCALARS}, optional={"compute": VALUES, "name": SCALARS}),
        SCALARS,
    ),
    max_size=4,
)


@settings(max_examples=300, deadline=None)
@given(transforms=TRANSFORMS, dialect=st.sampled_from([adr0010, floe]))
def test_a_transforms_compute_and_nodes_are_what_the_document_holds(
    transforms: list[Any], dialect: Any
) -> None:
    doc = Document(Path("floe.yaml"), 0, {"transforms": transforms}, kind="floe")
    for transform in dialect.product(doc).transforms:
        node = doc.node("/transforms").child(transform.index)
        assert transform.node == node
        assert transform.compute_node == node.child("compute")
        assert transform.identity_node == node.child(transform.identity_key)
        assert transform.compute == transform.compute_node.value


def test_a_compute_node_elsewhere_is_read_there() -> None:
    doc = Document(Path("floe.yaml"), 0, {"transforms": [{"compute": "a"}], "x": "b"})
    (transform,) = adr0010.product(doc).transforms
    moved = type(transform)(
        0, transform.data, transform.node, None, transform.node, Node(doc, "/x")
    )
    assert moved.compute == "b"


# The slow paths, as environment-override had them before issue 17.
def _walk(value: Any, node: Node, parent_key: str) -> Iterator[tuple[Node, str, Any, str]]:
    if isinstance(value, dict):
        for key, child in value.items():
            child_node = node.child(str(key))
            yield child_node, str(key), child, parent_key
            yield from _walk(child, child_node, str(key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk(child, node.child(index), parent_key)


def _overlay(overlay: Document, base: Document, root: Node, ctx: Any) -> Iterator[Any]:
    where = "a per-environment file" if overlay is not base else f"'{root.key}'"
    model = ctx.model_of(base)
    if isinstance(model, rule.Product):
        base_paths = {
            rule.normalized_path(t.identity): t.compute_node.value
            for t in model.transforms
            if t.identity
        }
        base_names: list[str] = []
        base_default = None
    else:
        base_paths, base_names = {}, [e.name for e in model.entries]
        base_default = model.default
    yield from _pinned(root, base, where, ctx)
    for node, key, value, parent_key in _walk(root.value, root, ""):
        if key == "compute" and parent_key == "defaults":
            continue
        if key == "compute" and (
            isinstance(value, str) or (isinstance(value, dict) and parent_key != "plugins")
        ):
            item = node.parent.value
            path = item.get("path", item.get("name")) if isinstance(item, dict) else None
            if isinstance(path, str) and base_paths.get(rule.normalized_path(path)) == value:
                continue
            yield ctx.finding(node, f"{where} changes the compute; {rule.PARITY}")
        elif key == "default" and parent_key == "compute" and value != base_default:
            yield ctx.finding(node, f"{where} changes the default compute; {rule.PARITY}")
        elif key == "approved" and parent_key == "compute" and isinstance(value, list):
            names = [
                v if isinstance(v, str) else v.get("name")
                for v in value
                if isinstance(v, str | dict)
            ]
            if names != base_names:
                yield ctx.finding(node, f"{where} changes the approved computes; {rule.PARITY}")


def _paths(value: Any, node: Node, keys: tuple[str, ...]) -> Iterator[tuple[Node, tuple[str, ...]]]:
    if isinstance(value, dict):
        for key, child in value.items():
            child_node = node.child(str(key))
            path = (*keys, str(key))
            yield child_node, path
            yield from _paths(child, child_node, path)


def _pinned(overlay_root: Node, base: Document, where: str, ctx: Any) -> Iterator[Any]:
    for node, keys in _paths(overlay_root.value, overlay_root, ()):
        match = next((p for p in rule.PINNED if keys[-len(p) :] == p), None)
        if match is None:
            continue
        label, why = rule.PINNED[match]
        base_node = base.node("/" + "/".join(match))
        if (base_node.value if base_node.exists else None) == node.value:
            continue
        if base_node.exists:
            at = base_node.span()
            said = (
                f"changes {label}, which the base {base.path.name} sets at line "
                f"{at.start_line}, column {at.start_col}"
            )
            related = [ctx.related(base_node, f"{label} in the base file")]
        else:
            said, related = f"sets {label}, which the base {base.path.name} does not set", []
        yield ctx.finding(node, f"{where} {said}; {why}", related=related)


def _blocks(doc: Document, names: tuple[str, ...]) -> Iterator[Node]:
    for block in names:
        node = doc.node().child(block)
        if isinstance(node.value, dict):
            yield node


EXAMPLE_BLOCKS = [
    {1: {"path": "models/x/", "compute": "duckdb"}},
    {True: {"platform": {"ref": "manifest.yaml"}}},
]


def _report(root: Path) -> tuple[int, str]:
    out = io.StringIO()
    code = main(
        ["check", str(root), "--no-cache", "--format", "json", "--select", "FL401"],
        out,
        io.StringIO(),
    )
    return code, out.getvalue()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(  # a key that is not text on the way: the pointer reads what the old walk read
    block={1: {"path": "models/x/", "compute": "duckdb"}}, variant=None, manifest_block={}
)
@example(block={True: {"platform": {"ref": "manifest.yaml"}}}, variant=None, manifest_block={})
@example(block={}, variant={"plugins": {"compute": {"default": "spark"}}}, manifest_block={})
@example(
    block={"transforms": [{"path": "./models/x", "compute": "spark"}]},
    variant={"platform": {"ref": "other.yaml"}, "parent_manifest": "x.yaml"},
    manifest_block={"plugins": {"compute": {"approved": ["duckdb"], "type": "spark"}}},
)
@given(
    block=st.dictionaries(ODD_KEYS, VALUES, max_size=3),
    variant=st.one_of(st.none(), st.dictionaries(ODD_KEYS, VALUES, max_size=3)),
    manifest_block=st.dictionaries(ODD_KEYS, VALUES, max_size=3),
)
def test_environment_override_reports_what_the_slow_walk_reported(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    block: dict[Any, Any],
    variant: dict[Any, Any] | None,
    manifest_block: dict[Any, Any],
) -> None:
    root = tmp_path_factory.mktemp("overlay")
    product = {
        "name": "orders",
        "platform": {"ref": "manifest.yaml"},
        "transforms": [{"path": "models/x/", "compute": "duckdb"}, {"name": "y", "path": 3}],
        "environments": {"prod": block, "dev": {"transforms": [block]}},
    }
    manifest = {
        "scope": "domain",
        "parent_manifest": "enterprise.yaml",
        "plugins": {"compute": {"approved": ["duckdb", {"name": "spark"}], "default": "duckdb"}},
        "overrides": {"prod": manifest_block},
    }
    (root / "floe.yaml").write_text(yaml.safe_dump(product, sort_keys=False))
    (root / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    (root / "enterprise.yaml").write_text("scope: enterprise\n")
    if variant is not None:
        (root / "floe.prod.yaml").write_text(yaml.safe_dump(variant, sort_keys=False))
        (root / "manifest.dev.yaml").write_text(yaml.safe_dump(variant, sort_keys=False))
    fast = _report(root)
    if block in EXAMPLE_BLOCKS:  # the examples above are reported (the comparison means something)
        assert '"environment-override"' in fast[1]
    with monkeypatch.context() as slow:
        slow.setattr(rule, "_overlay", _overlay)
        slow.setattr(rule, "_blocks", _blocks)
        assert _report(root) == fast


def _line_starts(text: str) -> list[int]:
    """LineTable's character loop before issue 17 (libyaml's line breaks, CRLF as one)."""
    starts = [0]
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "\r\n\x85\u2028\u2029":
            if c == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            starts.append(i + 1)
        i += 1
    return starts


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \t#:\r\n\x85\u2028\u2029\u00e9")), max_size=40))
def test_the_line_table_finds_the_breaks_the_loop_found(text: str) -> None:
    assert LineTable(text).starts == _line_starts(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("./ xm\t")), max_size=8), max_size=6))
def test_normalized_paths_are_remembered_as_computed(paths: list[str]) -> None:
    for path in paths * 2:  # the second time from the memo
        assert normalized_path(path) == _normalized(path)
    assert normalized_path(" ./././models/x// ") == "models/x"
