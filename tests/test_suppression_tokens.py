"""Only a real YAML comment suppresses: `# floe-lint: disable=...` written inside a block
scalar or a quoted string is text, and silences nothing (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from floe_lint.lint.suppressions import directives
from floe_lint.load.document import SourceFile, parse

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
HEAD = "name: orders\nplatform: {ref: manifest.yaml}\n"
DIRECTIVE = "# floe-lint: disable=FL201 -- looks like a comment"

SMUGGLED = {
    "block scalar": (
        HEAD
        + "description: |\n  Orders.\n  "
        + DIRECTIVE
        + "\ntransforms:\n  - {path: models/a/, compute: snowflake}\n",
        7,
    ),
    "block scalar, next line": (
        HEAD
        + "transforms:\n  - path: models/a/\n    description: >\n      x\n      "
        + DIRECTIVE
        + "\n    compute: snowflake\n",
        8,
    ),
    "double-quoted, several lines": (
        HEAD
        + 'transforms:\n  - path: models/a/\n    description: "x\n      '
        + DIRECTIVE
        + '"\n    compute: snowflake\n',
        7,
    ),
    "single-quoted, same line": (
        HEAD
        + "transforms:\n  - {path: models/a/, compute: snowflake, description: ' "
        + DIRECTIVE
        + "'}\n",
        4,
    ),
}


@pytest.mark.parametrize("case", SMUGGLED)
def test_a_directive_inside_a_string_silences_nothing(lint, case: str) -> None:
    text, line = SMUGGLED[case]
    run = lint({"manifest.yaml": MANIFEST, "floe.yaml": text})
    found = [(f["file"], f["line"]) for f in run.named("compute-not-approved")]
    assert found == [("floe.yaml", line)]
    assert run.named("unused-suppression") == []  # it is not a suppression at all
    assert run.code == 1


def test_a_real_comment_after_a_string_holding_one_still_suppresses(lint) -> None:
    text = (
        HEAD + "transforms:\n"
        '  - {path: models/a/, compute: snowflake, description: "# floe-lint: disable=FL9"}  '
        "# floe-lint: disable=FL201 -- approved by the platform team\n"
    )
    run = lint({"manifest.yaml": MANIFEST, "floe.yaml": text})
    assert run.named("compute-not-approved") == [] and run.code == 0


def test_a_comment_after_a_block_scalar_ends_still_suppresses(lint) -> None:
    text = (
        HEAD + "transforms:\n  - path: models/a/\n    description: |\n      text\n"
        "    # floe-lint: disable=FL201 -- approved by the platform team\n"
        "    compute: snowflake\n"
    )
    run = lint({"manifest.yaml": MANIFEST, "floe.yaml": text})
    assert run.named("compute-not-approved") == [] and run.code == 0


def test_directives_after_a_syntax_error_are_not_trusted() -> None:
    text = 'a: "never closed\n# floe-lint: disable-file=FL001 -- hidden in the string\n'
    source = parse(Path("floe.yaml"), text.encode())
    assert directives(source) == []
    ok = "# floe-lint: disable-file=FL001 -- before the error\n" + text
    assert [d.span.start_line for d in directives(parse(Path("f.yaml"), ok.encode()))] == [1]


@given(st.text(alphabet=st.sampled_from("ab #:\n'\"|>-=FL01"), max_size=60))
def test_no_directive_is_read_from_inside_a_scalar(body: str) -> None:
    """Wherever the marker is written inside a double-quoted value, it is never a directive."""
    escaped = body.replace("\\", "\\\\").replace('"', '\\"')
    text = (
        f'a: "{escaped}\n  # floe-lint: disable=FL201 -- r\n  # floe-lint: disable-file=ALL\n  "\n'
    )
    assert directives(SourceFile(Path("floe.yaml"), text)) == []


def test_a_comment_on_a_block_scalar_header_line_is_a_comment(lint) -> None:
    text = (
        HEAD + "transforms:\n  - path: models/a/\n    compute: snowflake\n"
        "    description: |  # floe-lint: disable=FL201 -- a comment, not text\n      text\n"
    )
    run = lint({"manifest.yaml": MANIFEST, "floe.yaml": text})
    # a real comment, so a real directive: it names a rule with no finding on its line
    [unused] = run.named("unused-suppression")
    assert (unused["line"], unused["column"]) == (6, 42)
