"""JSON manifests and products are read as upstream Floe reads them, with PyYAML's
`yaml.safe_load` (floe_core/compilation/loader.py reads every manifest and floe.yaml so), which
reads some JSON otherwise than a JSON reader (floe_lint/load/syntax.py):

- `NaN`, `Infinity`, `-Infinity` are no JSON (Python's json module reads them as numbers,
  PyYAML as text): invalid JSON, at the value;
- a number with an exponent but no `.` or no exponent sign (`1e3`, `1.5e3`) is a number to a
  JSON reader and text to PyYAML (YAML 1.1): an ambiguity, at the number, with a spelling both
  read alike;
- an integer of more than 4,300 digits is invalid JSON at the number (an internal error before).
"""

from __future__ import annotations

import json
import math

import yaml
from hypothesis import given
from hypothesis import strategies as st

from floe_lint.load.document import parse
from floe_lint.load.syntax import json_ambiguities

HEAD = '{\n  "apiVersion": "floe.dev/v1",\n  "scope": "enterprise",\n  "metadata": {"name": "a"},\n'
SETTINGS = '  "plugins": {"compute": {"approved": [{"name": "duckdb", "config": {"settings": {\n'
TAIL = '  }}}], "default": "duckdb"}}\n}\n'


def _manifest(value: str) -> dict[str, str]:
    """A manifest whose duckdb `settings` (free-form) hold `value` on line 6, from column 10."""
    return {"manifest.json": HEAD + SETTINGS + f'    "x": {value}\n' + TAIL}


def _syntax(run: object) -> list[tuple[int, int, str]]:
    findings = run.findings  # type: ignore[attr-defined]
    return [(f["line"], f["column"], f["message"]) for f in findings if f["name"] == "yaml-syntax"]


def test_nan_and_infinity_are_invalid_json_at_the_value(lint) -> None:  # type: ignore[no-untyped-def]
    for token in ("NaN", "Infinity", "-Infinity"):
        # the readers disagree, as the message says
        assert isinstance(json.loads(token), float)
        assert yaml.safe_load(token) == token
        run = lint(_manifest(f'[1, "NaN", {token}]'))
        assert run.code == 1 and "internal error" not in run.stderr
        assert _syntax(run) == [
            (
                6,
                21,
                f"invalid JSON: {token} is not a JSON value (Python's json module reads it as a "
                "number; PyYAML's yaml.safe_load, with which upstream Floe reads this file, as "
                f"the text '{token}'); write a number, or quote it as text",
            )
        ], token


def test_an_exponent_yaml_reads_as_text_is_an_ambiguity_at_the_number(lint) -> None:  # type: ignore[no-untyped-def]
    run = lint(_manifest('[1e3, "1e3", 1.5E+3, 2.5e-1, -1.5e3, 1E400]'))
    assert run.code == 1
    assert _syntax(run) == [
        (
            6,
            11,
            "the JSON number 1e3 is the number 1000.0 to a JSON reader, but the text '1e3' to "
            "PyYAML's yaml.safe_load, with which upstream Floe (and floe-lint) reads this file; "
            "write 1000.0 (or 1000 for an integer)",
        ),
        (
            6,
            39,
            "the JSON number -1.5e3 is the number -1500.0 to a JSON reader, but the text "
            "'-1.5e3' to PyYAML's yaml.safe_load, with which upstream Floe (and floe-lint) reads "
            "this file; write -1500.0 (or -1500 for an integer)",
        ),
        (
            6,
            47,
            "the JSON number 1E400 is the number inf to a JSON reader, but the text '1E400' to "
            "PyYAML's yaml.safe_load, with which upstream Floe (and floe-lint) reads this file",
        ),
    ]


def test_numbers_both_readers_read_alike_are_clean(lint) -> None:  # type: ignore[no-untyped-def]
    run = lint(_manifest('[0, -0, 10, 1.5, -0.25, 1.5E+3, 2.5e-1, "1e3", "NaN"]'))
    assert (run.code, run.findings) == (0, [])


def test_an_integer_too_long_to_convert_is_invalid_json_not_an_internal_error(lint) -> None:  # type: ignore[no-untyped-def]
    run = lint(_manifest(f"[1.{'5' * 5000}, {'9' * 4301}]"))
    assert run.code == 1 and "internal error" not in run.stderr
    assert _syntax(run) == [
        (6, 5015, "invalid JSON: an integer must have at most 4,300 digits"),
    ]


#: JSON numbers, by the grammar of RFC 8259
NUMBERS = st.builds(
    lambda sign, whole, fraction, exponent: f"{sign}{whole}{fraction}{exponent}",
    st.sampled_from(["", "-"]),
    st.sampled_from(["0"]) | st.from_regex(r"[1-9][0-9]{0,3}", fullmatch=True),
    st.sampled_from([""]) | st.from_regex(r"\.[0-9]{1,3}", fullmatch=True),
    st.sampled_from([""]) | st.from_regex(r"[eE][-+]?[0-9]{1,3}", fullmatch=True),
)


@given(NUMBERS)
def test_an_ambiguity_is_reported_exactly_where_the_real_readers_disagree(number: str) -> None:
    """The oracle is the two readers themselves: json.loads and yaml.safe_load on the text."""
    text = '{"a": "1e3 NaN", "x": ' + number + "}"
    by_json, by_yaml = json.loads(text)["x"], yaml.safe_load(text)["x"]
    agree = type(by_json) is type(by_yaml) and (
        by_json == by_yaml or (math.isnan(by_json) and math.isnan(by_yaml))
    )
    found = json_ambiguities(text)
    assert len(found) == (0 if agree else 1), (number, by_json, by_yaml)
    if found:
        assert (found[0].span.start_line, found[0].span.start_col) == (1, 23)
        assert found[0].span.end_col == 23 + len(number)
        assert found[0].message.startswith(f"the JSON number {number} is the number ")
        suggested = found[0].message.split("; write ")[1:]
        if suggested:  # the spelling offered is read alike by both
            spelling = suggested[0].split(" ")[0]
            again = '{"x": ' + spelling + "}"
            assert json.loads(again)["x"] == yaml.safe_load(again)["x"] == by_json


def test_a_parsed_json_file_keeps_its_documents_beside_an_ambiguity() -> None:
    """An ambiguity is reported, and the file is still checked as Floe reads it."""
    from pathlib import Path

    source = parse(Path("m.json"), _manifest("1e3")["manifest.json"].encode())
    assert [p.rule for p in source.problems] == ["yaml-syntax"]
    assert source.documents[0].get("/plugins/compute/approved/0/config/settings/x") == "1e3"


def test_a_discovered_json_file_that_declares_floe_and_cannot_be_read_is_reported(lint) -> None:  # type: ignore[no-untyped-def]
    """Found by a walk (its first 4 KiB name floe.dev/v1), not named: a trailing comma was a
    silent skip ('holds no manifest'), as NaN would have become."""
    run = lint({"m.json": '{"apiVersion": "floe.dev/v1", "scope": "enterprise",}\n'})
    assert run.code == 1
    assert _syntax(run) == [
        (1, 53, "invalid JSON: Expecting property name enclosed in double quotes")
    ]
