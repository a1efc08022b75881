"""Files that floe-lint (libyaml's parser) and upstream Floe (PyYAML's own parser, through
`yaml.safe_load`) would read differently, found by red-teaming main: each such reading is a
finding at its place, and nobody below central control can silence it, since every other
verdict on the file rests on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.load import divergence
from floe_lint.load.document import parse
from tests.conftest import run_cli, write_files
from tests.test_linear_time import assert_linear

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
#: floe-lint reads compute duckdb (the line after the mark overrides the merge); Floe reads
#: spark (the line is a stray top-level key for it)
PRODUCT = (
    "name: orders\n"
    "platform: {ref: manifest.yaml}\n"
    "transforms:\n"
    "  - path: models/a/\n"
    "    <<: {compute: spark}\n"
    "\ufeff   compute: duckdb\n"
)
BOM_MESSAGE = (
    "a byte-order mark (U+FEFF) begins this line: libyaml skips it as indentation but upstream "
    "Floe's yaml.safe_load reads it as text, so they read different documents; remove it"
)
REFUSED = (
    "suppression of 'FL005' is not allowed: floe-lint and upstream Floe would not read this file "
    "alike, and mandatory verdicts rest on how it is read; the finding stays (only the config's "
    "exceptions can excuse it)"
)


@pytest.fixture(autouse=True)
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_a_byte_order_mark_that_begins_a_line_is_a_finding_at_it(tmp_path: Path) -> None:
    assert yaml.safe_load(PRODUCT)["transforms"][0]["compute"] == "spark"  # what Floe runs
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT})
    run = run_cli("check", ".", "--format", "json")
    assert run.code == 1
    [found] = run.named("yaml-syntax")
    assert (found["file"], found["line"], found["column"]) == ("floe.yaml", 6, 1)
    assert found["message"] == BOM_MESSAGE


def test_a_second_byte_order_mark_at_the_start_of_the_file_is_one(tmp_path: Path) -> None:
    # the first mark is the encoding's; Floe's parser skips it and reads the second as text
    (tmp_path / "manifest.yaml").write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + MANIFEST.encode())
    run = run_cli("check", "manifest.yaml", "--format", "json")
    [found] = run.named("yaml-syntax")
    assert (found["line"], found["column"], found["message"]) == (1, 1, BOM_MESSAGE)


def test_a_byte_order_mark_inside_a_line_or_only_first_is_no_finding(tmp_path: Path) -> None:
    (tmp_path / "manifest.yaml").write_bytes(b"\xef\xbb\xbf" + MANIFEST.encode())
    write_files(
        tmp_path, {"floe.yaml": PRODUCT.replace("\ufeff   compute: duckdb", "    x: \ufeffy")}
    )
    run = run_cli("check", ".", "--format", "json", "--select=FL001")
    assert run.findings == []


MERGED = (
    "name: orders\n"
    "platform: {ref: manifest.yaml}\n"
    "base: &base {path: models/a/, compute: duckdb}\n"
    "transforms:\n"
    "  - <<: [*base, {compute: spark}]  # floe-lint: disable=FL005 -- fine\n"
)


@pytest.mark.parametrize(
    "config", ["mandatory: [compute-not-approved]\n", "trusted-roots: [manifest.yaml]\n"]
)
def test_a_reading_finding_cannot_be_silenced_where_anything_is_mandatory(
    tmp_path: Path, config: str
) -> None:
    """Silencing merge-key would let the PyYAML release that reads duckdb decide FL201."""
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": MERGED, "ci.yaml": config})
    run = run_cli("check", ".", "--format", "json", "--isolated", "--config=ci.yaml")
    assert run.code == 1
    [merge] = run.named("merge-key")
    assert (merge["file"], merge["line"], merge["column"]) == ("floe.yaml", 5, 5)
    [refused] = run.named("suppression-not-allowed")
    assert (refused["line"], refused["column"], refused["message"]) == (5, 57, REFUSED)


def test_a_reading_finding_is_mandatory_under_a_strict_platform(tmp_path: Path) -> None:
    strict = "governance: {policy_enforcement_level: strict}\n" + MANIFEST
    write_files(tmp_path, {"manifest.yaml": strict, "floe.yaml": MERGED})
    run = run_cli("check", ".", "--format", "json")
    assert [(f["line"], f["column"]) for f in run.named("merge-key")] == [(5, 5)]
    assert [f["message"] for f in run.named("suppression-not-allowed")] == [REFUSED]


def test_without_central_control_a_reading_finding_may_be_suppressed(tmp_path: Path) -> None:
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": MERGED})
    run = run_cli("check", ".", "--format", "json", "--select=FL005,FL902")
    assert run.findings == []


@pytest.mark.parametrize("tagged", ["!!int", "!!int ''", "!!float", "!!bool ''"])
def test_an_empty_tagged_number_is_a_finding_not_an_internal_error(
    tmp_path: Path, tagged: str
) -> None:
    write_files(tmp_path, {"manifest.yaml": f"scope: {tagged}\n" + MANIFEST, "floe.yaml": "x: 1\n"})
    run = run_cli("check", ".", "--format", "json")
    assert run.code == 1, run.stderr
    [found] = run.named("yaml-syntax")
    assert (found["file"], found["line"], found["column"]) == ("manifest.yaml", 1, 8)
    assert found["message"].startswith("the value is tagged !!")


def test_a_tab_that_yaml_safe_load_refuses_is_a_finding_at_it(tmp_path: Path) -> None:
    product = "name: orders\nplatform: {ref: manifest.yaml}\ntransforms:\n  - path: models/a/\n"
    product += "    compute:\tduckdb\n"
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(product)  # upstream's compile stops here (E002)
    assert yaml.load(product, Loader=yaml.CSafeLoader)["transforms"][0]["compute"] == "duckdb"
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": product})
    run = run_cli("check", ".", "--format", "json")
    [found] = run.named("yaml-syntax")
    assert (found["file"], found["line"], found["column"]) == ("floe.yaml", 5, 13)
    assert found["message"] == (
        "a tab here: upstream Floe's yaml.safe_load (PyYAML's own parser) refuses a tab outside "
        "quoted text, block text and comments, although libyaml reads it; use spaces"
    )


def test_tabs_in_quoted_text_block_text_and_comments_are_no_finding(tmp_path: Path) -> None:
    product = (
        "name: orders  #\tthe product\n"
        "platform: {ref: manifest.yaml}\n"
        "transforms:\n"
        "  - {path: models/a/, tags: ['a\tb', \"c\td\"]}  # x\ty\n"
        "description: |\n"
        "  one\ttab\n"
        "#\tend\n"
    )
    yaml.safe_load(product)
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": product})
    assert run_cli("check", ".", "--format", "json", "--select=FL001").findings == []


_PIECES = ["a", "b", ":", ": ", "- ", "\n", "\n  ", " ", " #x", "#", "'", '"', "[", "]", "{"]
_PIECES += ["}", ",", "? ", "&x ", "*x", "|", ">", "\r\n", "<<: ", "1", "\t", "\n\t", "x\ty"]


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12))
def test_no_divergence_finding_on_a_text_both_parsers_read_alike(pieces: list[str]) -> None:
    """Precision: a text both libyaml and PyYAML's own parser accept, reading the same data,
    gets no finding from the divergence checks."""
    text = "k: " + "".join(pieces)
    try:
        fast = list(yaml.load_all(text, Loader=yaml.CSafeLoader))
        pure = list(yaml.load_all(text, Loader=yaml.SafeLoader))
    except (yaml.YAMLError, TypeError):
        return
    if repr(fast) == repr(pure):
        assert divergence.problems(text) == []


@pytest.mark.parametrize(("key", "col"), [("[a, b]", 3), ("{a: b}", 3), ("? [a]\n  ", 5)])
def test_a_list_or_mapping_as_a_key_is_a_finding_at_it(tmp_path: Path, key: str, col: int) -> None:
    manifest = MANIFEST + f"x:\n  {key}: 1\n"
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(manifest)
    write_files(tmp_path, {"manifest.yaml": manifest})
    run = run_cli("check", "manifest.yaml", "--format", "json")
    [found] = run.named("yaml-syntax")
    assert (found["line"], found["column"]) == (3, col)
    assert found["message"] == (
        "a list or mapping as a key: upstream Floe's yaml.safe_load refuses the file (found "
        "unhashable key); use a plain key"
    )


def _merged_sources(sources: int, keys: int, disagree: bool) -> bytes:
    """`sources` anchored mappings of `keys` keys, all merged into one mapping by one `<<`."""
    lines = [
        f"a{s}: &a{s} {{" + ", ".join(f"k{k}: {s if disagree else 0}" for k in range(keys)) + "}"
        for s in range(sources)
    ]
    lines.append("x:\n  <<: [" + ", ".join(f"*a{s}" for s in range(sources)) + "]")
    return ("\n".join(lines) + "\n" + MANIFEST).encode()


@pytest.mark.parametrize(
    ("shape", "make"),
    [
        # hundreds of agreeing sources: each key was compared with every later source (cubic)
        ("many agreeing sources", lambda n: _merged_sources(n // 8, 40, disagree=False)),
        # two large disagreeing sources: each report searched its source from the top again
        ("two disagreeing sources", lambda n: _merged_sources(2, n, disagree=True)),
    ],
)
def test_merge_disagreements_are_found_in_linear_time(shape: str, make: Any) -> None:
    def work(size: int) -> Any:
        raw = make(size)
        return lambda: parse(Path("m.yaml"), raw)

    assert_linear(work, 160 if shape.startswith("many") else 600)


def test_many_suppression_comments_are_applied_in_linear_time() -> None:
    """Each finding was compared with every suppression comment of its file."""
    from floe_lint.findings import Finding, Location, Span
    from floe_lint.lint import suppressions
    from floe_lint.load.document import SourceFile

    def work(size: int) -> Any:
        text = "".join(f"x{i}: 1  # floe-lint: disable=FL101 -- r\n" for i in range(size))
        source = SourceFile(Path("m.yaml"), text)
        found = suppressions.directives(source)
        findings = [
            Finding(
                "FL101", "schema-unknown-key", "error", "x", Location(source.path, Span(i, 1, i, 2))
            )
            for i in range(1, size + 1)
        ]
        return lambda: suppressions.apply(findings, found, require_reason=False)

    assert_linear(work, 500)


def test_only_the_first_hundred_unknown_computes_get_a_suggestion(tmp_path: Path) -> None:
    """A hostile list of unknown computes costs no suggestion search beyond the first 100."""
    names = ", ".join(f"duckdb{i}" for i in range(101))
    manifest = f"plugins:\n  compute:\n    default: duckdb\n    approved: [duckdb, {names}]\n"
    write_files(tmp_path, {"manifest.yaml": manifest})
    found = run_cli("check", "manifest.yaml", "--format", "json").named("unknown-compute")
    assert len(found) == 101
    assert found[0]["message"].startswith("no compute plugin provides 'duckdb0'; did you mean")
    assert found[100]["message"].startswith("no compute plugin provides 'duckdb100' (known: ")


def test_only_the_first_hundred_unknown_keys_of_a_mapping_get_a_suggestion(tmp_path: Path) -> None:
    """80,000 unknown keys spent 10 s in suggestions; the keys past the first 100 of a mapping
    are still reported, at their place, without one."""
    head = "name: orders\nplatform: {ref: manifest.yaml}\ntransforms: [{path: models/a/}]\n"
    keys = "".join(f"platfrm{i}: 1\n" for i in range(101))
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "floe.yaml": head + keys})
    run = run_cli("check", str(tmp_path / "floe.yaml"), "--format", "json")
    found = run.named("schema-unknown-key")
    assert len(found) == 101
    first, last = found[0], found[100]
    assert first["message"] == "unknown key 'platfrm0' in the document; did you mean 'platform'?"
    assert last["message"] == "unknown key 'platfrm100' in the document"
    assert (last["line"], last["column"]) == (3 + 101, 1)
