"""Each custom naming pattern is parsed once, not once for each pattern compared with it: a
domain of 160 custom patterns under an enterprise of 160 (47 KB of YAML) took 34 s of CPU in
check (FL612 and FL614 each parsed every pattern above again for every pattern below and every
name tried), a time quadratic in the files."""

from __future__ import annotations

import pytest

from floe_lint.model import naming_inclusion
from floe_lint.model.naming_inclusion import KEPT, UNPROVEN, WIDER, naming_within


def test_each_pattern_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from re import _parser  # type: ignore[attr-defined]

    getattr(naming_inclusion._parsed, "cache_clear", lambda: None)()
    parsed: list[str] = []
    parse = _parser.parse
    monkeypatch.setattr(_parser, "parse", lambda p, *rest: parsed.append(p) or parse(p, *rest))
    above = [f"^raw_{i}_[a-z]+" for i in range(40)]
    below = [f"^agg_{i}_[a-z]+" for i in range(40)] + ["^raw_3_[a-z]+_v1", "^dim_.*"]
    verdicts = [naming_within(p, above, {})[0] for p in below]
    assert verdicts == [UNPROVEN] * 40 + [KEPT, WIDER]
    mine = set(above + below)  # (re.compile parses other modules' regexes too)
    assert sorted(p for p in parsed if p in mine) == sorted(mine)
