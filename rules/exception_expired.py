"""An exception of the config that has expired excuses nothing, and says so.

Why: the config's `exceptions` are the only way to excuse a mandatory finding, and each one
is meant to end: it names the files, the rule, a reason and the day it expires. After that
day it stops applying (its findings come back) and this warning, at the exception in the
config file, names it, so that it is renewed on purpose or removed.

Fails:
    # expect: .floe-lint.yaml:3:5 the exception for 'FL201' on 'floe.yaml' (pilot, OPS-7) expired on 2001-01-31: it excuses nothing now
    # file: .floe-lint.yaml
    mandatory: [compute-not-approved]
    exceptions:
      - {path: floe.yaml, rule: FL201, reason: "pilot, OPS-7", expires: 2001-01-31}
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms: [{type: dbt, path: models/a/, compute: duckdb}]
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}

Passes:
    # file: .floe-lint.yaml
    mandatory: [compute-not-approved]
    exceptions:
      - {path: floe.yaml, rule: FL201, reason: "pilot, OPS-7", expires: 2999-12-31}
    # file: floe.yaml
    name: orders
    platform: {ref: manifest.yaml}
    transforms: [{type: dbt, path: models/a/, compute: duckdb}]
    # file: manifest.yaml
    plugins: {compute: {approved: [duckdb], default: duckdb}}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Location, Refusal

ID, NAME, SEVERITY, SUBJECT = "FL903", "exception-expired", "warning", "control"


def check(refusal: Refusal, ctx: Context) -> Iterator[Finding]:
    exception = refusal.exception
    if refusal.kind != "expired-exception" or exception is None:
        return
    yield Finding(
        "",
        "",
        "warning",
        f"the exception for '{exception.rule}' on '{exception.path}' ({exception.reason}) "
        f"{refusal.why}: it excuses nothing now; renew it with a new date or fix its findings",
        Location(refusal.path, refusal.span, ""),
    )
