"""Every input within the size limit is checked in time linear in its size (issue 12).

Each case times one piece of work on a 1x and an 8x input of the shape that made it
quadratic before, and asserts the ratio stays under 12 (quadratic would be about 64). Cases of
the security reproducer: redos_template, redos_show_source.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from floe_lint.masking import mask, shown_lines
from floe_lint.secrets import is_reference, is_secret_key, is_templated, literal_credentials
from tests.conftest import run_cli, write_files

MAX_RATIO = 12


def _seconds(work: Callable[[], object], calls: int) -> float:
    """CPU seconds of `calls` calls: other processes on a shared machine do not count, nor
    does the garbage collector (a run pauses it, see floe_lint.load.bulk)."""
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        for _ in range(calls):
            work()
        return time.process_time() - start
    finally:
        gc.enable()


def assert_linear(run: Callable[[str], object], make: Callable[[int], str], size: int) -> None:
    """`run` on make(8 * size) takes less than MAX_RATIO times as long as on make(size).

    The two are timed in turn, seven times, in CPU time, and the best of each is compared."""
    small, large = make(size), make(8 * size)
    calls = 1
    while _seconds(lambda: run(small), calls) < 0.02 and calls < 1 << 16:
        calls *= 2  # enough calls that the 1x timing is well above the clock's noise
    best_small = best_large = float("inf")
    for _ in range(7):
        best_small = min(best_small, _seconds(lambda: run(small), calls))
        best_large = min(best_large, _seconds(lambda: run(large), calls))
    ratio = best_large / best_small
    assert ratio < MAX_RATIO, f"8x input took {ratio:.1f}x as long"


TEMPLATE_INPUTS = {
    "open braces": lambda n: "{{" * n,
    "shell opener": lambda n: "${" * n,
    "env_var without end": lambda n: "{{ env_var('" + "A" * n,
    "spaces in a template": lambda n: "{{" + " " * n + "x",
}


@pytest.mark.parametrize("shape", TEMPLATE_INPUTS)
def test_the_template_checks_are_linear(shape: str) -> None:
    make = TEMPLATE_INPUTS[shape]
    assert_linear(is_templated, make, 2_000)
    assert_linear(is_reference, make, 2_000)


KEY_INPUTS = {
    "capitals": lambda n: "A" * n,
    "camel humps": lambda n: "aB" * n,
    "digits and words": lambda n: "pass1" * n,
}


@pytest.mark.parametrize("shape", KEY_INPUTS)
def test_the_credential_key_check_is_linear(shape: str) -> None:
    make = KEY_INPUTS[shape]
    assert_linear(is_secret_key.__wrapped__, make, 500)


LINE_INPUTS = {
    "one long word": lambda n: "L" * n,
    "nested flow": lambda n: "{password: [" * n,
    "unclosed quotes": lambda n: "password: '" + "x" * n,
    "many secrets": lambda n: "{pw: x, " * n,
    "quote runs": lambda n: "'\"" * n,
}


@pytest.mark.parametrize("shape", LINE_INPUTS)
def test_show_source_masking_is_linear(shape: str) -> None:
    assert_linear(mask, LINE_INPUTS[shape], 1_000)


def test_the_secret_scan_and_span_masking_are_linear(tmp_path: Path) -> None:
    from floe_lint.load.document import parse

    def document(n: int) -> str:
        return "settings:\n" + "".join(f"  password{i}: value-{i}\n" for i in range(n))

    def scan(text: str) -> object:
        source = parse(tmp_path / "manifest.yaml", text.encode())
        return list(literal_credentials(source.documents[0].data)), shown_lines(source)

    assert_linear(scan, document, 100)


def test_a_compute_of_40_kb_of_braces_is_checked_quickly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    manifest = "plugins:\n  compute:\n    approved: [duckdb]\n    default: duckdb\n"
    write_files(tmp_path, {"manifest.yaml": manifest})

    def check(text: str) -> object:
        (tmp_path / "floe.yaml").write_text(text, encoding="utf-8")
        run = run_cli("check", "floe.yaml", "--show-source")
        assert run.code == 1
        return run

    def product(n: int) -> str:
        return (
            "name: x\nversion: '1.0.0'\nplatform: {ref: manifest.yaml}\ntransforms:\n"
            f'- {{path: a, compute: "{"{{" * n}"}}\n- {"L" * n}\n'
        )

    assert_linear(check, product, 20_000)
