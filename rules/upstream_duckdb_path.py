"""A DuckDB database path must be one upstream's DuckDB plugin accepts.

Why: upstream Floe renders a DuckDB profile with its own plugin (floe-compute-duckdb, also
preferred by `floe-lint compile` for upstream-dialect products when installed), which refuses a
`path` containing `..` (path traversal) or made only of separators and dots: the compile of
every product on the platform then fails. floe-lint's built-in plugin would accept it, so check
says so first.

Fails:
    # expect: manifest.yaml:4:50 floe-compute-duckdb refuses this database path: it must not contain '..' (path traversal); every product on platform 'acme-platform' fails to compile
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb, config: {path: ../shared/acme.duckdb}}, orchestrator: {type: dagster}}

Passes:
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb, config: {path: "/data/{product_slug}.duckdb"}}, orchestrator: {type: dagster}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level

ID, NAME, SEVERITY, SUBJECT = "FL707", "upstream-duckdb-path", "error", "manifest"
DIALECT = "floe"  # upstream's code dialect only: a run without it does not import this


def _problem(path: str) -> str | None:
    if ".." in path:
        return "it must not contain '..' (path traversal)"
    if path != ":memory:" and not path.translate(str.maketrans("", "", "/\\._-:")):
        return "it names no file"
    return None


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    if level.doc.dialect != "floe" or level.doc.get("/plugins/compute/type") != "duckdb":
        return
    path = level.doc.get("/plugins/compute/config/path")
    if not isinstance(path, str):
        return
    problem = _problem(path)
    if problem is not None:
        yield ctx.finding(
            level.node.child("plugins", "compute", "config", "path"),
            f"floe-compute-duckdb refuses this database path: {problem}; every product on "
            f"{level.label} fails to compile",
        )
