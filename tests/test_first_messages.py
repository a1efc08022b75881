"""The messages a new user meets first: YAML mistakes, misspelled keys, refs to the wrong place.
Each names the place to fix and what to do there."""

from __future__ import annotations

import pytest

PLATFORM = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"


def _only(run, rule: str):  # type: ignore[no-untyped-def]
    [finding] = run.named(rule)
    return finding


def test_a_tab_in_indentation_says_yaml_forbids_tabs_and_where(lint) -> None:  # type: ignore[no-untyped-def]
    run = lint({"floe.yaml": "name: x\nplatform:\n\tref: manifest.yaml\n"})
    finding = _only(run, "yaml-syntax")
    assert (finding["line"], finding["column"]) == (3, 1)
    assert (
        "a tab in the indentation; YAML forbids tabs there, indent with spaces"
        in (finding["message"])
    )


def test_a_tab_after_spaces_is_reported_at_the_tab(lint) -> None:  # type: ignore[no-untyped-def]
    run = lint({"floe.yaml": "name: x\nplatform:\n  \tref: manifest.yaml\n"})
    finding = _only(run, "yaml-syntax")
    assert (finding["line"], finding["column"]) == (3, 3)
    assert "YAML forbids tabs" in finding["message"]


@pytest.mark.parametrize(
    ("text", "where", "quote"),
    [
        ('name: "orders\nplatform: {ref: manifest.yaml}\n', (1, 7), '"'),
        ("name: x\nplatform: {ref: 'manifest.yaml}\n", (2, 17), "'"),
    ],
)
def test_an_unterminated_quote_is_reported_where_the_value_starts(
    lint, text: str, where: tuple[int, int], quote: str
) -> None:  # type: ignore[no-untyped-def]
    finding = _only(lint({"floe.yaml": text}), "yaml-syntax")
    assert (finding["line"], finding["column"]) == where
    assert f"the quoted value that starts here ({quote}) is never closed" in finding["message"]
    assert "end of the file" in finding["message"]


def test_other_quoted_value_errors_keep_libyamls_words(lint) -> None:  # type: ignore[no-untyped-def]
    finding = _only(lint({"floe.yaml": 'name: "x\\q"\n'}), "yaml-syntax")
    assert "unknown escape character" in finding["message"]
    assert "never closed" not in finding["message"]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            "nmae: x\nplatform:\n  ref: manifest.yaml\ntransforms: [{path: a/}]\n",
            (1, 1),
            "unknown key 'nmae' in the document; did you mean 'name'? "
            "('name' is required and missing)",
        ),
        (
            "name: x\nplatform: {ref: manifest.yaml}\ntransforms: [{pth: a/}]\n",
            (3, 15),
            "unknown key 'pth' in 'transforms[0]'; did you mean 'path'? "
            "('path' is required and missing)",
        ),
    ],
)
def test_a_misspelled_required_key_is_one_finding_at_the_misspelling(
    lint, text: str, where: tuple[int, int], message: str
) -> None:  # type: ignore[no-untyped-def]
    run = lint({"floe.yaml": text, "manifest.yaml": PLATFORM})
    assert not run.named("schema-required")
    finding = _only(run, "schema-unknown-key")
    assert (finding["line"], finding["column"]) == where
    assert finding["message"] == message


def test_an_unknown_key_far_from_any_missing_one_stays_two_findings(lint) -> None:  # type: ignore[no-untyped-def]
    run = lint({"floe.yaml": "colour: blue\ntransforms: [{path: a/}]\n"})
    assert "did you mean" not in _only(run, "schema-unknown-key")["message"]
    assert "missing required key 'name'" in _only(run, "schema-required")["message"]


@pytest.mark.parametrize(
    ("ref", "suggestion"),
    [
        ("../../platfrom/sales", "../../platform/sales"),
        ("../../platform/slaes/manifest.yaml", "../../platform/sales/manifest.yaml"),
        ("../../platform/sale", "../../platform/sales"),
    ],
)
def test_a_ref_to_a_missing_path_suggests_the_nearest_existing_one(
    lint, ref: str, suggestion: str
) -> None:  # type: ignore[no-untyped-def]
    run = lint(
        {
            "platform/sales/manifest.yaml": PLATFORM,
            "platform/finance/manifest.yaml": PLATFORM,
            "products/orders/floe.yaml": f"name: o\nplatform: {{ref: {ref}}}\n"
            "transforms: [{path: a/}]\n",
        }
    )
    finding = _only(run, "unresolved-ref")
    assert finding["message"].endswith(f"; did you mean '{suggestion}'?")


def test_a_ref_with_nothing_close_gets_no_suggestion(lint) -> None:  # type: ignore[no-untyped-def]
    run = lint(
        {
            "platform/sales/manifest.yaml": PLATFORM,
            "floe.yaml": "name: o\nplatform: {ref: elsewhere/xyz}\ntransforms: [{path: a/}]\n",
        }
    )
    assert "did you mean" not in _only(run, "unresolved-ref")["message"]
