"""The `CompiledArtifacts` contract (pydantic) and the deterministic texts of the artifacts and
of dbt's profiles.yml, each made only by a serializer (json, yaml.safe_dump).

Downstream consumers (orchestrators, dbt job pods) read `compiled_artifacts.json`; its JSON
Schema lives in `schemas/compiled_artifacts.json` and is regenerated with
`python -m floe_lint.compute.artifacts` (a test fails while it is stale). Nothing here depends on
the time, the machine or absolute paths, so a rerun is byte-identical.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from floe_lint.load.pyyaml import yaml
from floe_lint.load.reading import read_regular
from floe_lint.reporters import json_text

SCHEMA_VERSION: Literal["1"] = "1"
ARTIFACTS_FILE = "compiled_artifacts.json"
PROFILES_FILE = "profiles.yml"
SCHEMA_ID = "https://floe.dev/schemas/floe-lint/compiled_artifacts.json"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ResourceSpec(_Model):
    """Kubernetes requests and limits of the pod that runs one dbt step."""

    cpu_request: str = Field(examples=["500m"])
    cpu_limit: str = Field(examples=["2000m"])
    memory_request: str = Field(examples=["512Mi"])
    memory_limit: str = Field(examples=["2Gi"])


class ComputeConfig(_Model):
    """One effective approved compute, with its config merged down the hierarchy."""

    name: str = Field(description="Compute engine, e.g. duckdb or spark; the dbt target name.")
    connection_secret_ref: str | None = Field(
        description="Kubernetes secret whose keys are exposed as the profile's env vars."
    )
    properties: dict[str, Any] = Field(description="Engine config after hierarchy merge.")
    plugin_version: str
    is_self_hosted: bool
    dbt_packages: list[str] = Field(description="pip requirements of the dbt adapter.")
    approved_by: str = Field(description="The manifest level whose effective list approves it.")


class ComputeRegistry(_Model):
    """Every compute the product's platform approves, by name, and the default."""

    configs: dict[str, ComputeConfig]
    default: str | None


class TransformConfig(_Model):
    """One pipeline step and the compute it runs on, the same in every environment."""

    type: str
    path: str | None = Field(
        default=None, description="The step's dbt models by path (ADR-0010); None: by name."
    )
    name: str | None = None
    compute: str | None = Field(description="The compute the transform names (None: default).")
    resolved_compute: str = Field(description="The compute it runs on; the dbt target.")
    workload_size: Literal["small", "medium", "large"]
    resources: ResourceSpec
    tags: list[str] = Field(default_factory=list)
    dbt_target: str
    dbt_select: str = Field(
        description="dbt --select argument: path:models/staging (ADR-0010) or a model name"
    )


class Product(_Model):
    name: str
    version: str | None
    platform_ref: str


class CompiledArtifacts(_Model):
    """Contract between floe-lint compile and the consumers that run the pipeline."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    generator: str = Field(description="floe-lint version that wrote the file.")
    product: Product
    dbt_profile: str = Field(description="Profile name in profiles.yml.")
    dbt_packages: list[str] = Field(description="Adapters needed by the transforms, sorted.")
    compute_registry: ComputeRegistry
    transforms: list[TransformConfig]


def json_schema() -> dict[str, Any]:
    schema = CompiledArtifacts.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def artifacts_text(artifacts: CompiledArtifacts) -> str:
    """The artifacts as JSON, a bidi or control character of user text (a transform path
    `models/\\u202efdp.exe/` in dbt_select) written as a `\\u` escape (`json_text`): a
    reviewer of the file sees the escape, never text reordered (Trojan Source), and the data
    read back, dbt's --select included, is the same."""
    return json_text(artifacts.model_dump(mode="json"), indent=2) + "\n"


def profiles_document(
    profile_name: str, default_target: str, outputs: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The data of profiles.yml: one output per approved compute, output name = compute name."""
    return {profile_name: {"target": default_target, "outputs": outputs}}


PER_COMPUTE = (
    "# One output per approved compute: dbt run --target <compute> --select path:<path>.\n"
)
PER_ENVIRONMENT = (
    "# One output per environment, as upstream Floe renders it: dbt run --target dev.\n"
)


def profiles_text(document: dict[str, Any], outputs: str = PER_COMPUTE) -> str:
    """profiles.yml: a fixed comment (no user text: it is not escaped), then the serializer's
    rendering of `document`, so that no name or value can add a line of its own."""
    header = (
        "# Generated by floe-lint compile; do not edit.\n"
        + outputs
        + "# Credentials come only from environment variables (env_var).\n"
    )
    body = yaml.safe_dump(document, sort_keys=False, default_flow_style=False, allow_unicode=True)
    if not body.isascii() and (
        yaml.safe_load(body) != document  # PyYAML writes NEL, LS, PS raw in a quoted scalar:
        # read back (as dbt reads the file) each is a line break folded into a space; and it
        # writes a bidi override (U+202E) or a zero-width character raw, which reorders or
        # hides what a reviewer sees (Trojan Source): then every non-ASCII character is escaped
        or not all(c.isprintable() or c == "\n" for c in body)
    ):
        body = yaml.safe_dump(document, sort_keys=False, default_flow_style=False)
    return header + body


def stale(path: Path, text: str) -> str | None:
    """Why `path` differs from what would be written, or None when it is current."""
    try:
        current = read_regular(path)
    except FileNotFoundError:
        return "missing"
    except OSError as error:
        return f"unreadable ({error})"
    return None if current == text.encode("utf-8") else "stale"


def _schema_path() -> Path:
    return Path(__file__).resolve().parents[2] / "schemas" / "compiled_artifacts.json"


if __name__ == "__main__":  # python -m floe_lint.compute.artifacts: regenerate the bundled schema
    from floe_lint.safe_write import write_file

    write_file(_schema_path(), schema_text(), root=_schema_path().parent)
