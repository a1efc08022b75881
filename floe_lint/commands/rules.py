"""`floe-lint rules`: every rule (built-in, installed, the config's rule-folders), one line each."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from floe_lint.commands.usage import EXIT_CLEAN

if TYPE_CHECKING:
    from floe_lint.lint.registry import Rule


def all_rules(config_file: Path | None, isolated: bool = False) -> tuple[Rule, ...]:
    """Built-in and installed rules and those of the config's rule-folders, as `check` runs them."""
    from floe_lint.config import load_config
    from floe_lint.lint.registry import folder_rules, installed_rules

    config = load_config(config_file, Path.cwd(), isolated=isolated)
    extra = folder_rules(config.rule_folders) if config.rule_folders else ()
    return tuple(sorted((*installed_rules(), *extra), key=lambda r: r.id))


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    rules = all_rules(args.config, args.isolated)
    ids = max(6, *(len(r.id) for r in rules))  # 6: the listing of the built-in rules as before
    width = max(len(r.name) for r in rules)
    stdout.write(f"{'ID':<{ids}} {'NAME':<{width}} {'SEVERITY':<8} SUMMARY\n")
    for r in rules:
        stdout.write(f"{r.id:<{ids}} {r.name:<{width}} {r.severity:<8} {r.summary}\n")
    return EXIT_CLEAN
