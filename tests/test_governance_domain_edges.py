"""Which governance values count as settings: a boolean or a fraction is no whole number of
days in either dialect, and in upstream's dialect a string floe-core's lax mode reads into the
field's domain (`"30"`, `"no"`) is the value floe-core reads (issue 20, mutation survivors)."""

from __future__ import annotations

import pytest

from tests.test_governance import (
    ADR_ENTERPRISE,
    FLOE_ENTERPRISE,
    adr_domain,
    floe_domain,
    governance_findings,
)

WEAKER_30 = (
    "domain 'sales' sets governance.data_retention_days to 30, weaker than 90 set by "
    "enterprise 'acme'; a level may keep or strengthen the governance above it, never weaken "
    "it (a whole number, higher is stricter)"
)


@pytest.mark.parametrize("value", ["true", "false", "30.5", "89.9"])
def test_a_boolean_or_a_fraction_of_days_is_no_setting_and_no_weakening(lint, value) -> None:
    run = lint(
        {
            "enterprise.yaml": ADR_ENTERPRISE,
            "manifest.yaml": adr_domain(
                "sales", "enterprise.yaml", f"governance: {{data_retention_days: {value}}}\n"
            ),
        }
    )
    assert governance_findings(run) == []


def test_the_same_fraction_where_a_whole_number_is_a_weakening(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": ADR_ENTERPRISE,
            "manifest.yaml": adr_domain(
                "sales", "enterprise.yaml", "governance: {data_retention_days: 30}\n"
            ),
        }
    )
    (f,) = [f for f in run.findings if f["rule"].startswith("FL6")]
    assert (f["rule"], f["file"], f["line"], f["column"]) == ("FL604", "manifest.yaml", 5, 35)
    assert f["message"] == WEAKER_30


def test_upstream_dialect_a_string_number_floe_core_reads_is_a_weakening(lint) -> None:
    run = lint(
        {
            "enterprise.yaml": FLOE_ENTERPRISE,
            "manifest.yaml": floe_domain(
                "sales", "enterprise.yaml", "governance: {data_retention_days: '30'}\n"
            ),
        }
    )
    (f,) = [f for f in run.findings if f["rule"].startswith("FL6")]
    assert (f["rule"], f["file"], f["line"], f["column"]) == ("FL604", "manifest.yaml", 7, 35)
    assert f["message"] == WEAKER_30
