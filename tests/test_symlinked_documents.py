"""A file reached through a symbolic link at another depth than its target (`platform/m.yaml ->
sales/manifest.yaml`, a product `products/c/floe.yaml -> ../../teams/x/floe.yaml`) is one file
with one meaning: its relative refs resolve from the folder its link leads to, whichever path
reached it first (floe_lint.load.workspace's `named`). Before, the first path the walk met won,
so `check` reported a false `unresolved-ref` or none depending on the names' order."""

from __future__ import annotations

import io
import itertools
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.cli import main
from floe_lint.lint import cache
from tests.conftest import check, write_files

ENTERPRISE = """
scope: enterprise
metadata: {name: acme}
plugins: {compute: {approved: [duckdb, spark], default: duckdb}}
"""
DOMAIN = """
scope: domain
metadata: {{name: sales}}
parent_manifest: {parent}
plugins: {{compute: {{approved: [spark, duckdb]}}}}
"""
PRODUCT = """
name: {name}
platform: {{ref: {ref}}}
transforms:
  - {{type: dbt, path: models/x/, compute: spark}}
"""


def _tree(root: Path, domain: str, link: str, products: dict[str, str]) -> None:
    """The enterprise beside `domain` (`<folder>/ent.yaml`), a link `link` to `domain` and a
    product per name, each with its ref written to the file given (the link or the domain)."""
    folder = Path(domain).parent
    files = {
        str(folder / "ent.yaml"): ENTERPRISE,
        domain: DOMAIN.format(parent="ent.yaml"),
    }
    for name, target in products.items():
        ref = os.path.relpath(target, f"products/{name}")
        files[f"products/{name}/floe.yaml"] = PRODUCT.format(name=name, ref=ref)
    write_files(root, files)
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(os.path.relpath(domain, Path(link).parent), root / link)


def test_a_link_at_another_depth_is_no_false_unresolved_ref(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The closing note's case: `platform/mlink.yaml -> sales/manifest.yaml`, walked before its
    target ('mlink.yaml' < 'sales'); the domain's `parent_manifest: ent.yaml` is beside the
    target, not the link. Every order of the paths given, and the root, is clean."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    _tree(
        tmp_path,
        "platform/sales/manifest.yaml",
        "platform/mlink.yaml",
        {"a": "platform/mlink.yaml", "b": "platform/sales/manifest.yaml"},
    )
    given_paths = ["platform/mlink.yaml", "platform/sales/manifest.yaml", "products"]
    jobs = [["--jobs", "2", "."], ["--jobs", "2", *given_paths]]  # parsed by 2 processes
    for args in [["."], ["platform"], *itertools.permutations(given_paths), *jobs]:
        code, out, err = check(*args)
        assert (code, out) == (0, ""), (args, out)
        assert err.startswith("floe-lint: no problems ("), (args, err)


def test_a_real_unresolved_parent_is_reported_once_at_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the parent missing, the finding is the same, at the file the link leads to, whether
    the link or its target is met first: the place and the path the message names."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    _tree(tmp_path, "platform/sales/manifest.yaml", "platform/mlink.yaml", {})
    (tmp_path / "platform/sales/ent.yaml").unlink()
    expected = (
        "platform/sales/manifest.yaml:3:18: ERROR FL301 [unresolved-ref] cannot resolve "
        "parent_manifest 'ent.yaml': 'ent.yaml' points to a file that does not exist: "
        "platform/sales/ent.yaml\n"  # (no "did you mean 'manifest.yaml'": the file itself)
    )
    for args in (
        ["."],
        ["platform/mlink.yaml", "platform/sales/manifest.yaml"],
        ["platform/sales/manifest.yaml", "platform/mlink.yaml"],
        ["platform/mlink.yaml"],
    ):
        code, out, _ = check(*args, "--color", "never")
        assert code == 1, args
        assert out.splitlines(keepends=True)[0] == expected, (args, out)
        assert out.count("FL301") == 1, (args, out)


def test_a_linked_product_resolves_its_ref_from_its_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A product link `products/c/floe.yaml -> ../../teams/deep/x/floe.yaml` (walked first):
    its `../../../platform/...` is written for the target's folder. Found as a dependent of
    the domain, too."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    write_files(
        tmp_path,
        {
            "platform/ent.yaml": ENTERPRISE,
            "platform/sales/manifest.yaml": DOMAIN.format(parent="../ent.yaml"),
            "teams/deep/x/floe.yaml": PRODUCT.format(
                name="x", ref="../../../platform/sales/manifest.yaml"
            ),
        },
    )
    (tmp_path / "products/c").mkdir(parents=True)
    os.symlink("../../teams/deep/x/floe.yaml", tmp_path / "products/c/floe.yaml")
    assert check(".") == (0, "", "floe-lint: no problems (3 files checked)\n")
    code, out, _ = check("platform/sales", "--format", "json")
    assert code == 0
    assert json.loads(out)["findings"] == []
    assert "1 of them dependent" in check("platform/sales")[2]


