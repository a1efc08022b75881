"""A credential-like key must not hold a literal value; use `env_var()` or a secret ref.

Why: a password committed to a manifest is leaked to everyone who can read the repository
and every registry it is published to. Values must come from `{{ env_var('...') }}` or the
compute's `connection_secret_ref`. floe-lint never prints the value, not even with
`--show-source`.

Fails:
    # file: manifest.yaml
    plugins:
      compute:
        approved:
          - name: snowflake
            config: {account: acme, password: hunter2}
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

from collections.abc import Iterator
from typing import Any

from floe_lint.api import Context, Document, Finding, Node, is_env_var_reference, is_secret_key

ID, NAME, SEVERITY, SUBJECT = "FL501", "secret-literal", "error", "document"

SKIPPED = frozenset({"metadata", "description"})


def _literals(value: Any, node: Node, owner: str) -> Iterator[tuple[Node, str, str]]:
    """(node, key, owning compute name) of each literal credential."""
    if isinstance(value, dict):
        name = value.get("name")
        owner = name if isinstance(name, str) else owner
        for key, child in value.items():
            if str(key) in SKIPPED:
                continue
            if is_secret_key(str(key)) and _is_literal(child):
                yield node.child(str(key)), str(key), owner
            elif isinstance(child, dict | list):
                yield from _literals(child, node.child(str(key)), owner)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            if isinstance(child, dict | list):
                yield from _literals(child, node.child(index), owner)


def _is_literal(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and value.strip() != "" and not is_env_var_reference(value)


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    for node, key, owner in _literals(doc.data, doc.node(), ""):
        words = f"{owner}_{key}" if owner else key
        env = "".join(c if c.isalnum() else "_" for c in words).upper()
        yield ctx.finding(
            node,
            f"'{key}' holds a literal credential; use \"{{{{ env_var('{env}') }}}}\" "
            "or the compute's connection_secret_ref",
            sensitive=True,
        )
