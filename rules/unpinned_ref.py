"""An `oci://` ref should be pinned by digest, not a missing or moving tag such as `latest`.

Why: a mutable tag lets the platform's policy change under a product between two runs, so
the same commit can lint clean today and fail tomorrow. `oci://host/repo@sha256:...`
always names the same manifest.

Fails:
    # expect: floe.yaml:2:17 'oci://registry.example.com/platform:latest' uses the mutable tag 'latest'; pin it by
    # file: floe.yaml
    name: orders
    platform: {ref: "oci://registry.example.com/platform:latest"}
    transforms: [{path: models/x/}]

Passes:
    # file: floe.yaml
    name: orders
    platform: {ref: "oci://registry.example.com/platform@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"}
    transforms: [{path: models/x/}]
"""

from collections.abc import Iterator

from floe_lint.api import Context, Document, Finding, RefError, is_oci, parse_oci

ID, NAME, SEVERITY, SUBJECT = "FL304", "unpinned-ref", "warning", "document"
GUARD = "oci-ref"  # what it needs to find anything (floe_lint.lint.applicable.TESTS)
FIXES = {"safe": "pin the tag to the digest the product's floe.lock records (and rename its entry)"}


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    node = ctx.model_of(doc).ref_node
    text = node.value
    if not isinstance(text, str) or not is_oci(text):
        return
    try:
        ref = parse_oci(text)
    except RefError:
        return  # unresolved-ref explains a malformed ref
    if ref.is_mutable:
        what = f"the mutable tag '{ref.tag}'" if ref.tag else "no tag (implicitly 'latest')"
        pinned = ctx.pin_ref(node)
        fix = ctx.fix("safe", f"pin to {pinned[0]}", *pinned[1]) if pinned else None
        yield ctx.finding(
            node,
            f"'{text}' uses {what}; pin it by digest (oci://{ref.host}/{ref.repository}@sha256:...) "
            "so every run checks the same manifest",
            fix=fix,
        )
