"""A suppression comment must not name a finding that central control makes mandatory.

Why: inline suppressions let whoever edits a file silence the policy that governs it. A
finding is mandatory when the config's `mandatory` selectors name its rule, when it is
`untrusted-root`, or when it is a policy rule's (FL2xx to FL5xx, and FL709's refusal of
Jinja in a storage setting) in a file governed by a platform whose effective
`governance.policy_enforcement_level` is `strict`. Such a finding
stays, and the comment that tried to silence it is this error, at the code it names. Only
the config's `exceptions` (with a reason and an expiry) excuse a mandatory finding.

Fails:
    # expect: floe.yaml:4:72 suppression of 'FL201' is not allowed: the config makes this rule mandatory; the finding stays
    # file: .floe-lint.yaml
    mandatory: [compute-not-approved]
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - {type: dbt, path: models/a/, compute: spark}  # floe-lint: disable=FL201 -- pilot

Passes:
    # file: .floe-lint.yaml
    mandatory: [compute-not-approved]
    exceptions:
      - {path: floe.yaml, rule: FL201, reason: "pilot, OPS-7", expires: 2999-12-31}
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms:
      - {type: dbt, path: models/a/, compute: spark}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Location, Refusal

ID, NAME, SEVERITY, SUBJECT = "FL902", "suppression-not-allowed", "error", "control"


def check(refusal: Refusal, ctx: Context) -> Iterator[Finding]:
    if refusal.kind != "suppression":
        return
    yield Finding(
        "",
        "",
        "error",
        f"suppression of '{refusal.code}' is not allowed: {refusal.why}; the finding stays "
        "(only the config's exceptions can excuse it)",
        Location(refusal.path, refusal.span, ""),
    )
