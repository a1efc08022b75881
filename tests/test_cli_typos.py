"""Mistyped command lines, through the installed console script: every unknown subcommand,
option and choice value is one line on stderr with a "did you mean" (or none when nothing is
close), exit 2, and no usage dump. Suggestions come from the real option table."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.cli import COMMANDS, _parser, main
from tests.conftest import REPO

FLOE_LINT = shutil.which("floe-lint", path=str(Path(sys.executable).parent)) or "floe-lint"


def floe_lint(*argv: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FLOE_LINT, *argv], cwd=cwd, capture_output=True, text=True, check=False, timeout=120
    )


# what each command needs besides options, so that the unknown option is the first mistake
REQUIRED = {
    "rule": ["FL201"],
    "schema": ["floe"],
    "impact": ["manifest.yaml"],
    "explain": ["floe.yaml"],
    "publish": ["manifest.yaml", "oci://127.0.0.1:5000/p:1"],
}


def options_of(command: str) -> set[str]:
    parser = _parser(command)
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]  # type: ignore[index]
    return {o for a in sub._actions for o in a.option_strings}


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["check", "--format=jsn", "."],
            "floe-lint: error: unknown value 'jsn' for 'floe-lint check --format'; did you mean "
            "'json'? (choose from text, json, sarif, github, gitlab, junit, auto, concise, full)",
        ),
        (
            ["chek", "."],
            "floe-lint: error: unknown command 'chek'; did you mean 'check'?; "
            "see 'floe-lint --help'",
        ),
        (
            ["lint", "."],
            "floe-lint: error: unknown command 'lint'; see 'floe-lint --help'",
        ),
        (
            ["check", "--colour", "never", "."],
            "floe-lint: error: unknown option '--colour' for 'floe-lint check'; did you mean "
            "'--color'?; see 'floe-lint check --help'",
        ),
        (
            ["check", "--color", "nevr", "."],
            "floe-lint: error: unknown value 'nevr' for 'floe-lint check --color'; did you mean "
            "'never'? (choose from auto, always, never)",
        ),
        (
            ["schema", "manfest"],
            "floe-lint: error: unknown value 'manfest' for 'floe-lint schema name'; did you mean "
            "'manifest'? (choose from manifest, floe, manifest-floe, floe-floe, config, report, "
            "compiled_artifacts, impact, explain)",
        ),
        (
            ["impact", "m.yaml", "--format", "md"],
            "floe-lint: error: unknown value 'md' for 'floe-lint impact --format' "
            "(choose from text, json, markdown)",
        ),
        (
            ["schema"],
            "floe-lint: error: the following arguments are required: name; "
            "see 'floe-lint schema --help'",
        ),
    ],
)
def test_a_mistyped_command_line_is_one_line_with_a_suggestion(argv: list[str], line: str) -> None:
    done = floe_lint(*argv)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", line + "\n")


def test_fix_is_not_taken_for_config(tmp_path: Path) -> None:
    """`--fix` once suggested `--config` (an edit distance that ignored the dashes); an option
    is compared without them. `check` has `--fix` now: a typo of it is told so, and `config`,
    whose only option besides `--isolated` is `--config`, refuses it with no suggestion."""
    done = floe_lint("check", "--fxi", ".")
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        "floe-lint: error: unknown option '--fxi' for 'floe-lint check'; did you mean "
        "'--fix'?; see 'floe-lint check --help'\n",
    )
    done = floe_lint("config", "--fix")
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        "floe-lint: error: unknown option '--fix' for 'floe-lint config'; "
        "see 'floe-lint config --help'\n",
    )
    done = floe_lint("check", "--fix", ".", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr.splitlines()[:2] == [
        "floe-lint: no problems (0 files checked)",
        "floe-lint: nothing fixed",
    ]


@settings(max_examples=60, deadline=None)
@given(
    command=st.sampled_from(sorted(COMMANDS)),
    word=st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12),
)
def test_any_unknown_option_is_one_line_naming_only_real_options(command: str, word: str) -> None:
    option = f"--{word}"
    known = options_of(command)
    if any(o.startswith(option) for o in known):
        return  # an abbreviation of a real option: argparse accepts it
    out, err = io.StringIO(), io.StringIO()
    code = main([command, option, *REQUIRED.get(command, [])], out, err)
    assert code == 2 and out.getvalue() == "" and err.getvalue().count("\n") == 1
    message = err.getvalue()
    assert message.startswith(f"floe-lint: error: unknown option '{option}' for ")
    if "did you mean" in message:
        suggested = message.split("did you mean '")[1].split("'")[0]
        assert suggested in known | {"--version", "--debug", "--help"}


def test_schema_config_prints_the_config_schema() -> None:
    done = floe_lint("schema", "config")
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout == (REPO / "schemas" / "config.json").read_text("utf-8")


def test_rules_prints_whole_first_sentences() -> None:
    done = floe_lint("rules")
    assert done.returncode == 0
    [line] = [line for line in done.stdout.splitlines() if line.startswith("FL003")]
    assert line.split(None, 3)[3] == (
        "A file named on the command line, or called floe.yaml or manifest.yaml, must hold a "
        "manifest or a product."
    )
    for line in done.stdout.splitlines()[1:]:
        assert line.rstrip().endswith("."), line
