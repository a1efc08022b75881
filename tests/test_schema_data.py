"""The bundled schemas as Python data (schemas/_data_NAME.py, floe_lint.load.schema_data): current,
the very data `json` reads from each file, taken only while the file is the one it was made
from, and read without importing json."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from floe_lint.load import schema_data, validation
from tests.conftest import REPO


@pytest.mark.parametrize("name", schema_data.NAMES)
def test_the_schema_data_is_current(name: str) -> None:
    module = f"{schema_data.module_name(name)}.py"
    current = (REPO / "schemas" / module).read_text("utf-8")
    assert current == schema_data.render(name), (
        f"schemas/{module} is stale (a bundled schema changed): regenerate it with "
        f"`{schema_data.COMMAND}` and commit the result"
    )


@pytest.mark.parametrize("name", schema_data.NAMES)
def test_each_schema_is_what_json_reads(name: str) -> None:
    """The same values, types (true is not 1, 1.0 is not 1) and key order as json.loads."""
    validation.schema.cache_clear()
    text = (REPO / "schemas" / f"{name}.json").read_text("utf-8")
    assert json.dumps(validation.schema(name)) == json.dumps(json.loads(text))


def test_a_schema_file_that_changed_is_read_from_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The data of a JSON text that is not the file's (a schema edited, the data not yet
    regenerated) is not used: the file is parsed."""
    from floe_lint.schemas import _data_floe  # type: ignore[import-not-found]

    monkeypatch.setattr(_data_floe, "TEXT", _data_floe.TEXT + " ")
    monkeypatch.setattr(_data_floe, "DATA", {"stale": True})
    validation.schema.cache_clear()
    try:
        text = (REPO / "schemas" / "floe.json").read_text("utf-8")
        assert validation.schema("floe") == json.loads(text)
    finally:
        validation.schema.cache_clear()


def test_reading_a_schema_imports_no_json() -> None:
    code = (
        "import sys\n"
        "from floe_lint.load import validation\n"
        "assert validation.schema('floe')['title'] and validation.schema('manifest')\n"
        "print('json' in sys.modules, sorted(m for m in sys.modules if '._data_' in m))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    # only the modules of the schemas asked for
    assert result.stdout == (
        "False ['floe_lint.schemas._data_floe', 'floe_lint.schemas._data_manifest']\n"
    )


def test_the_command_says_the_data_is_up_to_date() -> None:
    """`python -m floe_lint.load.schema_data`, as the README and the module name it, writes
    nothing when the data is current."""
    paths = [REPO / "schemas" / f"{schema_data.module_name(n)}.py" for n in schema_data.NAMES]
    before = [path.stat().st_mtime_ns for path in paths]
    result = subprocess.run(
        [sys.executable, "-m", "floe_lint.load.schema_data"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    assert result.stdout.count(": up to date\n") == len(paths), result.stdout
    assert [path.stat().st_mtime_ns for path in paths] == before
