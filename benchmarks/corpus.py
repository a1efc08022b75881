"""A synthetic Floe monorepo for benchmarks and scale tests, deterministic from a seed.

Layout (N products spread over ~10 domains)::

    platform/enterprise/manifest.yaml          scope: enterprise
    platform/domains/<domain>/manifest.yaml    scope: domain, parent_manifest: ../../enterprise/...
    products/<domain>/<product>/floe.yaml      platform.ref: ../../../platform/domains/<domain>/...

Each product has 5-20 transforms; about one product in eight carries a violation (an
unapproved compute, a misspelt key, a bad enum value, a duplicated path, a literal password,
a compute that varies by environment). All refs are local relative paths, so no network.

    python benchmarks/corpus.py OUT --products 1000 [--seed 6]
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

ENGINES = ("duckdb", "spark", "snowflake", "bigquery", "databricks")
DOMAINS = (
    "sales",
    "marketing",
    "finance",
    "supply",
    "logistics",
    "hr",
    "risk",
    "product",
    "support",
    "research",
)
VIOLATIONS = (
    "unapproved-compute",
    "unknown-key",
    "bad-enum",
    "duplicate-path",
    "literal-secret",
    "compute-per-env",
)
WORDS = [
    "orders",
    "customers",
    "events",
    "sessions",
    "invoices",
    "payments",
    "shipments",
    "returns",
    "stock",
    "leads",
    "campaigns",
    "tickets",
    "churn",
    "margin",
    "forecast",
    "ledger",
    "claims",
    "quotes",
    "visits",
    "clicks",
]

_ENTERPRISE = """\
apiVersion: floe.dev/v1
kind: Manifest
metadata:
  name: acme
  owner: platform-team@acme.example
  description: Enterprise platform of ACME; domains narrow this list.
scope: enterprise
plugins:
  compute:
    approved:
      - name: duckdb
        config:
          threads: 8
          extensions: [httpfs, parquet]
      - name: spark
        config:
          cluster: spark-thrift.floe-platform.svc.cluster.local
          connect_retries: 3
      - name: snowflake
        config:
          account: acme-eu
          warehouse: COMPUTE_WH
          database: ANALYTICS
          password: "{{ env_var('SNOWFLAKE_PASSWORD') }}"
        connection_secret_ref: snowflake-credentials
      - name: bigquery
        config:
          project: acme-analytics
          location: EU
        connection_secret_ref: bigquery-sa
      - name: databricks
        config:
          host: acme.cloud.databricks.com
          http_path: /sql/1.0/warehouses/abc123
        connection_secret_ref: databricks-token
    default: duckdb
  catalog:
    type: polaris
    uri: https://polaris.acme.example
