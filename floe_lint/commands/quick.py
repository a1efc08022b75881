"""`check`'s and `impact`'s plain command lines read without argparse (the pre-commit hook's
and CI's).

Importing argparse and building `check`'s parser costs about as much CPU as checking one
product (issue 17). A line made of `check`, then flags that take no value (below), then paths
(`check --hook a/floe.yaml b/manifest.yaml`, as pre-commit runs the hook) is read here into the
namespace argparse gives for it; any other line (an option with a value, `-`, `--`, a flag
after a path, an abbreviation, a typo) returns None and argparse reads it, with its messages.
So is a line of `impact`, one path and the flags and options of `IMPACT_FLAGS` and
`IMPACT_OPTIONS` (`impact MANIFEST --against FILE`, as issue 17's budget times it).
tests/test_quick_arguments.py and tests/test_quick_impact.py prove the two agree, with
hypothesis, and that the defaults hold every option of the real parser with its default: an
option added to `check` or `impact` fails them until it is added here.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from floe_lint.commands.usage import DEFAULT_PATHS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

#: `check`'s flags that take no value, by option string: the dest they set to True
FLAGS = {
    "--statistics": "statistics",
    "--isolated": "isolated",
    "--hook": "hook",
    "--no-cache": "no_cache",
    "--no-dependents": "no_dependents",
    "--fix": "fix",
    "--unsafe-fixes": "unsafe_fixes",
    "--diff": "diff",
    "--include-suppressed": "include_suppressed",
    "--exit-zero": "exit_zero",
    "--fail-on-empty": "fail_on_empty",
    "--require-suppression-reason": "require_suppression_reason",
    "--offline": "offline",
}


def defaults() -> dict[str, Any]:
    """What argparse sets for `floe-lint check` alone, in its order (fresh lists each call)."""
    return {
        "debug": False,
        "command": "check",
        "paths": DEFAULT_PATHS,  # the very object: `check --hook` alone is told from `check .`
        "stdin_filename": None,
        "format": None,
        "statistics": False,
        "output": None,
        "ref": [],
        "manifest": None,
        "select": [],
        "ignore": [],
        "config": None,
        "isolated": False,
        "trusted_root": [],
        "hook": False,
        "show_source": None,
        "color": "auto",
        "jobs": None,
        "no_cache": False,
        "no_dependents": False,
        "workspace": None,
        "fix": False,
        "unsafe_fixes": False,
        "diff": False,
        "sarif_category": None,
        "sarif_file": None,
        "include_suppressed": False,
        "exit_zero": False,
        "fail_on_empty": False,
        "fail_on": None,
        "baseline": None,
        "write_baseline": None,
        "require_suppression_reason": False,
        "offline": False,
    }


def check_arguments(words: list[str]) -> SimpleNamespace | None:
    """The namespace of `words` (`["check", ...]`), or None when argparse must read them."""
    if words[:1] != ["check"]:
        return None
    values = defaults()
    paths: list[Path] = []
    for word in words[1:]:
        dest = FLAGS.get(word)
        if dest is not None and not paths:
            values[dest] = True
        elif word and not word.startswith("-"):
            paths.append(Path(word))
        else:  # an option argparse must read, or a flag after a path
            return None
    if paths:
        values["paths"] = paths
    return SimpleNamespace(**values)


#: `impact`'s flags that take no value, and its options read here with the values they take
#: (None: any word that does not begin with `-`)
IMPACT_FLAGS = {"--offline": "offline", "--isolated": "isolated"}
IMPACT_OPTIONS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "--against": ("against", None),
    "--format": ("format", ("text", "json", "markdown")),
}


def impact_defaults() -> dict[str, Any]:
    """What argparse sets for `floe-lint impact MANIFEST`, in its order, but the manifest."""
    return {
        "debug": False,
        "command": "impact",
        "manifest": None,
        "against": None,
        "format": "text",
        "output": None,
        "ref": [],
        "config": None,
        "isolated": False,
        "workspace": None,
        "offline": False,
    }


def impact_arguments(words: list[str]) -> SimpleNamespace | None:
    """The namespace of `words` (`["impact", MANIFEST, ...]` with the flags and options above,
    as `benchmarks/budgets.py` and CI run it), or None when argparse must read them."""
    if words[:1] != ["impact"]:
        return None
    values = impact_defaults()
    rest = iter(words[1:])
    for word in rest:
        dest = IMPACT_FLAGS.get(word)
        option = IMPACT_OPTIONS.get(word)
        if dest is not None:
            values[dest] = True
        elif option is not None:
            value, choices = next(rest, ""), option[1]
            if not value or value.startswith("-") or (choices is not None and value not in choices):
                return None
            values[option[0]] = value
        elif word and not word.startswith("-") and values["manifest"] is None:
            values["manifest"] = Path(word)
        else:  # a second path, an option argparse must read, `-`, `--`, an abbreviation
            return None
    if values["manifest"] is None:
        return None
    return SimpleNamespace(**values)


def run_plain(words: list[str], stdout: TextIO, stderr: TextIO) -> int | None:
    """Run a plain `check` or `impact` line (`words` without the program name); None for any
    other line. The console script calls it before importing `floe_lint.cli` (its command
    table and its parser builders), which calls it too."""
    command = words[0] if words else None
    if command == "check":
        quick = check_arguments(words)
    elif command == "impact":
        quick = impact_arguments(words)
    else:
        return None
    if quick is None:
        return None
    from floe_lint.commands.dispatch import run

    return run(command, quick, stdout, stderr)
