"""`floe-lint rule FL201`: a rule's documentation, which is its module docstring."""

from __future__ import annotations

import argparse
import inspect
from typing import TextIO

from floe_lint.commands.rules import all_rules
from floe_lint.commands.usage import EXIT_CLEAN, UsageError


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.lint.registry import find_rule
    from floe_lint.suggest import did_you_mean

    key: str = args.rule
    rules = all_rules(args.config, args.isolated)
    rule = find_rule(key, rules)
    if rule is None:
        names = [r.name for r in rules] + [r.id for r in rules]
        raise UsageError(f"unknown rule '{key}'{did_you_mean(key, names)}; see 'floe-lint rules'")
    stdout.write(f"{rule.id} {rule.name} (default severity: {rule.severity})\n\n")
    stdout.write(inspect.cleandoc(rule.doc) + "\n")
    if rule.fixes:
        stdout.write("\nFixes (check --fix applies safe ones; --unsafe-fixes also unsafe ones):\n")
        for applicability, what in rule.fixes:
            stdout.write(f"  {applicability}: {what}\n")
    else:
        stdout.write("\nFixes: none (fix it by hand)\n")
    return EXIT_CLEAN
