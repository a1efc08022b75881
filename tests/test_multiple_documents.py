"""A manifest, a product or a ref target holding several YAML documents is a finding: upstream
Floe reads each with yaml.safe_load, which refuses such a file (issue 16)."""

from __future__ import annotations

import pytest
import yaml

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
PRODUCT = "name: p\nplatform: {ref: manifest.yaml}\ntransforms: [{path: x/, compute: duckdb}]\n"


def places(run) -> list[tuple[str, int, int, str]]:  # type: ignore[no-untyped-def]
    return [
        (f["file"], f["line"], f["column"], f["message"]) for f in run.named("multiple-documents")
    ]


def message(count: int) -> str:
    return (
        f"this file holds {count} YAML documents (the second starts here); upstream Floe reads "
        "a manifest or floe.yaml with yaml.safe_load, which refuses more than one, so it "
        "would not run what floe-lint checked: keep one document per file"
    )


def test_a_manifest_of_two_documents_is_a_finding_at_the_second(lint) -> None:
    second = "plugins: {compute: {approved: [snowflake], default: snowflake}}\n"
    run = lint({"manifest.yaml": MANIFEST + "---\n" + second, "floe.yaml": PRODUCT})
    assert places(run) == [("manifest.yaml", 3, 1, message(2))]
    assert run.code == 1


def test_a_product_with_an_empty_trailing_document_is_a_finding(lint) -> None:
    run = lint({"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT + "---\n---\n"})
    assert places(run) == [("floe.yaml", 5, 1, message(3))]


def test_a_ref_target_of_several_documents_is_reported_where_it_is_read(lint) -> None:
    run = lint(
        {
            "platform/shared.yaml": MANIFEST + "---\n" + MANIFEST,
            "floe.yaml": PRODUCT.replace("manifest.yaml", "platform/shared.yaml"),
        }
    )
    assert places(run) == [("platform/shared.yaml", 3, 1, message(2))]


@pytest.mark.parametrize(
    "text",
    [
        "---\n" + MANIFEST,
        "# the platform\n---\n" + MANIFEST + "...\n# end\n",
        "--- # one document\n" + MANIFEST + "...\n",
    ],
)
def test_a_leading_marker_or_an_end_marker_is_one_document(lint, text: str) -> None:
    assert yaml.safe_load(text) is not None  # what upstream reads: one document
    run = lint({"manifest.yaml": text, "floe.yaml": "---\n" + PRODUCT})
    assert run.findings == [] and run.code == 0


def test_several_documents_that_are_not_floe_are_not_reported(lint) -> None:
    helm = "kind: ConfigMap\nmetadata: {name: a}\n---\nkind: Secret\nmetadata: {name: b}\n"
    run = lint({"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT, "chart/templates/x.yaml": helm})
    assert run.findings == []


def test_an_oci_ref_target_of_several_documents_is_a_finding(lint) -> None:
    ref = "oci://registry.example.com/floe/platform@sha256:" + "a" * 64
    run = lint(
        {
            ".pulled/platform.yaml": MANIFEST + "---\n" + MANIFEST,
            "floe.yaml": PRODUCT.replace("manifest.yaml", ref),
        },
        "--ref",
        f"{ref}=.pulled/platform.yaml",
        "--offline",
    )
    assert places(run) == [(".pulled/platform.yaml", 3, 1, message(2))]  # reached only by the ref
    assert run.code == 1
