"""`floe-lint plugins`: the compute plugins found, their versions, sources and dbt packages."""

from __future__ import annotations

import argparse
from typing import TextIO

from floe_lint.commands.tables import write_table
from floe_lint.commands.usage import EXIT_CLEAN, EXIT_FINDINGS


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.compute.plugin import registry

    found = registry()
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
        stderr.write(f"floe-lint: plugin error: {error}\n")
    return EXIT_FINDINGS if found.errors else EXIT_CLEAN
