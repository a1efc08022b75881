"""The quick tests that let rules skip work (issue 17) never skip a file the full test would
report on: secret-literal and ref-credential look at a file's text first, environment-override
lists a folder without pathlib's glob."""

from __future__ import annotations

import json
import tempfile
from fnmatch import fnmatchcase
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.lint.context import _siblings
from floe_lint.load.document import parse
from floe_lint.secrets import (
    literal_credentials,
    may_hold_credentials,
    may_hold_url_credentials,
)
from tests.conftest import run_cli

WORDS = ["password", "dbPassword", "pw", "Token", "api_key", "secretAccessKey", "name", "host"]
KEYS = st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=12))
SCALARS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["https://u:p@h/x", "oci://me:pw@reg.example/p:1", "s3cr3t"]),
    st.integers(),
    st.none(),
)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=3)),
    max_leaves=12,
)


def _urls(data: object) -> bool:
    if isinstance(data, str):
        return "://" in data and "@" in data
    if isinstance(data, dict):
        return any(_urls(v) for v in data.values())
    if isinstance(data, list):
        return any(_urls(v) for v in data)
    return False


@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(KEYS, DATA, min_size=1, max_size=4), style=st.sampled_from("yj"))
def test_a_text_the_quick_tests_pass_over_holds_nothing(
    data: dict[str, object], style: str
) -> None:
    """Whatever the quoting, escapes or flow style a serializer chooses, a document with a
    credential or a URL with one is never skipped."""
    if style == "y":
        text = yaml.safe_dump(data, allow_unicode=bool(len(str(data)) % 2))
        suffix = ".yaml"
    else:
        text = json.dumps(data, ensure_ascii=bool(len(str(data)) % 2))
        suffix = ".json"
    source = parse(Path("x" + suffix), text.encode())
    for doc in source.documents:
        if any(literal_credentials(doc.data)):
            assert may_hold_credentials(source.text)
        if _urls(doc.data):
            assert may_hold_url_credentials(source.text)


def test_escapes_and_folding_are_not_skipped() -> None:
    # an escaped key and an escaped URL: the characters are not in the text as they read
    escaped = '"pass\\x77ord": x\nref: "oci://me:pw\\x40reg.example/p:1"\n'
    data = parse(Path("x.yaml"), escaped.encode()).documents[0].data
    assert data == {"password": "x", "ref": "oci://me:pw@reg.example/p:1"}
    assert may_hold_credentials(escaped) and may_hold_url_credentials(escaped)
    # a folded URL is joined with a blank, never into `://`
    for text in ('ref: "oci:\n  //me:pw@reg"\n', "ref: oci:/\n  /me:pw@reg\n"):
        folded = parse(Path("x.yaml"), text.encode()).documents[0].data
        assert folded["ref"] in ("oci: //me:pw@reg", "oci:/ /me:pw@reg")
        assert not may_hold_url_credentials(text)
    assert not may_hold_credentials("name: orders\nhost: db.example\n")


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(
        st.text(alphabet="fl[]*?.oeyamlprd-_x", min_size=1, max_size=16), max_size=12, unique=True
    ),
    base=st.sampled_from(["floe", "manifest", "[x]", "a*", ".hidden", "floe?"]),
)
def test_siblings_are_what_pathlib_glob_finds(names: list[str], base: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name in names:
            if name not in (".", ".."):
                (root / name).write_text("a: 1\n")
        pattern = f"{base}.*.y*ml"
        found = _siblings(root, lambda name: fnmatchcase(name, pattern))
        assert found == sorted(root.glob(pattern))


def test_an_overlay_is_still_compared_with_its_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """environment-override reads `floe.prod.yaml` beside `floe.yaml` through the listing."""
    (tmp_path / "manifest.yaml").write_text(
        "scope: enterprise\nplugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n"
    )
    (tmp_path / "floe.yaml").write_text(
        "name: orders\nplatform: {ref: ./manifest.yaml}\n"
        "transforms: [{path: models/x/, compute: duckdb}]\n"
    )
    (tmp_path / "floe.prod.yaml").write_text("transforms: [{path: models/x/, compute: spark}]\n")
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", ".", "--no-cache")
    assert run.stdout.splitlines() == [
        "floe.prod.yaml:1:41: ERROR FL401 [environment-override] a per-environment file changes "
        "the compute; a transform must run on the same compute in every environment (ADR-0010)"
    ]
