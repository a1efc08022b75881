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

from floe_lint.findings import Finding
from floe_lint.lint.context import Context
from floe_lint.load import pointer as ptr
from floe_lint.load.document import Document
from floe_lint.secrets import is_env_var_reference, is_secret_key

ID, NAME, SEVERITY, SUBJECT = "FL501", "secret-literal", "error", "document"
SKIPPED = frozenset({"metadata", "description"})


def _literals(value: Any, pointer: str, owner: str) -> Iterator[tuple[str, str, str]]:
    """(pointer, key, owning compute name) of each literal credential."""
    if isinstance(value, dict):
        name = value.get("name")
        owner = name if isinstance(name, str) else owner
        for key, child in value.items():
            if str(key) in SKIPPED:
                continue
            if is_secret_key(str(key)) and _is_literal(child):
                yield ptr.join(pointer, str(key)), str(key), owner
            elif isinstance(child, dict | list):
                yield from _literals(child, ptr.join(pointer, str(key)), owner)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            if isinstance(child, dict | list):
                yield from _literals(child, ptr.join(pointer, index), owner)


def _is_literal(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and value.strip() != "" and not is_env_var_reference(value)


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    for pointer, key, owner in _literals(doc.data, "", ""):
        words = f"{owner}_{key}" if owner else key
        env = "".join(c if c.isalnum() else "_" for c in words).upper()
        yield ctx.finding(
            doc,
            pointer,
            f"'{key}' holds a literal credential; use \"{{{{ env_var('{env}') }}}}\" "
            "or the compute's connection_secret_ref",
            sensitive=True,
        )
