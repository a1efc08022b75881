"""A trusted issuer's `subject_regex` must be a regular expression floe-core accepts.

Why: floe-core's `TrustedIssuer` (`artifacts.registry.verification.trusted_issuers[]`) refuses
the manifest when it loads it if a `subject_regex` trips its ReDoS heuristics
(`floe_core.enforcement.patterns._check_redos_safety`: nested quantifiers such as `(a+)+`, an
alternation repeated, a group repeated without bound) or if Python's `re` cannot compile it;
without this rule the file passed floe-lint and failed at `floe platform compile`. The
heuristics are floe-core's own fixed expressions, decided on the pattern's text in one pass that
finds what searching them finds (they backtrack on hostile text; up to the 1,000 characters its
model allows, a longer one is the schema rules' to report); the pattern is then
compiled as FL613 compiles a naming pattern, within the same budget of class ranges per level,
never run on any text. A pattern using what Python 3.11 added (`a++`, `(?>a)`) is reported too:
floe-core supports 3.10, where `re` refuses it.

Fails:
    # expect: manifest.yaml:7:74 artifacts.registry.verification.trusted_issuers[0].subject_regex '^repo:(acme+)+/' is a pattern floe-core refuses as unsafe (it contains nested quantifiers, which may backtrack without end): its TrustedIssuer refuses the manifest when it loads it
    # file: manifest.yaml
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    artifacts:
      registry:
        uri: oci://registry.acme.example/floe
        verification:
          trusted_issuers: [{issuer: 'https://token.example', subject_regex: '^repo:(acme+)+/'}]

Passes:
    # file: manifest.yaml
    metadata: {name: acme}
    plugins: {compute: {approved: [duckdb], default: duckdb}}
    artifacts:
      registry:
        uri: oci://registry.acme.example/floe
        verification:
          trusted_issuers: [{issuer: 'https://token.example', subject_regex: '^repo:acme/'}]
"""

from __future__ import annotations

from collections.abc import Iterator

from floe_lint.api import Context, Finding, Level

from .naming_pattern_invalid import _BUDGET, _quoted, compile_problem

ID, NAME, SEVERITY, SUBJECT = "FL615", "subject-regex-invalid", "error", "manifest"

#: floe-core's `_REDOS_PATTERNS` and the heuristic after them (tests/test_subject_regex_invalid.py
#: compares them with the installed floe-core's, and `_unsafe` with searching them)
_UNSAFE = (
    r"\(([^)]*\+)+",
    r"\(([^)]*\*)+",
    r"\([^)]*\|[^)]*\)\+",
    r"\([^)]*\)\{[0-9]+,\}",
    r"\([^)]*[+*]\)[+*]",
)
#: floe-core's `TrustedIssuer.subject_regex` max_length: a longer one is the schema's to report
_LONGEST = 1000
_WHERE = "artifacts.registry.verification.trusted_issuers"
_REFUSES = "its TrustedIssuer refuses the manifest when it loads it"


def check(level: Level, ctx: Context) -> Iterator[Finding]:
    issuers = level.node.child("artifacts", "registry", "verification", "trusted_issuers")
    if not isinstance(issuers.value, list):
        return
    left = _BUDGET
    for index, issuer in enumerate(issuers.value):
        pattern = issuer.get("subject_regex") if isinstance(issuer, dict) else None
        if not isinstance(pattern, str) or len(pattern) > _LONGEST:
            continue  # not a string, or too long: the schema rules report it
        problem, left = _problem(pattern, left)
        if problem is not None:
            yield ctx.finding(
                issuers.child(index, "subject_regex"),
                f"{_WHERE}[{index}].subject_regex {_quoted(pattern)} {problem}",
            )


def _unsafe(pattern: str) -> bool:
    """Whether any of `_UNSAFE` is found in `pattern`, decided in one pass: the expressions
    themselves backtrack polynomially on hostile text (0.2 s for 1,000 characters, per issuer).
    Between a `(` and the next `)`: a `+` or `*` is the first two (and makes the fifth moot); a
    `|` with `)+` after is the third; a `)` followed by `{DIGITS,}` is the fourth."""
    opened = bar = False  # a `(` since the last `)`; a `|` after it
    for index, char in enumerate(pattern):
        if char == "(":
            opened = True
        elif not opened:
            continue
        elif char in "+*":
            return True
        elif char == "|":
            bar = True
        elif char == ")":
            if (bar and pattern.startswith("+", index + 1)) or _counted(pattern, index + 1):
                return True
            opened = bar = False
    return False


def _counted(pattern: str, start: int) -> bool:
    """Whether `pattern` holds `{DIGITS,}` at `start` (ASCII digits, as `[0-9]` reads them)."""
    if not pattern.startswith("{", start):
        return False
    end = start + 1
    while end < len(pattern) and pattern[end] in "0123456789":
        end += 1
    return end > start + 1 and pattern.startswith(",}", end)


def _problem(pattern: str, left: int) -> tuple[str | None, int]:
    """Why floe-core refuses `pattern` (None: it accepts it), and what is left of the budget."""
    if _unsafe(pattern):
        return (
            "is a pattern floe-core refuses as unsafe (it contains nested quantifiers, which "
            f"may backtrack without end): {_REFUSES}"
        ), left
    return compile_problem(pattern, left, _REFUSES)
