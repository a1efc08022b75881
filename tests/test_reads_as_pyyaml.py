"""What floe-lint checks is what upstream Floe reads: whenever a file loads without a finding
of floe-lint's loader (syntax, duplicate key, several documents, merge key), its data is the
data of `yaml.safe_load`, the pure-Python loader upstream Floe uses (issue 16)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.load.document import parse

ATOMS = [
    "compute", "platform", ":", " ", "\n", "  ", "- ", "duckdb", "spark", "&a ", "*a", "&b ",
    "*b", "<<", "[", "]", "{", "}", ", ", "'", '"', "#", "? ", "|", ">", "!", "!!str ",
    "---\n", "...\n", "\\", "x:y", "~", "1", "0x1", "on", "null", "\u2028", "\x85", "=",
]  # fmt: skip


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ATOMS), min_size=1, max_size=16).map("".join))
def test_a_file_without_loader_findings_reads_as_pyyaml_reads_it(text: str) -> None:
    source = parse(Path("floe.yaml"), text.encode())
    if source.problems or not source.documents:
        return
    try:
        upstream = yaml.safe_load(text)
    except yaml.YAMLError:
        return  # upstream refuses the file: it runs nothing
    except (TypeError, ValueError):
        return  # an unhashable key: upstream refuses the file too
    assert _same(source.documents[0].data, upstream), text
