"""A file named on the command line that the config's include/exclude globs leave out: not
checked (pre-commit hands every staged file: an excluded one must not fail the hook, exit 0),
but said on stderr with the glob that left it out. Before, 'check FILE' printed '0 files
checked' and exited 0 with nothing to tell the file was never read."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

BROKEN = "name: p\nplatform: {ref: nowhere.yaml}\nversion: [\n"


@pytest.fixture(autouse=True)
def _tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(
        tmp_path,
        {
            ".floe-lint.yaml": 'exclude: [legacy, "sandbox/**"]\n',
            "sandbox/p/floe.yaml": BROKEN,
            "products/p/floe.yaml": BROKEN,
        },
    )
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)


def test_an_excluded_file_given_is_named_with_its_pattern_and_passes() -> None:
    run = run_cli("check", "--no-cache", "sandbox/p/floe.yaml")
    assert (run.code, run.stdout) == (0, "")
    assert run.stderr.startswith(
        "floe-lint: sandbox/p/floe.yaml is left out by .floe-lint.yaml's exclude 'sandbox/**': "
        "not checked\n"
    ), run.stderr


def test_an_excluded_file_beside_a_checked_one_in_a_hook_run() -> None:
    run = run_cli("check", "--no-cache", "--hook", "sandbox/p/floe.yaml", "products/p/floe.yaml")
    assert run.code == 1
    assert run.stdout.startswith("products/p/floe.yaml:3:"), run.stdout
    assert "sandbox/p/floe.yaml:" not in run.stdout
    said = "floe-lint: sandbox/p/floe.yaml is left out by .floe-lint.yaml's exclude 'sandbox/**'"
    assert said in run.stderr, run.stderr


def test_include_leaves_out_and_nothing_is_said_of_a_file_it_selects(tmp_path: Path) -> None:
    (tmp_path / ".floe-lint.yaml").write_text("include: [products/**]\n", "utf-8")
    run = run_cli("check", "--no-cache", "sandbox/p/floe.yaml")
    assert (run.code, run.stdout) == (0, "")
    assert run.stderr.startswith(
        "floe-lint: sandbox/p/floe.yaml is left out by .floe-lint.yaml's include (no pattern of "
        "it matches): not checked\n"
    ), run.stderr
    run = run_cli("check", "--no-cache", "products/p/floe.yaml")
    assert run.code == 1 and "left out" not in run.stderr, run.stderr


def test_a_cached_run_says_it_as_a_cold_one() -> None:
    cold = run_cli("check", "--no-cache", "sandbox/p/floe.yaml", "products/p/floe.yaml")
    for _ in range(2):  # filling the cache, then replaying it
        run = run_cli("check", "sandbox/p/floe.yaml", "products/p/floe.yaml")
        assert (run.code, run.stdout, run.stderr) == (cold.code, cold.stdout, cold.stderr)
