"""`impact`'s plain command lines are read without argparse (floe_lint.commands.quick), into
exactly what argparse gives, and the console script's `impact` then imports neither argparse
nor `floe_lint.cli` (issue 17's impact budget: about 7 ms of its start-up)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.cli import _parser
from floe_lint.commands import quick

REPO = Path(__file__).resolve().parent.parent


def argparse_reads(words: list[str]) -> tuple[dict[str, object], list[str]]:
    args, unknown = _parser("impact").parse_known_args(words)
    return vars(args), unknown


def test_the_defaults_are_the_parsers_every_option_and_order() -> None:
    """An option added to `impact` fails this until `quick.impact_defaults` has it."""
    theirs, unknown = argparse_reads(["impact", "m.yaml"])
    assert unknown == []
    ours = {**quick.impact_defaults(), "manifest": Path("m.yaml")}
    assert list(ours) == list(theirs)
    assert ours == theirs


def test_the_benchmark_and_ci_lines_are_read_quickly() -> None:
    for words in (
        ["impact", "platform/enterprise/manifest.yaml", "--against", "/tmp/old.yaml"],
        ["impact", "platform/manifest.yaml"],
        ["impact", "--against", "HEAD~1", "m.yaml", "--format", "markdown", "--offline"],
        ["impact", "m.yaml", "--format", "json", "--isolated"],
    ):
        arguments = quick.impact_arguments(words)
        assert arguments is not None, words
        theirs, unknown = argparse_reads(words)
        assert unknown == [] and vars(arguments) == theirs


def test_other_lines_go_to_argparse() -> None:
    for words in (
        ["impact"],  # argparse's message: the manifest is required
        ["impact", "a.yaml", "b.yaml"],
        ["impact", "a.yaml", "--against"],
        ["impact", "a.yaml", "--against", "-x"],
        ["impact", "a.yaml", "--against=x"],
        ["impact", "a.yaml", "--format", "sarif"],  # not a choice: argparse says so
        ["impact", "a.yaml", "-o", "out.md"],
        ["impact", "a.yaml", "--against", ""],
        ["impact", "-"],
        ["impact", "--", "a.yaml"],
        ["impact", "a.yaml", "--off"],  # an abbreviation: argparse's to accept
        ["--debug", "impact", "a.yaml"],
    ):
        assert quick.impact_arguments(words) is None, words


WORDS = st.one_of(
    st.sampled_from(sorted(quick.IMPACT_FLAGS)),
    st.sampled_from(sorted(quick.IMPACT_OPTIONS)),
    st.sampled_from(["a.yaml", "dir/manifest.yaml", "x y.yml", "impact", "HEAD", "=", "."]),
    st.sampled_from(["", "-", "--", "-o", "text", "json", "markdown", "sarif", "--ref"]),
    st.sampled_from(["--debug", "--off", "--against=x", "--format=json", "-h", "--workspace"]),
    st.text(st.sampled_from("ab-=/. "), max_size=6),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(WORDS, max_size=7))
def test_a_line_read_quickly_is_read_as_argparse_reads_it(rest: list[str]) -> None:
    words = ["impact", *rest]
    arguments = quick.impact_arguments(words)
    if arguments is None:
        return  # argparse reads it, with its own messages
    theirs, unknown = argparse_reads(words)
    assert unknown == []
    assert vars(arguments) == theirs
    assert isinstance(arguments.manifest, Path)


LAUNCH_PROBE = """
import json, sys
before = set(sys.modules)
sys.argv = ["floe-lint", *sys.argv[1:]]
from floe_lint.launch import main
status = main()
print(json.dumps([status, sorted(set(sys.modules) - before)]))
"""


def test_the_console_scripts_impact_imports_neither_argparse_nor_the_cli(tmp_path: Path) -> None:
    """The benchmark's line (a manifest against a file) in a fresh interpreter: it reports,
    and imported neither; the same line written otherwise still goes to argparse."""
    domain, product = tmp_path / "platform", tmp_path / "products" / "a"
    domain.mkdir()
    product.mkdir(parents=True)
    manifest = domain / "manifest.yaml"
    manifest.write_text(
        "scope: enterprise\nplugins: {compute: {approved: [duckdb], default: duckdb}}\n"
    )
    (product / "floe.yaml").write_text(
        "name: a\nplatform: {ref: ../../platform/manifest.yaml}\n"
        "transforms: [{path: models/x/, compute: spark}]\n"
    )
    old = tmp_path / "old.yaml"
    old.write_text(
        "scope: enterprise\nplugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOE_LINT_")}
    env["FLOE_LINT_NO_CACHE"] = "1"
    env["PYTHONPATH"] = str(REPO)
    for words, quickly in (
        (["impact", "platform/manifest.yaml", "--against", "old.yaml"], True),
        (["impact", "platform/manifest.yaml", "--against=old.yaml"], False),
    ):
        result = subprocess.run(
            [sys.executable, "-c", LAUNCH_PROBE, *words],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env=env,
        )
        assert result.returncode == 0, result.stderr
        *report, last = result.stdout.splitlines()
        status, loaded = json.loads(last)
        assert status == 1  # the change makes spark unapproved
        assert report[1] == "findings that appear: 1"
        assert report[2] == (
            "  + products/a/floe.yaml:3:41: ERROR FL201 [compute-not-approved] transform "
            "'models/x/' selects compute 'spark', which enterprise manifest manifest.yaml does "
            "not approve (no level of the hierarchy approves it); approved: duckdb"
        )
        assert ({"argparse", "floe_lint.cli"} & set(loaded) == set()) is quickly, loaded
