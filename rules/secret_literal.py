"""A credential-like key must not hold a literal value; use `env_var()` or a secret ref.

Why: a password committed to a manifest is leaked to everyone who can read the repository
and every registry it is published to. Values must come from `{{ env_var('NAME') }}`
(optionally through filters that add no text: `| as_number`, `| as_text`, `| trim`, `| lower`,
`| default('')`) or the compute's `connection_secret_ref`. A default value
(`env_var('PW', 's3cr3t')`, `| default('s3cr3t')`), a literal template (`{{ 'x' }}`) or
`${PW:-x}` is a literal.
Keys match word by word (`dbPassword`, `secretAccessKey`, `pw`, `password1`), values nested
under them in mappings or lists count, and per-environment overlays are scanned too.
floe-lint never prints the value, not even with `--show-source`.

Fails:
    # expect: manifest.yaml:5:43 'password' holds a literal credential; use "{{ env_var('SNOWFLAKE_PASSWORD') }}" or the
    # file: manifest.yaml
    plugins:
      compute:
        approved:
          - name: snowflake
            config: {account: acme, password: "{{ env_var('SF_PW', 's3cr3t') }}"}
        default: snowflake

Passes:
    # file: manifest.yaml
    plugins:
      compute:
        approved:
          - name: snowflake
            config: {account: acme, password: "{{ env_var('SNOWFLAKE_PASSWORD') }}"}
            connection_secret_ref: snowflake-credentials
        default: snowflake
"""

from __future__ import annotations

from collections.abc import Iterator

from floe_lint.api import Context, Finding, SourceFile, literal_credentials, may_hold_credentials

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# A file, not a document: per-environment overlays (`manifest.prod.yaml`), which no other rule
# lints alone, are scanned too.
ID, NAME, SEVERITY, SUBJECT = "FL501", "secret-literal", "error", "file"
FIXES = {
    "display-only": "replace the literal by {{ env_var('NAME') }} (store the value there first)"
}
SKIPPED = frozenset({"metadata", "description"})


def _owner(data: Any, path: tuple[str | int, ...]) -> str:
    """The name of the compute (or other named entry) that holds `path`, if any."""
    owner, node = "", data
    for step in path:
        if isinstance(node, dict):
            owner = node["name"] if isinstance(node.get("name"), str) else owner
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int):
            node = node[step]
    return owner


def check(source: SourceFile, ctx: Context) -> Iterator[Finding]:
    if not may_hold_credentials(source.text):
        return
    for doc in source.documents:
        if doc.kind is None or not isinstance(doc.data, dict):
            continue
        for top, value in doc.data.items():
            if str(top) in SKIPPED:
                continue
            for path in literal_credentials({top: value}):
                key = next(str(s) for s in reversed(path) if isinstance(s, str))
                owner = _owner(doc.data, path)
                words = f"{owner}_{key}" if owner else key
                env = "".join(c if c.isascii() and c.isalnum() else "_" for c in words).upper()
                node = doc.node().child(*path)
                reference = f"{{{{ env_var('{env}') }}}}"
                yield ctx.finding(
                    node,
                    f"'{key}' holds a literal credential; use \"{{{{ env_var('{env}') }}}}\" "
                    "or the compute's connection_secret_ref",
                    sensitive=True,
                    fix=ctx.fix(
                        "display-only",
                        f"use {reference} (set {env} first)",
                        ctx.replace_value(node, reference),
                    ),
                )
