"""A transform's path (a dbt selector) and an upstream transform's name hold one word and no
control characters: a line break would smuggle a second selector or option (issue 16)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from floe_lint.load.ecma_blank import BLANKS
from floe_lint.load.validation import validate

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
#: what a selector path may not hold: control characters and any blank of the schema's `\s`
#: (ECMA-262's, U+FEFF included; Python's other blanks are control characters)
FORBIDDEN = sorted({*map(chr, (*range(0x20), *range(0x7F, 0xA0))), *BLANKS})


def test_a_line_break_in_a_transform_path_is_a_finding_at_the_value(lint) -> None:
    run = lint(
        {
            "manifest.yaml": MANIFEST,
            "floe.yaml": "name: p\nplatform: {ref: manifest.yaml}\ntransforms:\n"
            '  - {path: "models/x\\n--select models/y", compute: duckdb}\n'
            '  - path: "models/\\x01z"\n'
            '  - path: "models/trailing\\n"\n',
        }
    )
    found = [(f["line"], f["column"], f["message"]) for f in run.named("schema-invalid")]
    rest = (
        " must be a dbt path selector: one word, without spaces (dbt reads a space as a second "
        "selector) or control characters"
    )
    assert found == [
        (4, 12, "'transforms[0].path' 'models/x\n--select models/y'" + rest),
        (5, 11, "'transforms[1].path' 'models/\x01z'" + rest),
        (
            6,
            11,
            "'transforms[2].path' 'models/trailing\n'"
            + rest
            + "; the value ends with a line break, which the pattern refuses (a '|' block keeps "
            "it: write '|-' or a plain value)",
        ),
    ]
    assert run.code == 1


def test_a_line_break_after_an_upstream_transform_name_is_a_finding(lint) -> None:
    run = lint(
        {
            "manifest.yaml": "apiVersion: floe.dev/v1\nkind: Manifest\n"
            "metadata: {name: p, version: 1.0.0, owner: a@b.example}\n"
            "plugins: {compute: {type: duckdb}}\n",
            "orders/floe.yaml": "apiVersion: floe.dev/v1\nkind: FloeSpec\n"
            "metadata: {name: orders, version: 1.0.0}\n"
            "platform: {manifest: ../manifest.yaml}\n"
            'transforms: [{name: "stg\\n", compute: duckdb}]\n',
        }
    )
    assert [(f["file"], f["line"], f["column"]) for f in run.named("schema-invalid")] == [
        ("orders/floe.yaml", 5, 21)
    ]
    assert run.named("schema-invalid")[0]["message"].startswith(
        "'transforms[0].name' 'stg\n' must be a dbt model name"
    )


def _product(path: str) -> dict[str, object]:
    return {"name": "p", "platform": {"ref": "m.yaml"}, "transforms": [{"path": path}]}


@given(st.text(min_size=1), st.sampled_from(FORBIDDEN), st.text())
def test_every_control_character_or_space_in_a_path_is_refused(
    before: str, control: str, after: str
) -> None:
    problems = validate(_product(before + control + after), "floe")
    assert [p.pointer for p in problems] == ["/transforms/0/path"]


@given(st.text(min_size=1).filter(lambda s: not any(c in FORBIDDEN for c in s)))
def test_a_path_without_control_characters_or_spaces_passes(path: str) -> None:
    assert validate(_product(path), "floe") == []


def test_a_space_in_a_transform_path_is_a_finding(lint) -> None:
    run = lint(
        {
            "manifest.yaml": MANIFEST,
            "floe.yaml": "name: p\nplatform: {ref: manifest.yaml}\ntransforms:\n"
            "  - {path: models/a models/other, compute: duckdb}\n",
        }
    )
    [found] = run.named("schema-invalid")
    assert (found["line"], found["column"]) == (4, 12)
    assert "'models/a models/other' must be a dbt path selector: one word" in found["message"]
