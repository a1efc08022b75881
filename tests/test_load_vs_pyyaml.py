"""What floe-lint loads is what upstream Floe's runtime loads: a file floe-lint reads with no
load problem (no yaml-syntax, duplicate-key or merge-key finding) gives, through
`tagged.pyyaml_view`, the data PyYAML's own safe loader (`yaml.safe_load`, upstream Floe's)
builds from it, and a file PyYAML refuses is reported. Random documents with tags, merges of
merges, colliding keys and anchors (tests/test_plain_build.py's), and hostile cases."""

from __future__ import annotations

import datetime
import io
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from floe_lint.cli import main
from floe_lint.load import tagged
from floe_lint.load.document import parse
from tests.test_plain_build import files


def _key(key: Any) -> Any:
    """PyYAML's key as floe-lint keeps it (a timestamp or !!binary key stays its text)."""
    if isinstance(key, datetime.date):
        return key.isoformat()
    return key


def _same(ours: Any, theirs: Any) -> bool:
    """Equal with the same types throughout (1, 1.0 and True differ; NaN equals NaN)."""
    if isinstance(theirs, datetime.date | bytes | set):
        return bool(ours == theirs)
    if type(ours) is not type(theirs):
        return False
    if isinstance(ours, dict):
        keys = {_key(k): v for k, v in theirs.items()}
        return len(keys) == len(ours) and all(
            k in keys and _same(v, keys[k]) for k, v in ours.items()
        )
    if isinstance(ours, list):
        return len(ours) == len(theirs) and all(
            _same(x, y) for x, y in zip(ours, theirs, strict=True)
        )
    if isinstance(ours, float) and math.isnan(ours):
        return math.isnan(theirs)
    return bool(ours == theirs)


def _agree(text: str) -> None:
    source = parse(Path("floe.yaml"), text.encode())
    try:
        theirs = [d for d in yaml.load_all(text, Loader=yaml.SafeLoader) if d is not None]
    except Exception as error:  # (a bad date: ValueError, !!bool 3: KeyError)
        assert source.problems, f"PyYAML refuses {text!r} ({error}); floe-lint reports nothing"
        return
    if source.problems:
        return
    ours = [tagged.pyyaml_view(d.data) for d in source.documents if d.data is not None]
    assert _same(ours, theirs), (text, ours, theirs)


@st.composite
def merges_of_merges(draw: st.DrawFn) -> str:
    """Sources that set a key over their own merge, merged again (in a list or alone), with
    keys that share their text object in CPython (one character, an anchored key and its
    alias) and keys that do not."""
    key = draw(st.sampled_from(["x", "compute", "1", "'1'", "é", "''", "&k compute"]))
    alias = "*k " if key.startswith("&") else key
    values = st.sampled_from(["duckdb", "spark", "1", "~"])
    lines = [f"a: &a {{{key}: {draw(values)}, y: {draw(values)}}}"]
    own = f", {alias}: {draw(values)}" if draw(st.booleans()) else ""
    lines.append(f"b: &b {{<<: {draw(st.sampled_from(['*a', '[*a]', '{z: 1}']))}{own}}}")
    source = draw(st.sampled_from(["*b", "[*b]", "[*a, *b]", "[*b, *a]", "[*b, {q: 1}]"]))
    mine = f", {alias}: set" if draw(st.booleans()) else ""
    lines.append(f"c: {{<<: {source}{mine}}}")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None)
@given(text=merges_of_merges())
@example(text="a: &a {x: 1}\nb: &b {<<: *a, x: 2}\nc: {<<: *b}\n")
@example(text="a: &a {&k compute: spark}\nb: &b {<<: *a, *k : duckdb}\nc: {<<: *b}\n")
@example(text="b: &b {1: a}\nc: &c {'1': b}\na: {<<: [*b, *c]}\n")
def test_a_merge_of_a_merge_reads_as_pyyaml_reads_it_or_is_reported(text: str) -> None:
    _agree(text)


@settings(max_examples=400, deadline=None)
@given(text=files())
@example(text="!custom k: duckdb\n")
@example(text="!!python/name:os.system k: v\n")
@example(text="=: a\nb: 1\n")  # PyYAML reads a key '=' as text
@example(text="a: {k: [!, duckdb], m: duckdb}\n")  # PyYAML reads the tag '!,'
@example(text="a: {k: !!str,m: 1}\n")
@example(text="a: {u: https://h/p?q=1}\nb: [x?y]\n")  # PyYAML ends the text at the '?'
@example(text="a: [?x]\nb: why?\n")  # a key of a flow sequence; a '?' in block text
def test_floe_lint_reads_what_pyyaml_reads(text: str) -> None:
    assume("!," not in text and "!]" not in text)
    _agree(text)


