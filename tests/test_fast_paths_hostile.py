"""Red-team cases for issue 17's fast paths, on hostile input:

- the schema check written as code (`schemacode`, used once a schema judged 256 documents)
  never proves valid a document that `jsonschema` (with JSON Schema's `$`, as `validation`
  runs it) refuses: real documents with values a YAML file can hold in their place (a bool
  where a number goes, 1.0, a huge int, NaN and infinities, keys that are not text, dates,
  bytes, text with a final line break);
- a file released by a streamed `check` and changed on disk before a report reads it again
  is one clear error naming it, never a report of text the run did not check.
"""

from __future__ import annotations

import copy
import datetime
import io
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.cli import main
from floe_lint.lint import engine, stream
from floe_lint.load import document, schemacode
from floe_lint.load.fastschema import proves_valid
from floe_lint.load.validation import _optional, _validator, schema

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
#: (schema name, data) of every document of the examples, both dialects
DOCS = [
    (f"{doc.kind}-floe" if doc.dialect == "floe" else str(doc.kind), doc.data)
    for path in sorted(EXAMPLES.rglob("*.y*ml"))
    for doc in document.load(path).documents
    if doc.kind in ("floe", "manifest") and isinstance(doc.data, dict)
]
HOSTILE = [
    True,
    False,
    0,
    1,
    1.0,
    2**70,
    -(2**70),
    math.nan,
    math.inf,
    -math.inf,
    "",
    "1.0.0\n",
    "x" * 300,
    None,
    [],
    {},
    {1: "a"},
    {True: 1},
    {None: 1},
    datetime.date(2024, 1, 1),
    b"\x00",
    "é\u0000",
    [None],
    {"": 1},
    "duckdb",
    "strict",
]


