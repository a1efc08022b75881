"""A store line's entry is scanned where its value starts (`lines._entry_of`), not decoded by
`json.loads` of the line wrapped in braces (a copy of the line and the decoder's Python steps
for every file a run replays, issue 17): the same entry for any key and value (a property),
nothing for a line that is not one, and no `json.loads` in an edited run."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from floe_lint.cli import main
from floe_lint.lint import cache, lines
from tests.conftest import write_files
from tests.test_cache import tree

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


def _loaded(line: str) -> Any:
    """What the store read before: `json.loads("{" + line + "}")`'s one value, else None."""
    try:
        decoded = json.loads("{" + line + "}")
    except (ValueError, RecursionError):
        return None
    return next(iter(decoded.values())) if isinstance(decoded, dict) and len(decoded) == 1 else None


def _scanned(line: str) -> Any:
    try:
        return lines._entry_of(line)
    except (ValueError, RecursionError, StopIteration):
        return None


@given(key=st.text(max_size=12), entry=st.dictionaries(st.text(max_size=5), VALUES, max_size=4))
def test_an_entry_is_what_the_line_decodes_to(key: str, entry: dict[str, Any]) -> None:
    line = json.dumps({key: entry}, separators=(",", ":"), ensure_ascii=False)[1:-1]
    assert _scanned(line) == _loaded(line) == entry


@pytest.mark.parametrize(
    "line",
    [
        '"k":{"a":1} ',
        '"k":{"a":1},',
        '"k":{"a":1}}',
        '"k": {"a":1}',
        '"k":{"a":1',
        '"k":{"a":1},"j":{}',
        '"k\\"":{"a":1},"j":{}',
        '"k":{"a":NaN}',
        '"k":{"a":"\x01"}',
        '"k":',
        '"k"',
    ],
)
def test_a_line_that_is_no_entry_gives_what_it_gave(line: str) -> None:
    # (a line with a space the decoder skipped is read as none: its seal, made without one,
    # would have refused it anyway)
    scanned = _scanned(line)
    assert scanned == _loaded(line) or (scanned is None and " " in line)


def test_an_edited_run_decodes_no_entry_with_json_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    write_files(tmp_path / "ws", tree())
    monkeypatch.chdir(tmp_path / "ws")

    def check() -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = main(["check", "."], stdout=out, stderr=err)
        return code, out.getvalue(), err.getvalue()

    cold = check()
    sales = tmp_path / "ws/platform/sales/manifest.yaml"
    sales.write_text(sales.read_text() + "# edited\n")
    assert check() == cold
    calls: list[str] = []
    real = json.loads

    def noting(text: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(sys._getframe(1).f_code.co_filename)
        return real(text, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(lines.json, "loads", noting)
        sales.write_text(sales.read_text() + "# edited again\n")
        assert check() == cold
    assert [c for c in calls if c.endswith("lines.py")] == []  # (6 before: one an entry)