def _check(tmp_path: Path, product: str, *options: str) -> tuple[int, str]:
    (tmp_path / "manifest.yaml").write_text(
        "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
    )
    (tmp_path / "floe.yaml").write_text(product)
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", *options, "floe.yaml"], stdout=out, stderr=err)
    return code, out.getvalue()


def test_an_unknown_tag_on_a_key_is_reported_where_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PyYAML's safe loader refuses a file with a key tagged !custom (or !!python/...): floe-lint
    read it as text and passed the file."""
    monkeypatch.chdir(tmp_path)
    code, out = _check(
        tmp_path,
        "name: orders\nplatform: {ref: manifest.yaml}\n"
        "transforms:\n  - {path: models/a/, !!python/name:os.system compute: duckdb}\n",
    )
    assert code == 1
    assert (
        "floe.yaml:4:23: ERROR FL001 [yaml-syntax] unknown YAML tag '!!python/name:os.system': a "
        "safe YAML loader (upstream Floe's yaml.safe_load) refuses the file; remove the tag"
    ) in out, out


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_compute_pyyaml_6_0_4_reads_from_a_merge_of_a_merge_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    """PyYAML 6.0.4 reads `compute: snowflake` (not approved) here, since its merge drops the
    second pair of the anchored key; floe-lint read duckdb and found nothing there."""
    monkeypatch.chdir(tmp_path)
    product = (
        "name: orders\nplatform: {ref: manifest.yaml}\n"
        "transforms:\n"
        "  - &base {&c compute: snowflake, type: dbt, path: models/a/}\n"
        "  - &ok {<<: *base, *c : duckdb, path: models/b/}\n"
        "  - {<<: *ok, path: models/c/}\n"
    )
    assert yaml.safe_load(product)["transforms"][2]["compute"] == "snowflake"
    code, out = _check(tmp_path, product, "--jobs", jobs)
    assert code == 1
    assert (
        "floe.yaml:6:6: ERROR FL005 [merge-key] 'compute' is merged here with the values at "
        "line 4, column 24 and line 5, column 26: PyYAML 6.0.4 reads the first, earlier "
        "versions the last, so Floe may run either; set 'compute' in this mapping"
    ) in out, out
    # and what 6.0.4 reads is what is checked, placed where this transform takes it
    assert (
        "floe.yaml:6:10: ERROR FL201 [compute-not-approved] transform 'models/c/' selects "
        "compute 'snowflake'"
    ) in out, out


@pytest.mark.parametrize(
    ("line", "col"),
    [
        ("  - {path: models/a/, tags: [!!str, daily]}", 30),
        ("  - {path: models/a/, tags: [!, x]}", 30),
    ],
)
def test_a_tag_against_a_comma_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, col: int
) -> None:
    """libyaml ends a tag at a ',' of a flow collection, PyYAML reads it into the tag and
    refuses the file: floe-lint passed both (tags ['', 'daily'])."""
    monkeypatch.chdir(tmp_path)
    product = f"name: orders\nplatform: {{ref: manifest.yaml}}\ntransforms:\n{line}\n"
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(product)
    code, out = _check(tmp_path, product)
    assert code == 1
    assert (
        f"floe.yaml:4:{col}: ERROR FL001 [yaml-syntax] a tag written against a ',': libyaml ends "
        "the tag there, but upstream Floe's yaml.safe_load (PyYAML's own parser) reads the ',' "
        "into the tag and refuses the file; put a space after the tag"
    ) in out, out


def test_a_question_mark_in_flow_text_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libyaml reads `why?` in a flow mapping as text, PyYAML ends the text at the '?' and
    refuses the file: floe-lint passed it."""
    monkeypatch.chdir(tmp_path)
    product = (
        "name: orders\nplatform: {ref: manifest.yaml}\n"
        "transforms:\n  - {path: models/a/, description: why?}\n"
    )
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(product)
    code, out = _check(tmp_path, product)
    assert code == 1
    assert (
        "floe.yaml:4:39: ERROR FL001 [yaml-syntax] a '?' inside unquoted text in a flow "
        "collection ('{...}' or '[...]'): libyaml reads it as text, but upstream Floe's "
        "yaml.safe_load (PyYAML's own parser) ends the text there and refuses the file; quote "
        "the text"
    ) in out, out
