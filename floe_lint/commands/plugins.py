"""`floe-lint plugins`: the compute plugins found, their versions, sources and dbt packages;
`--schema NAME`: one plugin's config schema, for editors."""

from __future__ import annotations

import argparse
from typing import TextIO

from floe_lint.commands.tables import write_table
from floe_lint.commands.usage import EXIT_CLEAN, EXIT_FINDINGS, UsageError


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.compute.upstream_plugins import preferring_upstream
    from floe_lint.reporters import printable

    if args.schema is not None:
        return _schema(args.schema, stdout)

    found = preferring_upstream()
    rows = [
        (
            name,
            plugin.version,
            "yes" if plugin.is_self_hosted else "no",
            found.sources[name],
            ", ".join(plugin.get_required_dbt_packages()),
        )
        for name, plugin in sorted(found.plugins.items())
    ]
    write_table(("NAME", "VERSION", "SELF-HOSTED", "SOURCE", "DBT PACKAGES"), rows, stdout)
    for error in found.errors:
        stderr.write(f"floe-lint: plugin error: {printable(error)}\n")
    return EXIT_FINDINGS if found.errors else EXIT_CLEAN


def _schema(name: str, stdout: TextIO) -> int:
    """A plugin's config schema as JSON: what `config:` of an approved compute may hold."""
    import json

    from floe_lint.compute.plugin import registry
    from floe_lint.suggest import did_you_mean

    found = registry()
    plugin = found.get(name)
    if plugin is None:
        raise UsageError(
            f"no compute plugin '{name}'{did_you_mean(name, found.plugins)} "
            f"(installed: {', '.join(sorted(found.plugins))})"
        )
    stdout.write(json.dumps(plugin.config_schema, indent=2, sort_keys=True) + "\n")
    return EXIT_CLEAN
