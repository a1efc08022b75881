"""A ref (or any URL) in a manifest or product must not carry a password.

Why: `oci://user:password@registry/...` puts a registry credential in a file that is
committed, reviewed, copied into logs and published as an OCI artifact. floe-lint never uses
it (registry credentials come from `FLOE_LINT_REGISTRY_USERNAME` / `_PASSWORD` or Docker's
config) and stars it in every output; this rule reports it where it is written, so it is
removed and rotated.

Fails:
    # expect: floe.yaml:2:17 holds a password (oci://ci:*****@registry.example.com/floe/platform:1.0)
    # file: floe.yaml
    name: orders
    platform: {ref: 'oci://ci:s3cr3@registry.example.com/floe/platform:1.0'}
    transforms: [{type: dbt, path: models/a/}]

Passes:
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms: [{type: dbt, path: models/a/}]
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}
"""

from __future__ import annotations

from collections.abc import Iterator

from floe_lint.api import Context, Document, Finding, mask_url_credentials, may_hold_url_credentials

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ID, NAME, SEVERITY, SUBJECT = "FL311", "ref-credential", "error", "document"
GUARD = "url-credentials"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)


def _strings(data: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """(pointer, text) of every string value that holds a URL."""
    if isinstance(data, str):
        if "://" in data and "@" in data:
            yield pointer, data
    elif isinstance(data, dict):
        for key, value in data.items():
            token = str(key).replace("~", "~0").replace("/", "~1")
            yield from _strings(value, f"{pointer}/{token}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, f"{pointer}/{index}")


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    if not may_hold_url_credentials(doc.text):
        return
    for pointer, text in _strings(doc.data):
        masked = mask_url_credentials(text)
        if masked == text:
            continue
        yield ctx.finding(
            doc.node(pointer),
            f"holds a password ({masked}): remove it from the file and rotate it; registry "
            "credentials come from FLOE_LINT_REGISTRY_USERNAME/FLOE_LINT_REGISTRY_PASSWORD or "
            "Docker's config.json, never from a ref",
            sensitive=True,
        )
