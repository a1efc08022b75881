"""What floe-core's model validators refuse is refused here too, at its place: a name repeated
in a product's destinations or ingestion sources, or in a manifest's promotion environments
(`duplicate-name`, FL109), and the rules of `artifacts.registry.signing` and `verification`
(the JSON schema). Each case runs the real floe-core (tests/floe_core_oracle.py) as well: all
of them passed floe-lint while `floe platform compile` refused them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.floe_core_oracle import MANIFEST, PRODUCT, floe_lint, upstream_refusal, write

SOURCE = {
    "name": "raw-orders",
    "sourceType": "filesystem",
    "format": "csv",
    "path": "data/orders.csv",
    "destinationTable": "raw.orders",
}
DESTINATION = {"name": "crm", "sink_type": "rest_api", "connection_secret_ref": "crm-key"}


def _errors(path: Path) -> list[tuple[str, int, int, str]]:
    return [
        (f["rule"], f["line"], f["column"], f["message"])
        for f in floe_lint(path).on(path)
        if f["severity"] == "error"
    ]


def _place(path: Path, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """The line and column of the `occurrence`-th `needle` in the file."""
    seen = 0
    for number, row in enumerate(path.read_text("utf-8").splitlines(), 1):
        if needle in row:
            seen += 1
            if seen == occurrence:
                return number, row.index(needle) + 1
    raise AssertionError(f"{needle!r} not in {path}")


def _marked(path: Path, needle: str) -> tuple[int, int]:
    """Where the `^` of `needle` falls in the file (its first line: what precedes it)."""
    *before, last = needle.split("\n")
    line, column = _place(path, last.replace("^", ""))
    if before:  # the line before ends with the first part
        assert path.read_text("utf-8").splitlines()[line - 2].endswith(before[0])
    return line, column + last.index("^")


REPEATS = [
    (
        {"destinations": [DESTINATION, {**DESTINATION, "connection_secret_ref": "crm-2"}]},
        "name: crm",
        "destination name 'crm' is already used by destinations[0]",
        "Duplicate destination names",
    ),
    (
        {"ingestion": {"sources": [SOURCE, {**SOURCE, "destinationTable": "raw.other"}]}},
        "name: raw-orders",
        "ingestion source name 'raw-orders' is already used by ingestion.sources[0]",
        "Duplicate ingestion source names",
    ),
    (
        {"ingestion": {"sources": [SOURCE, {**SOURCE, "name": "raw-orders-2"}]}},
        "destinationTable: raw.orders",
        "destination table 'raw.orders' is already written by ingestion.sources[0]",
        "Duplicate ingestion destination tables",
    ),
]


@pytest.mark.parametrize(("change", "needle", "message", "refusal"), REPEATS)
def test_a_repeated_name_in_a_product_is_refused_where_it_repeats(
    tmp_path: Path, change: dict[str, Any], needle: str, message: str, refusal: str
) -> None:
    write(tmp_path, "manifest.yaml", MANIFEST)
    path = write(tmp_path, "floe.yaml", {**PRODUCT, **change})
    assert refusal in (upstream_refusal(path) or "")
    line, column = _place(path, needle, 2)
    column += needle.index(": ") + 2  # the value
    expected = ("FL109", line, column, f"{message}; floe-core refuses a repeated one")
    assert _errors(path) == [expected]


def test_names_that_differ_only_in_case_or_spelling_of_the_key_are_read_as_floe_core_reads_them(
    tmp_path: Path,
) -> None:
    """floe-core compares the names exactly; `destination_table` is `destinationTable`."""
    write(tmp_path, "manifest.yaml", MANIFEST)
    other = {k: v for k, v in SOURCE.items() if k != "destinationTable"}
    distinct = {
        "destinations": [DESTINATION, {**DESTINATION, "name": "CRM"}],
        "ingestion": {"sources": [SOURCE, {**other, "name": "b", "destination_table": "raw.b"}]},
    }
    path = write(tmp_path, "floe.yaml", {**PRODUCT, **distinct})
    assert upstream_refusal(path) is None
    assert _errors(path) == []
    same = {
        "ingestion": {
            "sources": [SOURCE, {**other, "name": "b", "destination_table": "raw.orders"}]
        }
    }
    path = write(tmp_path, "floe.yaml", {**PRODUCT, **same})
    assert upstream_refusal(path) is not None
    line, column = _place(path, "destination_table: raw.orders")
    assert _errors(path) == [
        (
            "FL109",
            line,
            column + len("destination_table: "),
            "destination table 'raw.orders' is already written by ingestion.sources[0]; "
            "floe-core refuses a repeated one",
        )
    ]


def _registry(tmp_path: Path, **blocks: Any) -> Path:
    data: dict[str, Any] = yaml.safe_load(yaml.safe_dump(MANIFEST))
    data["artifacts"]["registry"].update(blocks)
    return write(tmp_path, "manifest.yaml", data)


def test_promotion_environments_named_twice_are_refused(tmp_path: Path) -> None:
    data: dict[str, Any] = yaml.safe_load(yaml.safe_dump(MANIFEST))
    gates = {"policy_compliance": True}
    data["artifacts"]["promotion"] = {
        "environments": [{"name": "dev", "gates": gates}, {"name": "dev", "gates": gates}]
    }
    path = write(tmp_path, "manifest.yaml", data)
    assert "Environment names must be unique" in (upstream_refusal(path) or "")
    line, column = _place(path, "name: dev", 2)
    assert _errors(path) == [
        (
            "FL109",
            line,
            column + len("name: "),
            "promotion environment 'dev' is already named by "
            "artifacts.promotion.environments[0]; floe-core refuses a repeated one",
        )
    ]


KEY = {"source": "kubernetes", "name": "cosign-key"}
ISSUER = "https://token.actions.githubusercontent.com"
SIGNING = "'artifacts.registry.signing'"
#: (signing, verification, the needle of the finding's place, its message); None: accepted
REGISTRY = [
    ({"mode": "keyless", "oidc_issuer": ISSUER}, None, None, None),
    ({"mode": "key-based", "private_key_ref": KEY}, None, None, None),
    (
        {"mode": "keyless"},
        None,
        "^signing:",
        f"missing required key 'oidc_issuer' in {SIGNING}; smallest valid: oidc_issuer: {ISSUER}",
    ),
    (
        {"mode": "key-based", "private_key_ref": None},
        None,
        "private_key_ref: ^null",
        f"{SIGNING[:-1]}.private_key_ref' must be a mapping, not null",
    ),
    (
        {"mode": "keyless", "oidc_issuer": ISSUER, "private_key_ref": KEY},
        None,
        "private_key_ref:\n^source: kubernetes",
        f"{SIGNING[:-1]}.private_key_ref' must not be given in keyless mode (floe-core "
        "takes a private key only with mode: key-based)",
    ),
    (
        {"mode": "keyless", "oidc_issuer": ISSUER, "fulcio_url": "ftp://fulcio.example"},
        None,
        "fulcio_url: ^ftp://",
        f"{SIGNING[:-1]}.fulcio_url' 'ftp://fulcio.example' must be an http:// or https:// "
        "URL with a host",
    ),
    (  # one finding: the URL's, not also "not valid under any of the given schemas"
        {"mode": "keyless", "oidc_issuer": "ftp://issuer.example"},
        None,
        "oidc_issuer: ^ftp://",
        f"{SIGNING[:-1]}.oidc_issuer' 'ftp://issuer.example' must be an http:// or https:// "
        "URL with a host",
    ),
    (
        None,
        {"enforcement": "enforce"},
        "^enforcement: enforce",
        "'artifacts.registry.verification' must not be enabled without trusted_issuers or a "
        "public_key_ref (floe-core requires one of them to verify anything)",
    ),
    (None, {"enabled": False}, None, None),
    (None, {"public_key_ref": KEY}, None, None),
    (None, {"trusted_issuers": [{"issuer": ISSUER, "subject_regex": "^repo:acme/"}]}, None, None),
    # URLs as pydantic's HttpUrl reads them: tabs and line breaks dropped, a port up to 65535
    (
        None,
        {"trusted_issuers": [{"issuer": "ht\ttps://token.example", "subject": "a"}]},
        None,
        None,
    ),
    (
        None,
        {"trusted_issuers": [{"issuer": "https://token.example:65535", "subject": "a"}]},
        None,
        None,
    ),
    (None, {"trusted_issuers": [{"issuer": "https://1.2.3.4/a b", "subject": "a"}]}, None, None),
    (
        None,
        {"trusted_issuers": [{"issuer": "https://token.example:65536", "subject": "a"}]},
        "- issuer: ^",
        "'artifacts.registry.verification.trusted_issuers[0].issuer' "
        "'https://token.example:65536' must be an http:// or https:// URL with a host",
    ),
    (
        None,
        {"trusted_issuers": [{"issuer": "https://token example", "subject": "a"}]},
        "- issuer: ^",
        "'artifacts.registry.verification.trusted_issuers[0].issuer' 'https://token example' "
        "must be an http:// or https:// URL with a host",
    ),
    (
        None,
        {"trusted_issuers": [{"issuer": "https://token.example/" + "a" * 2062, "subject": "a"}]},
        "- issuer: ^",
        "'artifacts.registry.verification.trusted_issuers[0].issuer' must be an http:// or "
        "https:// URL with a host",
    ),
    (  # floe-core's TrustedIssuer compiles the pattern (FL615)
        None,
        {"trusted_issuers": [{"issuer": ISSUER, "subject_regex": "^repo:(acme"}]},
        "subject_regex: ^",
        "artifacts.registry.verification.trusted_issuers[0].subject_regex '^repo:(acme' is not "
        "a regular expression floe-core can compile (missing ), unterminated subpattern at "
        "position 6): its TrustedIssuer refuses the manifest when it loads it",
    ),
    (  # and refuses one its ReDoS heuristics find unsafe (FL615)
        None,
        {"trusted_issuers": [{"issuer": ISSUER, "subject_regex": "^repo:(acme/.*)+$"}]},
        "subject_regex: ^",
        "artifacts.registry.verification.trusted_issuers[0].subject_regex '^repo:(acme/.*)+$' "
        "is a pattern floe-core refuses as unsafe (it contains nested quantifiers, which may "
        "backtrack without end): its TrustedIssuer refuses the manifest when it loads it",
    ),
    (
        None,
        {"trusted_issuers": [{"issuer": ISSUER, "subject": "", "subject_regex": None}]},
        "- ^issuer:",
        "'artifacts.registry.verification.trusted_issuers[0]' must not be left without a "
        "subject or a subject_regex (floe-core matches the signer by one of them)",
    ),
    (
        None,
        {"trusted_issuers": [{"issuer": ISSUER, "subject": "a", "subject_regex": "b"}]},
        "- ^issuer:",
        "'artifacts.registry.verification.trusted_issuers[0]' must not be given both subject "
        "and subject_regex (floe-core takes one of them)",
    ),
]


@pytest.mark.parametrize(("signing", "verification", "needle", "message"), REGISTRY)
def test_signing_and_verification_are_read_as_floe_core_reads_them(
    tmp_path: Path, signing: Any, verification: Any, needle: str | None, message: str | None
) -> None:
    blocks = {"signing": signing} if signing else {}
    if verification:
        blocks["verification"] = verification
    path = _registry(tmp_path, **blocks)
    if message is None:
        assert upstream_refusal(path) is None
        assert _errors(path) == []
        return
    assert upstream_refusal(path) is not None
    assert needle is not None
    found = _errors(path)
    line, column = _marked(path, needle)
    assert [f[1:] for f in found] == [(line, column, message)], found


def test_a_missing_api_version_suggests_no_key_the_product_may_hold(tmp_path: Path) -> None:
    """The "did you mean" of a missing key looks among the keys its mapping may not hold (a
    typo): it offered `ingestion` for apiVersion. The message is that of any missing key."""
    write(tmp_path, "manifest.yaml", MANIFEST)
    data = {k: v for k, v in PRODUCT.items() if k != "apiVersion"}
    path = write(tmp_path, "floe.yaml", data)
    assert upstream_refusal(path) is not None
    assert _errors(path) == [
        (
            "FL103",
            1,
            1,
            "missing required key 'apiVersion' in the document; smallest valid: "
            "apiVersion: floe.dev/v1",
        )
    ]
    typo = write(tmp_path, "floe.yaml", {"apiVersoin": "floe.dev/v1", **data})
    assert [f[0] for f in _errors(typo)] == ["FL101"]  # the typo, paired with the missing key


DELIBERATE = "README.md"


def _deliberate_differences() -> list[str]:
    """The entries of README's "Deliberate differences" list."""
    from tests.conftest import REPO

    text = (REPO / DELIBERATE).read_text("utf-8")
    section = text.split("Deliberate differences, each with its reason:", 1)[1]
    section = section.split("\n## ", 1)[0]
    return [" ".join(item.split()) for item in section.split("\n- ")[1:]]


def test_an_empty_approved_name_is_refused_on_purpose_and_the_readme_says_why(
    tmp_path: Path,
) -> None:
    """floe-core accepts `approved_products: [""]`; floe-lint refuses it (FL106) and README's
    "Deliberate differences" gives the reason."""
    entries = _deliberate_differences()
    assert any(
        entry.startswith('An empty name in an approved list (`approved_products: [""]`')
        and "approves nothing a runtime can run" in entry
        for entry in entries
    ), entries
    data: dict[str, Any] = yaml.safe_load(yaml.safe_dump(MANIFEST))
    data.update(
        scope="domain", parent_manifest="../enterprise/manifest.yaml", approved_products=[""]
    )
    path = write(tmp_path, "manifest.yaml", data)
    assert upstream_refusal(path) is None
    line, column = _marked(path, "- ^''")
    assert ("FL106", line, column, "'approved_products[0]' must not be empty") in _errors(path)
