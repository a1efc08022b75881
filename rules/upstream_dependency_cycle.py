"""A product's transforms must not depend on each other in a cycle, where upstream enforces it.

Why: upstream Floe's `floe platform compile` checks the product's models as a dbt graph; a
cycle through `dependsOn` is FLOE-E302 (CircularDependency), and under
`policy_enforcement_level: strict` in the platform manifest the compile fails on it. Nothing
could run first, so the cycle is reported once, at the dependency that closes it.

Fails:
    # expect: floe.yaml:6:36 FLOE-E302: transform 'fct_orders' closes a dependency cycle: stg_orders -> fct_orders -> stg_orders; floe platform compile refuses it (policy_enforcement_level: strict)
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    transforms:
      - {name: stg_orders, dependsOn: [fct_orders]}
      - {name: fct_orders, dependsOn: [stg_orders]}
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    governance: {policy_enforcement_level: strict}

Passes:
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    transforms:
      - {name: stg_orders}
      - {name: fct_orders, dependsOn: [stg_orders]}
    # file: manifest.yaml
    apiVersion: floe.dev/v1
    kind: Manifest
    metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}
    plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
    governance: {policy_enforcement_level: strict}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Product, Transform, depends_on, strict_enforcement

ID, NAME, SEVERITY, SUBJECT = "FL703", "upstream-dependency-cycle", "error", "product"
DIALECT = "floe"  # upstream's code dialect only: a run without it does not import this


def check(product: Product, ctx: Context) -> Iterator[Finding]:
    enforcement = strict_enforcement(product)
    if enforcement is None:
        return
    edges: dict[str, list[tuple[str, int]]] = {}
    nodes: dict[str, tuple[Transform, str]] = {}
    for transform in product.transforms:
        if transform.identity is None or transform.identity in edges:
            continue
        key, dependencies = depends_on(transform.data)
        edges[transform.identity] = [
            (name, index) for index, name in enumerate(dependencies) if isinstance(name, str)
        ]
        nodes[transform.identity] = (transform, key)
    done: set[str] = set()
    for start in edges:  # iterative depth-first search, in document order
        if start in done:
            continue
        path: list[str] = [start]
        stack = [iter(edges[start])]
        on_path = {start}
        while stack:
            step = next(stack[-1], None)
            if step is None:
                finished = path.pop()
                done.add(finished)
                on_path.discard(finished)
                stack.pop()
                continue
            name, index = step
            if name in on_path:
                transform, key = nodes[path[-1]]
                cycle = [*path[path.index(name) :], name]
                yield ctx.finding(
                    transform.node.child(key, index),
                    f"FLOE-E302: {transform.label} closes a dependency cycle: "
                    f"{' -> '.join(cycle)}; floe platform compile refuses it "
                    "(policy_enforcement_level: strict)",
                    related=[ctx.related(enforcement.level_node, "enforcement is strict here")],
                )
                return
            if name in edges and name not in done:
                path.append(name)
                on_path.add(name)
                stack.append(iter(edges[name]))