#: where the domain manifest and the link to it lie: names on both sides of each other, so that
#: the walk meets the link first in some and the target first in others, at other depths
DOMAINS = st.sampled_from(
    ["platform/sales/manifest.yaml", "a/manifest.yaml", "z/deep/er/manifest.yaml"]
)
LINKS = st.sampled_from(
    ["platform/mlink.yaml", "mlink.yaml", "b/c/d/manifest.yaml", "0/manifest.yaml", "zz/m.yaml"]
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    domain=DOMAINS,
    link=LINKS,
    through=st.lists(st.booleans(), min_size=1, max_size=3),
    data=st.data(),
    cached=st.booleans(),
)
def test_no_walk_order_or_link_placement_makes_a_false_error(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    domain: str,
    link: str,
    through: list[bool],
    data: st.DataObject,
    cached: bool,
) -> None:
    """Whatever the link's place, the products' spelling (through the link or the target) and
    the order of the paths given, with the cache on (twice: a replay) or off, the tree is clean."""
    root = tmp_path_factory.mktemp("tree")
    monkeypatch.chdir(root)
    if cached:
        monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
        monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path_factory.mktemp("cache")))
    else:
        monkeypatch.setenv(cache.DISABLE_ENV, "1")
    products = {f"p{n}": link if via else domain for n, via in enumerate(through)}
    _tree(root, domain, link, products)
    paths = data.draw(st.permutations([link, domain, *(f"products/{n}" for n in products)]))
    for args in (["."], paths, [link], [domain]):
        for _ in range(2 if cached else 1):
            code, out, err = check(*args)
            assert (code, out) == (0, ""), (args, out)
            assert err.startswith("floe-lint: no problems ("), (args, err)


def test_a_linked_product_is_checked_against_its_own_platform_not_a_decoy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the link's folder (`products/deep/c/`) the product's `../../platform/sales/...`
    names a decoy domain that does not approve spark; from its target's (`teams/x/`), the real
    one, which does. The walk meets the link first: the product is still judged by its own
    platform (before: a false FL201), and is a dependent of it, not of the decoy (as the
    dependents search always resolved it)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    write_files(
        tmp_path,
        {
            "platform/ent.yaml": ENTERPRISE,
            "platform/sales/manifest.yaml": DOMAIN.format(parent="../ent.yaml"),
            "products/platform/ent.yaml": ENTERPRISE,
            "products/platform/sales/manifest.yaml": DOMAIN.format(parent="../ent.yaml").replace(
                "[spark, duckdb]", "[duckdb]"
            ),
            "teams/x/floe.yaml": PRODUCT.format(name="x", ref="../../platform/sales/manifest.yaml"),
        },
    )
    (tmp_path / "products/deep/c").mkdir(parents=True)
    os.symlink("../../../teams/x/floe.yaml", tmp_path / "products/deep/c/floe.yaml")
    assert check(".") == (0, "", "floe-lint: no problems (5 files checked)\n")
    assert check("products/deep/c/floe.yaml") == (
        0,
        "",
        "floe-lint: no problems (3 files checked)\n",
    )
    assert check("products/platform/sales") == (
        0,
        "",
        "floe-lint: no problems (2 files checked)\n",
    )
    assert check("platform/sales") == (
        0,
        "",
        "floe-lint: no problems (3 files checked, 1 of them dependent of the changed manifests)\n",
    )


def test_impact_through_a_link_reads_the_old_manifest_from_the_target_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`impact LINK --against FILE` puts the old text in for the link (`Workspace.put`): its
    `parent_manifest` is still the target folder's, so the change only narrows the domain."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    _tree(
        tmp_path,
        "platform/sales/manifest.yaml",
        "platform/mlink.yaml",
        {"a": "platform/mlink.yaml"},
    )
    old = tmp_path / "old.yaml"
    old.write_text(
        DOMAIN.format(parent="ent.yaml").replace("[spark, duckdb]", "[spark], default: spark")
    )
    out, err = io.StringIO(), io.StringIO()
    code = main(["impact", "platform/mlink.yaml", "--against", str(old)], stdout=out, stderr=err)
    assert (code, err.getvalue()) == (0, "")
    assert out.getvalue().splitlines()[1:6] == [
        "findings that appear: 0",
        "findings that disappear: 0",
        "products whose policy changes: 1",
        "  products/a/floe.yaml (a)",
        "    approved: spark -> spark, duckdb",
    ]


def test_an_editor_buffer_opened_through_a_link_resolves_from_the_target_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The language server lints an unsaved buffer of `platform/mlink.yaml` (`Workspace.put`):
    the buffer's `parent_manifest: ent.yaml` is the target folder's; the buffer's own problem
    (an unknown key) is the one finding, at its place."""
    from floe_lint.server.session import Session

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    _tree(tmp_path, "platform/sales/manifest.yaml", "platform/mlink.yaml", {})
    session = Session(tmp_path)
    link = tmp_path / "platform/mlink.yaml"
    session.open(link, DOMAIN.format(parent="ent.yaml").replace("metadata:", "metadta:"))
    found = [
        (f.rule_id, f.location.span.start_line, f.location.span.start_col, f.message)
        for f in session.lint(link)
    ]
    assert found == [
        ("FL101", 3, 1, "unknown key 'metadta' in the document; did you mean 'metadata'?")
    ]
