"""A transform path holding a bidirectional control (U+202A-U+202E embeddings and overrides,
U+2066-U+2069 isolates, the marks U+200E, U+200F and U+061C) is a finding at the path: such a
path reads reordered in a review (Trojan Source), so `models/<U+202E>lave/` shows as another
folder than dbt selects. Before, schemas/floe.json refused blanks and C0/C1 controls in
`transforms[].path` but let these pass (the marks, which reorder the neutral characters around
them such as `/`, until later). The message writes each control escaped, as the text format
shows user text."""

from __future__ import annotations

from pathlib import Path

import pytest

from floe_lint.load.plain_patterns import _no_blank_or_control
from tests.conftest import run_cli, write_files

TAIL = (
    "must be a dbt path selector: one word, without spaces (dbt reads a space as a second "
    "selector) or control characters"
)


@pytest.mark.parametrize(
    "control",
    [
        *("\u202a", "\u202b", "\u202c", "\u202d", "\u202e"),
        *("\u2066", "\u2067", "\u2068", "\u2069"),
        *("\u200e", "\u200f", "\u061c"),
    ],
)
def test_a_bidi_control_in_a_transform_path_is_reported_at_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, control: str
) -> None:
    monkeypatch.chdir(tmp_path)
    escaped = f"\\u{ord(control):04x}"
    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "floe.yaml": "name: orders\nplatform: {ref: manifest.yaml}\ntransforms:\n"
            "  - {path: models/ok/}\n"
            f'  - {{path: "models/{escaped}lave/", compute: duckdb}}\n',
        },
    )
    run = run_cli("check", ".", "--format", "concise", "--no-cache")
    assert (run.code, run.stdout) == (
        1,
        f"floe.yaml:5:12: ERROR FL106 [schema-invalid] 'transforms[1].path' "
        f"'models/{escaped}lave/' {TAIL}\n",
    )


def test_text_beside_the_bidi_controls_still_passes() -> None:
    for path in (
        "models/ü/",
        "models/\u2029x",
        "models/\u2065/",
        "models/\u206a/",
        "models/\u200b/",
        "models/\u200d/",
        "models/\u2010/",
        "models/\u061b/",
    ):
        expected = path != "models/\u2029x"
        assert _no_blank_or_control(path) is expected, path