def _places(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _places(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _places(value, (*at, index))
    return found


def _put(node: Any, at: tuple[Any, ...], value: Any) -> Any:
    if not at:
        return value
    holder = node
    for step in at[:-1]:
        holder = holder[step]
    holder[at[-1]] = value
    return node


@settings(max_examples=300, deadline=None)
@given(
    which=st.integers(0, len(DOCS) - 1),
    changes=st.lists(st.tuples(st.integers(0), st.sampled_from(HOSTILE)), min_size=1, max_size=3),
    overlay=st.booleans(),
)
def test_the_written_check_never_passes_what_jsonschema_refuses(
    which: int, changes: list[tuple[int, Any]], overlay: bool
) -> None:
    name, data = DOCS[which]
    data = copy.deepcopy(data)
    for pick, value in changes:
        places = _places(data)
        data = _put(data, places[pick % len(places)], copy.deepcopy(value))
    raw = _optional(schema(name)) if overlay else schema(name)
    written = schemacode.write(raw)
    assert written is not None
    if proves_valid(written, data):
        # the validator `validation` runs (JSON Schema's `$`), over the schema judged
        validator = type(_validator(name))(raw)
        assert validator.is_valid(data), data


#: values that a YAML file can hold where a number, a text or a mapping goes
CONFUSING = [True, 1.0, 2**70, math.nan, math.inf, {1: "a"}, datetime.date(2024, 1, 1), "1.0.0\n"]


@pytest.mark.parametrize("name", sorted({name for name, _ in DOCS}))
def test_each_place_of_each_example_holding_a_confusing_value(name: str) -> None:
    """Every place of every example document in turn, with each value of CONFUSING."""
    written = schemacode.write(schema(name))
    validator = _validator(name)
    passed = 0
    for kind, data in DOCS:
        if kind != name:
            continue
        for at in _places(data)[1:]:
            for value in CONFUSING:
                changed = _put(copy.deepcopy(data), at, value)
                if proves_valid(written, changed):
                    passed += 1
                    assert validator.is_valid(changed), (at, value)
    assert passed > 0


def test_a_released_file_changed_before_the_report_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    (root / "products" / "orders").mkdir(parents=True)
    (root / "manifest.yaml").write_text(
        "scope: enterprise\nmetadata: {name: acme}\n"
        "plugins:\n  compute:\n    approved: [duckdb]\n    default: duckdb\n",
        "utf-8",
    )
    product = root / "products" / "orders" / "floe.yaml"
    product.write_text(
        "name: orders\nplatform: {ref: ../../manifest.yaml}\n"
        "transforms:\n  - {type: dbt, path: models/a/, compute: spark}\n",
        "utf-8",
    )
    run = engine.run

    def then_edited(*args: Any, **kwargs: Any) -> engine.Result:
        result = run(*args, **kwargs)
        product.write_text(product.read_text("utf-8").replace("spark", "duckdb"), "utf-8")
        return result

    monkeypatch.chdir(root)
    monkeypatch.setattr(stream, "GROUP", 1)
    monkeypatch.setattr(engine, "run", then_edited)
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", ".", "--no-cache", "--jobs", "1", "--format", "sarif"], out, err)
    assert code == 2
    assert err.getvalue() == (
        "floe-lint: error: products/orders/floe.yaml: changed while floe-lint checked it; "
        "run it again\n"
    )
    assert out.getvalue() == ""


def _enterprise_and_product(tmp_path: Path, compute: str, overlay: str) -> None:
    """`platform/manifest.yaml` (an enterprise approving duckdb and spark) and product `a`
    running its one transform on `compute`, with `overlay` as its `floe.prod.yaml`."""
    (tmp_path / "platform").mkdir()
    (tmp_path / "products" / "a").mkdir(parents=True)
    (tmp_path / "platform" / "manifest.yaml").write_text(
        "scope: enterprise\nmetadata: {name: acme}\n"
        "plugins:\n  compute:\n    approved: [duckdb, spark]\n    default: duckdb\n",
        "utf-8",
    )
    (tmp_path / "products" / "a" / "floe.yaml").write_text(
        "name: a\nplatform: {ref: ../../platform/manifest.yaml}\n"
        f"transforms:\n  - {{type: dbt, path: models/a/, compute: {compute}}}\n",
        "utf-8",
    )
    (tmp_path / "products" / "a" / "floe.prod.yaml").write_text(overlay, "utf-8")


def test_a_stream_that_stops_at_a_manifest_checks_its_released_overlays_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check products platform` in a workspace: the stream checks and releases the products'
    group, stops at the manifest's (its dependents are searched first) and checks everything
    again holding it, a released overlay included (read again, its models made anew): the
    same findings as a run that never released, not an internal error."""
    _enterprise_and_product(
        tmp_path, compute="spark", overlay="transforms:\n  - {path: models/a/, compute: duckdb}\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(stream, "GROUP", 1)  # the products' group is released before the stop
    out, err = io.StringIO(), io.StringIO()
    args = ["check", "products", "platform", "--workspace", ".", "--no-cache", "--jobs", "1"]
    code = main(args, out, err)
    assert (code, err.getvalue()) == (1, "floe-lint: 1 error (3 files checked)\n")
    assert out.getvalue() == (
        "products/a/floe.prod.yaml:2:32: ERROR FL401 [environment-override] a per-environment "
        "file changes the compute; a transform must run on the same compute in every "
        "environment (ADR-0010)\n"
    )


def test_a_served_finding_shadows_a_schema_finding_whatever_its_path_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check .` stores the product's environment-override findings with the path a walk gave
    (`products/a/floe.prod.yaml`); `check platform` reaches the product as a dependent (an
    absolute path), is served those findings, and runs the schema rules on the overlay afresh
    (an overlay's schema findings are never served). The schema finding on the node that
    environment-override explains is dropped, as in a cold run: the same file whatever the
    spelling of its findings' paths."""
    (tmp_path / ".git").mkdir()  # the workspace's root
    _enterprise_and_product(
        tmp_path,
        compute="duckdb",
        overlay="transforms: [{path: models/a/, compute: {prod: spark}}]\n",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FLOE_LINT_NO_CACHE", raising=False)
    # outside the checkout (tests/test_cache_trust.py: one inside it is not used)
    monkeypatch.setenv("FLOE_LINT_CACHE_DIR", str(tmp_path.with_name(f"{tmp_path.name}-cache")))

    def check(*args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        return main(["check", *args, "--jobs", "1"], out, err), out.getvalue(), err.getvalue()

    cold = check("platform", "--no-cache")
    assert cold == (
        1,
        "products/a/floe.prod.yaml:1:41: ERROR FL401 [environment-override] a per-environment "
        "file changes the compute; a transform must run on the same compute in every "
        "environment (ADR-0010)\n"
        "products/a/floe.prod.yaml:1:41: ERROR FL401 [environment-override] transform "
        "'models/a/' selects compute per environment (prod); a transform must run on the same "
        "compute in every environment (ADR-0010)\n",
        "floe-lint: 2 errors (2 files checked, 1 of them dependent of the changed manifests)\n",
    )
    check(".")  # stores the product's findings, its paths as the walk spelled them
    assert check("platform") == cold
