"""`plugins.quality.provider` must be a quality provider upstream Floe knows.

Why: upstream Floe's compile validates the platform's quality provider before it resolves
anything (`validate_quality_provider`, error FLOE-DQ001) against its plugin registry:
great_expectations, soda, dbt_expectations. Any other name, a misspelling such as
`great-expectations` included, makes every product on the platform fail to compile, although
the manifest itself loads. Reported at the value, with the closest known provider.

Fails:
    # expect: manifest.yaml:7:23 quality provider 'great-expectations' is not one upstream Floe knows
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins:
      compute: {type: duckdb}
      orchestrator: {type: dagster}
      quality: {provider: great-expectations}

Passes:
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins:
      compute: {type: duckdb}
      orchestrator: {type: dagster}
      quality: {provider: soda}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Document, Finding, did_you_mean

ID, NAME, SEVERITY, SUBJECT = "FL222", "quality-provider-unknown", "error", "document"
DIALECT = "floe"  # upstream's code dialect only: a run without it does not import this

#: floe-core's PLUGIN_REGISTRY["quality"] (floe_core/schemas/plugins.py).
PROVIDERS = ("great_expectations", "soda", "dbt_expectations")


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    if doc.kind != "manifest" or doc.dialect != "floe":
        return
    node = doc.node().child("plugins", "quality", "provider")
    provider = node.value
    if not isinstance(provider, str) or not provider or provider in PROVIDERS:
        return  # absent: upstream's default; not a string: schema-type
    yield ctx.finding(
        node,
        f"quality provider '{provider}' is not one upstream Floe knows, so its compile refuses "
        f"every product on this platform (FLOE-DQ001); known: {', '.join(PROVIDERS)}"
        f"{did_you_mean(provider, list(PROVIDERS))}",
    )
