"""`ENV_VARIANT.match` (floe_lint.load.kinds) is its pattern's match of a file name, before and
after the pattern is compiled: a name with fewer than two dots is answered without it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.load.kinds import ENV_VARIANT, _Variant
from tests.conftest import write_files

PATTERN = re.compile(ENV_VARIANT.pattern)

parts = st.sampled_from(
    ["floe", "manifest", "domain", "prod", "dev", "yaml", "yml", "json", ".", "-", "_", "\n", "x"]
)
names = st.lists(parts | st.text(max_size=3), max_size=8).map("".join)


def _same(found: re.Match[str] | None, expected: re.Match[str] | None) -> bool:
    if found is None or expected is None:
        return found is expected
    return (found.span(), found.groupdict()) == (expected.span(), expected.groupdict())


@settings(max_examples=2000, deadline=None)
@given(first=names, then=st.lists(names, max_size=5))
def test_the_match_is_the_patterns(first: str, then: list[str]) -> None:
    variant = _Variant()  # not compiled yet
    for name in (first, *then):
        assert _same(variant.match(name), PATTERN.match(name)), name


def test_examples() -> None:
    variant = _Variant()
    assert variant.match("floe.yaml") is None and variant.match("manifest.yaml") is None
    assert "match" not in vars(variant)  # nothing compiled for them
    found = variant.match("enterprise.manifest.prod.yml")
    assert found is not None and found.group("base", "env") == ("enterprise.manifest", "prod")
    assert "match" in vars(variant)
    assert variant.match("floe.dev.yaml") is not None and variant.match("floe.yaml") is None


PROBE = """
import io, sys
from floe_lint.cli import main
from floe_lint.load.kinds import ENV_VARIANT
main(["check", "--no-cache", *sys.argv[1:]], io.StringIO(), io.StringIO())
print("match" in vars(ENV_VARIANT))
"""


def test_a_run_of_plain_names_compiles_nothing(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "floe.yaml": "name: o\nplatform: {ref: manifest.yaml}\ntransforms: []\n",
        },
    )

    def compiled(*args: str) -> bool:
        result = subprocess.run(
            [sys.executable, "-c", PROBE, *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        return bool(json.loads(result.stdout.splitlines()[-1].lower()))

    assert not compiled("floe.yaml", "manifest.yaml")
    (tmp_path / "floe.prod.yaml").write_text("name: o\n")
    assert compiled(".")  # the overlay beside it is looked at
