"""A kept parse (the `.parses` file beside a result-cache store, floe_lint.lint.kept) is served
only when its line is exactly the one the run wrote: the entry notes the parse's length and
own hash, so a damaged line whose JSON is still JSON (a compute `spark` read back as `spbrk`)
is a miss and the file is parsed, never built from it. A replayed run prints exactly what a
cold run prints, whatever bytes of the file are damaged."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.lint import cache
from tests.conftest import check, write_files
from tests.test_cache import ENTERPRISE, cached, tree  # noqa: F401 (a fixture)


def _parses() -> Path:
    [found] = cache.directory().glob("results-*.parses")
    return found


def _fill_and_edit_the_enterprise(root: Path) -> None:
    """Fill the cache (its parses kept), so that an edit of the enterprise manifest checks
    every product again, built from its kept parse."""
    write_files(root, tree())
    assert check(".")[0] == 0


def _edit_the_enterprise(root: Path) -> None:
    write_files(root, {"platform/enterprise/manifest.yaml": ENTERPRISE + "# edited\n"})


def test_a_damaged_kept_parse_is_parsed_again_not_served(cached: Path) -> None:  # noqa: F811
    _fill_and_edit_the_enterprise(cached)
    parses = _parses()
    raw = parses.read_bytes()
    assert raw.count(b'"spark"') >= 3
    parses.write_bytes(raw.replace(b'"spark"', b'"spbrk"'))  # each line still JSON
    _edit_the_enterprise(cached)
    cold = check(".", "--no-cache")
    assert cold == (0, "", "floe-lint: no problems (6 files checked)\n")
    assert check(".") == cold
    assert check(".") == cold


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    damage=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1, exclude_max=True), st.binary(min_size=1, max_size=4)
        ),
        min_size=1,
        max_size=4,
    )
)
def test_a_replayed_run_with_damaged_kept_parses_prints_what_a_cold_run_prints(
    cached: Path,  # noqa: F811
    damage: list[tuple[float, bytes]],
) -> None:
    cache.clean(cache.directory())
    _fill_and_edit_the_enterprise(cached)
    parses = _parses()
    raw = bytearray(parses.read_bytes())
    for where, bytes_ in damage:  # bytes overwritten at a place in the file
        at = int(where * len(raw))
        raw[at : at + len(bytes_)] = bytes_
    parses.write_bytes(bytes(raw))
    _edit_the_enterprise(cached)
    cold = check(".", "--no-cache")
    assert check(".") == cold
    assert check(".") == cold
