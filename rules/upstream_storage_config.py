"""A storage or catalog selection must be one upstream's plugins compose into a dbt profile.

Why: upstream Floe's `floe platform compile` configures the storage plugin `plugins.storage`
selects (`minio`, `aws-s3`) and the catalog plugin `plugins.catalog` selects (`polaris`) with
their `config`, and merges their settings into every product's dbt profile. A config the
plugin's model refuses (a missing `bucket`, an endpoint that is not http(s), a `polaris` config
without `warehouse` or `oauth2`, a Secret name that is not a Kubernetes name), or a catalog
that does not compose with the storage, fails the compile of every product on the platform;
`floe-lint compile` refuses it at the same key, and check says so first.

Fails:
    # expect: manifest.yaml:6:34 storage plugin 'minio' configuration is invalid: config bucket: is required; every product on platform 'acme-platform' fails to compile
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins:
      compute: {type: duckdb}
      storage: {type: minio, config: {endpoint: 'http://minio:9000'}}

Passes:
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins:
      compute: {type: duckdb}
      storage: {type: minio, config: {endpoint: 'http://minio:9000', bucket: lake}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level

ID, NAME, SEVERITY, SUBJECT = "FL709", "upstream-storage-config", "error", "manifest"
DIALECT = "floe"  # upstream's code dialect only: a run without it does not import this


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    if level.doc.dialect != "floe" or not isinstance(level.doc.get("/plugins"), dict):
        return
    problem = ctx.storage_problem(level)
    if problem is None or problem.doc is not level.doc:
        return  # reported on the level that writes the selection
    parts = [part.replace("~1", "/").replace("~0", "~") for part in problem.pointer.split("/")[1:]]
    yield ctx.finding(
        level.node.child(*parts),
        f"{problem.message}; every product on {level.label} fails to compile",
    )
