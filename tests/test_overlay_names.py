"""The per-environment files beside a document (`context.overlay_files`) are found without
compiling a glob pattern when the document's name holds no glob character: the same files, in
the same order, as `fnmatch` of `BASE.*.y*ml` then the overlay name test found (the oracle
below is that code as it was)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.lint.context import overlay_files
from floe_lint.load.kinds import ENV_VARIANT


def oracle(path: Path) -> list[Path]:
    from fnmatch import fnmatchcase

    base_name = path.name.rsplit(".", 1)[0]
    if any(c in base_name for c in "*?["):  # fnmatch read it as a pattern: see below
        names = sorted(path.parent / n for n in _names(path.parent))
    else:
        pattern = f"{base_name}.*.y*ml"
        names = sorted(path.parent / n for n in _names(path.parent) if fnmatchcase(n, pattern))
    return [
        s
        for s in names
        if (m := ENV_VARIANT.match(s.name)) is not None and m["base"] == base_name and s != path
    ]


def _names(folder: Path) -> list[str]:
    import os

    return os.listdir(folder)


parts = st.sampled_from(
    ["floe", "manifest", "sales-manifest", "a[b]", "x*y", "q?", "prod", "dev", "y", "yml", ""]
)
suffixes = st.sampled_from([".yaml", ".yml", ".yaml.bak", ".ymlx", ".ml", ".y.ml", ""])
names = st.builds(
    lambda base, env, more, suffix: ".".join(p for p in (base, env, more) if p) + suffix,
    parts,
    parts,
    parts,
    suffixes,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    found=st.sets(names.filter(lambda n: n not in ("", ".", "..") and "/" not in n), max_size=12),
    data=st.data(),
)
def test_the_same_overlays_as_the_glob_found(
    found: set[str], data: st.DataObject, tmp_path_factory
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("overlays")
    for name in found:
        (folder / name).write_text("x: 1\n")
    bases = sorted(found | {"floe.yaml", "manifest.yaml", "a[b].manifest.yaml"})
    path = folder / data.draw(st.sampled_from(bases))
    assert overlay_files(path) == oracle(path)


def test_a_base_named_with_glob_characters_pairs_its_overlays_in_any_case(tmp_path: Path) -> None:
    """A base whose name holds `*?[` was paired through fnmatch, which read the name as a
    pattern, case-sensitive: `a[b]-manifest.prod.yaml` was no overlay of `a[b]-manifest.yaml`
    (`[b]` matches `b`, not itself) and `X*Y-MANIFEST.prod.yaml` none of `x*y-manifest.yaml`,
    while every other name pairs in any case (`FLOE.prod.yaml` with `floe.yaml`)."""
    names = [
        "a[b]-manifest.yaml",
        "a[b]-manifest.prod.yaml",
        "ab-manifest.prod.yaml",
        "x*y-manifest.yaml",
        "X*Y-MANIFEST.prod.yaml",
        "xzy-manifest.dev.yaml",
    ]
    for name in names:
        (tmp_path / name).write_text("x: 1\n")
    assert overlay_files(tmp_path / "a[b]-manifest.yaml") == [tmp_path / "a[b]-manifest.prod.yaml"]
    assert overlay_files(tmp_path / "x*y-manifest.yaml") == [tmp_path / "X*Y-MANIFEST.prod.yaml"]
