"""The rules' selection (GUARD, DIALECT, KEYS: floe_lint.lint.applicable) on generated trees of
both dialects: an enterprise, a domain and a product (ADR-0010's or upstream code's shape, or
a mix), with computes approved twice, unknown, templated or not allowed by the parent, defaults
set or not, approved products, refs that are missing, cyclic, blank or oci://, transforms
selected twice, per-environment files, trusted roots and a pinned dialect. With every selection
off, no guarded rule finds anything on a subject its test fails, and each run prints the same
(exit status, JSON) with the selection on as off (tests/test_rule_guards.py does this on the
rules' examples and examples/)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.lint import applicable
from tests.conftest import write_files
from tests.test_rule_guards import _check, _Recorder

COMPUTES = st.sampled_from(
    ["duckdb", "spark", "snowflake", "nosuch", "Duckdb", "\"{{ env_var('C') }}\"", "''"]
)
REFS = st.sampled_from(
    [
        "../manifest.yaml",
        "../missing.yaml",
        "manifest.yaml",  # itself: a cycle
        "'  '",
        "oci://registry.example.com/p:latest",
        "oci://u:pw@registry.example.com/p:1",
    ]
)


def _names(draw: st.DrawFn) -> str:
    return "[" + ", ".join(draw(st.lists(COMPUTES, max_size=4))) + "]"


@st.composite
def manifest(draw: st.DrawFn, domain: bool) -> str:
    upstream = draw(st.booleans())
    lines = []
    if upstream or draw(st.booleans()):
        lines += ["apiVersion: floe.dev/v1", "kind: Manifest"]
        lines.append("metadata: {name: m, version: 1.0.0, owner: o@x.example}")
    scope = draw(
        st.sampled_from(["domain", "enterprise", None]) if domain else st.just("enterprise")
    )
    if scope:
        lines.append(f"scope: {scope}")
    if domain:
        lines.append(f"parent_manifest: {draw(REFS)}")
    if upstream:
        lines.append(f"plugins: {{compute: {{type: {draw(COMPUTES)}}}}}")
        if draw(st.booleans()):
            lines.append(f"approved_plugins: {{compute: {_names(draw)}}}")
        if draw(st.booleans()):
            lines.append(f"defaults: {{compute: {draw(COMPUTES)}}}")
    else:
        default = f", default: {draw(COMPUTES)}" if draw(st.booleans()) else ""
        lines.append(f"plugins: {{compute: {{approved: {_names(draw)}{default}}}}}")
    if draw(st.booleans()):  # a mixed document
        lines.append(draw(st.sampled_from(["defaults: {compute: duckdb}", "approved_plugins: {}"])))
    if domain and draw(st.booleans()):
        lines.append(f"approved_products: {draw(st.sampled_from(['[orders]', '[other]', '[]']))}")
    if draw(st.booleans()):
        level = draw(st.sampled_from(["enforce", "warn", "off"]))
        lines.append(f"governance: {{policy_enforcement_level: {level}}}")
    return "\n".join(lines) + "\n"


@st.composite
def product(draw: st.DrawFn) -> str:
    upstream = draw(st.booleans())
    lines = []
    if upstream:
        lines += ["apiVersion: floe.dev/v1", "kind: FloeSpec", "metadata: {name: orders}"]
    else:
        lines.append("name: orders")
    ref = draw(st.sampled_from(["../manifest.yaml", "../../manifest.yaml", None]) | REFS)
    if ref is not None:
        key = draw(st.sampled_from(["manifest", "ref"]) if draw(st.booleans()) else st.just(""))
        key = key or ("manifest" if upstream else "ref")
        lines.append(f"platform: {{{key}: {ref}}}")
    transforms = []
    for _ in range(draw(st.integers(0, 3))):
        which = draw(st.sampled_from(["a", "b", "a/", "./a"]))
        ident = f"name: {which.strip('./') or 'a'}" if upstream else f"path: models/{which}"
        compute = f", compute: {draw(COMPUTES)}" if draw(st.booleans()) else ""
        transforms.append(f"{{type: dbt, {ident}{compute}}}")
    lines.append(f"transforms: [{', '.join(transforms)}]")
    return "\n".join(lines) + "\n"


@st.composite
def trees(draw: st.DrawFn) -> dict[str, str]:
    files = {
        "e/manifest.yaml": draw(manifest(domain=False)),
        "e/d/manifest.yaml": draw(manifest(domain=True)),
        "e/d/p/floe.yaml": draw(product()),
    }
    if draw(st.booleans()):
        files["e/d/manifest.prod.yaml"] = draw(
            st.sampled_from(["plugins: {compute: {default: spark}}\n", "plugins: {comptue: 1}\n"])
        )
    config = []
    if draw(st.booleans()):
        config.append(
            f"trusted-roots: [{draw(st.sampled_from(['e/manifest.yaml', 'e/d/manifest.yaml']))}]"
        )
    if draw(st.booleans()):
        config.append(f"dialect: {draw(st.sampled_from(['floe', 'adr-0010']))}")
    if config:
        files[".floe-lint.yaml"] = "\n".join(config) + "\n"
    return files


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=trees(), whole=st.booleans())
def test_selecting_rules_changes_nothing_on_generated_trees(
    files: dict[str, str],
    whole: bool,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = tmp_path_factory.mktemp("generated")
    write_files(root, files)
    monkeypatch.chdir(root)
    names = sorted(n for n in files if n.endswith(".yaml") and not n.startswith("."))
    args = ["."] if whole else ["--no-dependents", *names]
    recorder = _Recorder(monkeypatch)
    applicable.BY_DIALECT = False
    try:
        without = _check(root, args, guarded=False)
    finally:
        applicable.BY_DIALECT = True
    assert not recorder.outside, (files, recorder.outside)
    monkeypatch.undo()
    monkeypatch.chdir(root)
    assert _check(root, args, guarded=True) == without, files
