"""A `# floe-lint: disable=` comment must silence at least one finding.

Why: a suppression outlives the problem it was written for; once the problem is fixed, the
comment silently hides the next, unrelated one on that line. A code that names no rule at
all (a typo) suppresses nothing and is reported too. Codes of rules that did not run (not
selected, or ignored) are not judged. This rule runs after every other rule, in the filter
stage, on each unused code.

Fails:
    # expect: manifest.yaml:3:46 suppression of 'FL201' is unused: no such finding on its line; remove it
    # file: manifest.yaml
    plugins:
      compute:
        approved: [duckdb]  # floe-lint: disable=FL201 -- nothing here to silence
        default: duckdb

Passes:
    # file: manifest.yaml
    plugins:
      compute:
        approved:
          - name: snowflake
            config: {account: acme, password: s3cr3t}  # floe-lint: disable=FL501 -- fixture
        default: snowflake
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Unused

ID, NAME, SEVERITY, SUBJECT = "FL901", "unused-suppression", "warning", "suppression"


def check(unused: Unused, ctx: Context) -> Iterator[Finding]:
    directive = unused.directive
    scope = "this file" if directive.kind == "file" else "its line"
    if unused.known:
        message = f"suppression of '{unused.code}' is unused: no such finding on {scope}; remove it"
    else:
        message = (
            f"suppression names no known rule '{unused.code}'{unused.suggestion}; "
            "see 'floe-lint rules'"
        )
    yield ctx.file_finding(directive.source, unused.span, message)