"""


@dataclass
class Corpus:
    root: Path
    enterprise: Path
    domains: dict[str, Path] = field(default_factory=dict)
    products: list[Path] = field(default_factory=list)
    violations: dict[Path, str] = field(default_factory=dict)

    @property
    def manifests(self) -> list[Path]:
        return [self.enterprise, *self.domains.values()]

    @property
    def files(self) -> list[Path]:
        return [*self.manifests, *self.products]

    def parents(self, product: Path) -> list[Path]:
        """The two manifests above a product: its domain and the enterprise."""
        domain = product.parent.parent.name
        return [self.domains[domain], self.enterprise]


def _domain_manifest(name: str, approved: list[str], default: str) -> str:
    lines = [
        "apiVersion: floe.dev/v1",
        "kind: Manifest",
        "metadata:",
        f"  name: {name}",
        f"  owner: {name}-platform@acme.example",
        "scope: domain",
        "parent_manifest: ../../enterprise/manifest.yaml",
        "plugins:",
        "  compute:",
        "    approved:",
    ]
    for engine in approved:
        if engine == "duckdb":
            lines += ["      - name: duckdb", "        config:", "          threads: 4"]
        else:
            lines.append(f"      - {engine}")
    lines.append(f"    default: {default}")
    return "\n".join(lines) + "\n"


def _product(rng: random.Random, name: str, domain: str, approved: list[str], bad: str) -> str:
    count = rng.randint(5, 20)
    lines = [
        "apiVersion: floe.dev/v1",
        "kind: FloeSpec",
        "metadata:",
        f"  name: {name}",
        "  version: 1.4.2",
        f"  owner: {domain}-data@acme.example",
        f"  description: {rng.choice(WORDS).capitalize()} data product of the {domain} domain.",
        "  labels:",
        f"    domain: {domain}",
        f"    tier: {rng.choice(('gold', 'silver', 'bronze'))}",
        "platform:",
        f"  ref: ../../../platform/domains/{domain}/manifest.yaml",
        "transforms:",
    ]
    victim = rng.randrange(1, count)
    previous = ""
    for index in range(count):
        stage = ("staging", "intermediate", "marts")[min(index * 3 // count, 2)]
        path = f"models/{stage}/{rng.choice(WORDS)}_{index:02d}/"
        compute = rng.choice([*approved, None])
        size = rng.choice(("small", "medium", "large"))
        key = "compute"
        if index == victim:
            if bad == "unapproved-compute":
                compute = next(e for e in ENGINES if e not in approved)
            elif bad == "unknown-key":
                key, compute = "comptue", compute or approved[0]
            elif bad == "bad-enum":
                size = "huge"
            elif bad == "duplicate-path":
                path = "./" + previous.rstrip("/")
        previous = path
        lines += [
            f"  - name: {name}_{index:02d}",
            f"    type: {rng.choice(('dbt', 'dbt', 'dbt', 'python'))}",
            f"    path: {path}",
        ]
        if compute is not None:
            lines.append(f"    {key}: {compute}")
        lines += [f"    workload_size: {size}", f"    tags: [{stage}, {domain}]"]
    lines += ["environments:", "  dev:", "    schedule: '@hourly'", "  prod:"]
    lines.append("    schedule: '0 2 * * *'")
    if bad == "literal-secret":
        lines += ["    warehouse_password: hunter2"]
    if bad == "compute-per-env":
        lines += ["    transforms:", f"      - {{path: models/x/, compute: {approved[-1]}}}"]
    return "\n".join(lines) + "\n"


def generate(root: Path, products: int, seed: int = 6) -> Corpus:
    """Write the corpus under `root` (replacing it) and describe what was written."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    enterprise = root / "platform" / "enterprise" / "manifest.yaml"
    enterprise.parent.mkdir(parents=True)
    enterprise.write_text(_ENTERPRISE, encoding="utf-8")
    corpus = Corpus(root, enterprise)
    approved_by_domain: dict[str, list[str]] = {}
    for domain in DOMAINS:
        approved = ["duckdb", *rng.sample(ENGINES[1:], rng.randint(1, 3))]
        approved_by_domain[domain] = approved
        path = root / "platform" / "domains" / domain / "manifest.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(_domain_manifest(domain, approved, rng.choice(approved)), "utf-8")
        corpus.domains[domain] = path
    for number in range(products):
        domain = DOMAINS[number % len(DOMAINS)]
        name = f"{rng.choice(WORDS)}_{number:05d}"
        bad = rng.choice(VIOLATIONS) if rng.random() < 0.125 else ""
        path = root / "products" / domain / name / "floe.yaml"
        path.parent.mkdir(parents=True)
        text = _product(rng, name, domain, approved_by_domain[domain], bad)
        path.write_text(text, encoding="utf-8")
        corpus.products.append(path)
        if bad:
            corpus.violations[path] = bad
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--products", type=int, default=100)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    corpus = generate(args.out, args.products, args.seed)
    print(f"{len(corpus.files)} files, {len(corpus.violations)} products with a violation")


if __name__ == "__main__":
    main()
