"""`check`'s plain command lines are read without argparse (floe_lint.commands.quick), into
exactly what argparse gives: these tests hold the two together."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.cli import _parser
from floe_lint.commands import quick
from floe_lint.commands.usage import DEFAULT_PATHS


def argparse_reads(words: list[str]) -> tuple[dict[str, object], list[str]]:
    args, unknown = _parser("check").parse_known_args(words)
    return vars(args), unknown


def test_the_defaults_are_the_parsers_every_option_and_order() -> None:
    """An option added to `check` fails this until `quick.defaults` has it."""
    theirs, unknown = argparse_reads(["check"])
    assert unknown == []
    ours = quick.defaults()
    assert list(ours) == list(theirs)
    assert ours == theirs
    assert theirs["paths"] is DEFAULT_PATHS and ours["paths"] is DEFAULT_PATHS


def test_every_quick_flag_is_a_flag_of_check_that_takes_no_value() -> None:
    for flag, dest in quick.FLAGS.items():
        theirs, unknown = argparse_reads(["check", flag])
        assert unknown == []
        assert theirs == {**quick.defaults(), dest: True}, flag


def test_the_hook_and_benchmark_lines_are_read_quickly() -> None:
    """What pre-commit runs (`entry` + args + file names) and the benchmark's case."""
    for words in (
        ["check", "--hook", "products/a/floe.yaml", "platform/manifest.yaml"],
        ["check", "--hook", "--no-dependents", "a.yaml"],
        ["check", "--no-dependents", "a.yaml", "b.yaml", "c.yaml"],
        ["check"],
        ["check", "products/"],
    ):
        arguments = quick.check_arguments(words)
        assert arguments is not None, words
        theirs, unknown = argparse_reads(words)
        assert unknown == [] and vars(arguments) == theirs


WORDS = st.one_of(
    st.sampled_from(sorted(quick.FLAGS)),
    st.sampled_from(["a.yaml", "dir/floe.yaml", "x y.yml", "check", "rules", "FL001", "=", "."]),
    st.sampled_from(["", "-", "--", "-j", "2", "--jobs=2", "--format", "json", "--select"]),
    st.sampled_from(["--debug", "--no-dep", "--hook=1", "-o", "--help", "-h", "--fix-only"]),
    st.text(st.sampled_from("ab-=/. "), max_size=6),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(WORDS, max_size=7))
def test_a_line_read_quickly_is_read_as_argparse_reads_it(rest: list[str]) -> None:
    words = ["check", *rest]
    arguments = quick.check_arguments(words)
    if arguments is None:
        return  # argparse reads it, with its own messages
    theirs, unknown = argparse_reads(words)
    assert unknown == []
    assert vars(arguments) == theirs
    assert (arguments.paths is DEFAULT_PATHS) == (theirs["paths"] is DEFAULT_PATHS)
    assert all(isinstance(p, Path) for p in arguments.paths)


def test_other_commands_and_options_with_values_go_to_argparse() -> None:
    for words in (
        ["rules"],
        ["--debug", "check"],
        ["check", "--format", "json", "a.yaml"],
        ["check", "a.yaml", "--hook"],  # argparse takes a flag after a path; not read here
        ["check", "-"],
        ["check", "--no-dep", "a.yaml"],  # an abbreviation: argparse's to accept
    ):
        assert quick.check_arguments(words) is None, words
