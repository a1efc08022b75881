"""FL613: floe-core's `NamingConfig` compiles each custom naming pattern when it loads a manifest
and refuses the file on one `re` cannot compile; floe-lint reports that pattern at its place,
compiling it only (never matching it against anything) and only up to floe-core's bound."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from floe_core.enforcement.patterns import MAX_PATTERN_LENGTH
from floe_core.schemas.governance import NamingConfig
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.test_governance_defaults import domain, governance_findings
from tests.test_governance_lists_oracle import PROPERTY, findings

ENTERPRISE = """apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
scope: enterprise
plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}
governance:
  naming: {enforcement: strict, pattern: custom, custom_patterns: ['^raw_', '^agg_']}
"""
TAIL = "its NamingConfig refuses the manifest when it loads it"


def test_an_invalid_custom_pattern_is_reported_at_its_item_with_re_s_reason(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE,
            "manifest.yaml": domain(
                "  naming:\n"
                "    enforcement: strict\n"
                "    pattern: custom\n"
                "    custom_patterns:\n"
                "      - '^raw_'\n"
                "      - '^(agg|sum_'\n"
                "      - '[z-a]x'\n"
            ),
        }
    )
    assert [f for f in governance_findings(run) if f[0] == "FL613"] == [
        (
            "FL613",
            13,
            9,
            "governance.naming.custom_patterns[1] '^(agg|sum_' is not a regular expression "
            f"floe-core can compile (missing ), unterminated subpattern at position 1): {TAIL}",
        ),
        (
            "FL613",
            14,
            9,
            "governance.naming.custom_patterns[2] '[z-a]x' is not a regular expression "
            f"floe-core can compile (bad character range z-a at position 1): {TAIL}",
        ),
    ]


def test_patterns_floe_core_does_not_compile_are_not_reported(lint) -> None:
    """floe-core compiles custom patterns only under `pattern: custom`."""
    for naming in (
        "  naming: {pattern: medallion, custom_patterns: ['(']}\n",
        "  naming: {custom_patterns: ['(']}\n",
        "  naming: {pattern: custom, custom_patterns: ['^ok_', '(?i)^Raw_']}\n",
    ):
        run = lint({"enterprise.yaml": ENTERPRISE, "manifest.yaml": domain(naming)})
        assert [f for f in governance_findings(run) if f[0] == "FL613"] == [], naming


def test_a_pattern_over_the_bound_is_not_compiled_nor_reported(lint) -> None:
    """floe-core's NamingConfig compiles a custom pattern of any length: a valid 501-character
    one loads (below), so reporting it as an error was false; an invalid one goes unreported,
    as compiling an unbounded pattern is not a cost floe-lint takes."""
    long = "a" * (MAX_PATTERN_LENGTH + 1)
    NamingConfig.model_validate({"pattern": "custom", "custom_patterns": [long]})
    for pattern in (long, "(" + long):
        naming = f"  naming: {{pattern: custom, custom_patterns: ['{pattern}']}}\n"
        run = lint({"enterprise.yaml": ENTERPRISE, "manifest.yaml": domain(naming)})
        assert [f for f in governance_findings(run) if f[0] == "FL613"] == [], pattern


#: pieces of regexes, valid and not, that floe-core's model is asked about
PIECES = [
    "^",
    "$",
    "a",
    "_",
    "(",
    ")",
    "[",
    "]",
    "z-a",
    "a-z",
    "*",
    "+",
    "?",
    "{2}",
    "{",
    "\\",
    "|",
    "(?P<x>",
    "(?<=a*)",
    "(?>",
    "(?>a)",
    "++",
]


def _python_310() -> str | None:
    """A Python 3.10 interpreter (floe-core's oldest supported), if this machine has one."""
    pyenv = Path(os.path.expanduser("~/.pyenv/versions"))
    for found in (*sorted(pyenv.glob("3.10*/bin/python")), Path("/usr/bin/python3.10")):
        try:
            version = subprocess.run(
                [str(found), "-I", "-c", "import sys; print(sys.version_info[:2])"],
                capture_output=True,
                text=True,
                timeout=30,
            ).stdout
        except OSError:
            continue
        if version.strip() == "(3, 10)":
            return str(found)
    return None


PYTHON_310 = _python_310()


def refused_on_310(patterns: list[str]) -> set[str]:
    """The patterns Python 3.10's `re` cannot compile, asked of a real 3.10 (the test's own
    patterns on stdin, never a shell)."""
    assert PYTHON_310 is not None
    script = (
        "import json, re, sys, warnings\nwarnings.simplefilter('ignore')\nout = []\n"
        "for p in json.load(sys.stdin):\n    try: re.compile(p)\n"
        "    except Exception: out.append(p)\nprint(json.dumps(out))\n"
    )
    done = subprocess.run(
        [PYTHON_310, "-I", "-c", script],
        input=json.dumps(patterns),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return set(json.loads(done.stdout))


def test_a_pattern_only_python_3_11_compiles_is_reported_for_floe_core_on_3_10(lint) -> None:
    """floe-core declares Requires-Python >=3.10; Python 3.10's `re` has no possessive
    quantifiers nor atomic groups, so there its NamingConfig refuses these manifests."""
    run = lint(
        {
            "enterprise.yaml": ENTERPRISE,
            "manifest.yaml": domain(
                "  naming:\n"
                "    enforcement: strict\n"
                "    pattern: custom\n"
                "    custom_patterns:\n"
                "      - '^raw_[a-z]++$'\n"
                "      - '^(?>agg|sum)_'\n"
                "      - '^stg_[a+]+\\++?'\n"
            ),
        }
    )
    tail = (
        "new in Python 3.11): floe-core supports 3.10, where its NamingConfig refuses the "
        "manifest when it loads it"
    )
    assert [f for f in governance_findings(run) if f[0] == "FL613"] == [
        (
            "FL613",
            12,
            9,
            "governance.naming.custom_patterns[0] '^raw_[a-z]++$' is not a regular expression "
            f"floe-core can compile on Python 3.10 (a possessive quantifier, {tail}",
        ),
        (
            "FL613",
            13,
            9,
            "governance.naming.custom_patterns[1] '^(?>agg|sum)_' is not a regular expression "
            f"floe-core can compile on Python 3.10 (an atomic group, {tail}",
        ),
    ]
    if PYTHON_310 is not None:
        assert refused_on_310(["^raw_[a-z]++$", "^(?>agg|sum)_", "^stg_[a+]+\\++?"]) == {
            "^raw_[a-z]++$",
            "^(?>agg|sum)_",
        }


@PROPERTY
@given(
    patterns=st.lists(
        st.lists(st.sampled_from(PIECES), max_size=5).map("".join), min_size=1, max_size=3
    )
)
def test_fl613_reports_exactly_the_patterns_floe_core_s_naming_config_refuses(
    patterns: list[str],
) -> None:
    """Refused by NamingConfig here (3.11) or by Python 3.10's `re` (floe-core supports 3.10)."""
    if PYTHON_310 is None:
        pytest.skip("no Python 3.10 here to ask which patterns it refuses")
    naming: dict[str, Any] = {
        "enforcement": "strict",
        "pattern": "custom",
        "custom_patterns": patterns,
    }
    refused = []
    for pattern in patterns:
        try:
            NamingConfig.model_validate({**naming, "custom_patterns": [pattern]})
        except (ValidationError, OverflowError):
            refused.append(pattern)
    on_310 = refused_on_310(patterns)
    refused = [p for p in patterns if p in refused or p in on_310]
    reported = findings({}, {"naming": naming}, "FL613")
    assert [f["message"].split("] ", 1)[1].split(" is ")[0] for f in reported] == [
        repr(p) for p in refused
    ], (patterns, reported)


def test_a_pattern_re_warns_about_compiles_silently_even_when_warnings_are_errors(lint) -> None:
    """`[[a]` compiles with a FutureWarning ("Possible nested set"): floe-core accepts it, so no
    finding, and nothing on stderr; under `-W error` (PYTHONWARNINGS) the warning would have
    been raised out of the rule."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = lint(
            {
                "enterprise.yaml": ENTERPRISE,
                "manifest.yaml": domain(
                    "  naming:\n"
                    "    enforcement: strict\n"
                    "    pattern: custom\n"
                    "    custom_patterns: ['^raw_', '[[a]_fl613_warns']\n"
                ),
            }
        )
    assert [f for f in governance_findings(run) if f[0] in {"FL613", "FL000"}] == []
