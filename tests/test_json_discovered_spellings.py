"""A discovered JSON file is read when it names Floe's API version however PyYAML (which Floe
reads it with: floe_core.compilation.loader._load_yaml, yaml.safe_load) would: `check .` looked
for `"floe.dev/v1"` in the first 4 KiB only, so a product in products/p/floe.json selecting an
unapproved compute passed (exit 0) when it spelt the version `"floe.dev\\/v1"` or
`"floe.dev\\u002fv1"`, wrote it past 4 KiB, or wrote the file as YAML; `floe platform compile
--spec products/p/floe.json` reads each of them."""

from __future__ import annotations

import json
import sys
from types import FrameType

import pytest
import yaml

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
PRODUCT = {
    "apiVersion": "floe.dev/v1",
    "kind": "FloeSpec",
    "name": "p",
    "platform": {"ref": "../../manifest.yaml"},
    "transforms": [{"path": "models/x/", "compute": "spark"}],
}
PLAIN = json.dumps(PRODUCT)
PAD = {"description": "x" * 5000}
SPELLINGS = {
    "escaped slash": PLAIN.replace("floe.dev/v1", "floe.dev\\/v1"),
    "unicode escapes": PLAIN.replace("floe.dev/v1", "floe.dev\\u002fv1"),
    "escaped key and value": PLAIN.replace(
        '"apiVersion": "floe.dev/v1"', '"\\u0061piVersion": "\\u0066loe.dev/v1"'
    ),
    "past 4 KiB": json.dumps({**PAD, **PRODUCT}),
    "YAML written in a .json file": "apiVersion: floe.dev/v1\nkind: FloeSpec\nname: p\n"
    "platform: {ref: ../../manifest.yaml}\ntransforms: [{path: models/x/, compute: spark}]\n",
    # YAML's escapes, which JSON has not (the file is then not JSON: FL001, never a pass)
    "YAML's \\x escape": PLAIN.replace("floe.dev/v1", "floe.dev\\x2Fv1"),
    "YAML's \\U escape": PLAIN.replace("floe.dev/v1", "\\U00000066loe.dev/v1"),
    "YAML's escaped line break": PLAIN.replace("floe.dev/v1", "floe.dev/\\\n    v1"),
    "YAML's \\x escape past 4 KiB": json.dumps({**PAD, **PRODUCT}).replace(
        "floe.dev/v1", "floe.dev/v\\x31"
    ),
}


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("text", SPELLINGS.values(), ids=list(SPELLINGS))
def test_a_discovered_json_product_is_read_as_floe_reads_it(lint, text: str) -> None:  # type: ignore[no-untyped-def]
    assert yaml.safe_load(text)["apiVersion"] == "floe.dev/v1"  # what Floe reads
    run = lint({"manifest.yaml": MANIFEST, "products/p/floe.json": text})
    assert run.code == 1
    found = [(f["file"], f["rule"]) for f in run.findings]
    if not _is_json(text):  # a syntax error at the file, never a pass
        assert found == [("products/p/floe.json", "FL001")]
        return
    assert found == [("products/p/floe.json", "FL201")]
    (finding,) = run.findings
    assert finding["line"] == 1
    assert finding["message"].startswith(
        "transform 'models/x/' selects compute 'spark', which platform manifest manifest.yaml "
        "does not approve"
    )
    assert text[finding["column"] - 1 :].startswith('"spark"')


def test_json_that_only_mentions_floe_is_still_not_read(lint) -> None:  # type: ignore[no-untyped-def]
    """A large JSON file, or one with escapes, that declares nothing is still skipped."""
    run = lint(
        {
            "manifest.yaml": MANIFEST,
            "data/big.json": json.dumps({**PAD, "name": "\\u00e9", "apiVersion": "v2"}),
            "data/small.json": json.dumps({"apiVersion": "floe.dev/v2", "note": "\u00e9"}),
        }
    )
    assert run.code == 0
    assert run.findings == []


def test_json_escaping_other_characters_is_not_decoded(lint) -> None:  # type: ignore[no-untyped-def]
    """A large JSON file whose escapes spell no character of `floe.dev/v1` (`json.dumps` writes
    every non-ASCII character as `\\u00e9`) is read for the markers but never decoded: any
    `\\u` made discovery decode the whole file (0.7 ms per 100 KB)."""
    rows = [{"id": n, "name": f"caf\u00e9 \u00fcber {n}", "path": "a\\b\n"} for n in range(2000)]
    data = json.dumps(rows)
    assert "\\u00e9" in data and "floe.dev" not in data
    decoded: list[object] = []

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call" and frame.f_code.co_name in ("loads", "load"):
            text = frame.f_locals.get("s", frame.f_locals.get("stream"))
            if isinstance(text, bytes | str) and b"\\u00fcber" in _as_bytes(text):
                decoded.append(frame.f_code.co_filename)

    sys.setprofile(profile)
    try:
        run = lint({"manifest.yaml": MANIFEST, "data/rows.json": data})
    finally:
        sys.setprofile(None)
    assert run.code == 0
    assert run.findings == []
    assert decoded == []


def _as_bytes(text: bytes | str) -> bytes:
    return text if isinstance(text, bytes) else text.encode()
