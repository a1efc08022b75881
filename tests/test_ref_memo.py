"""Refs resolved once per (folder, text), `../` taken off through folders the walk listed
(issue 17): every ref of random trees (symbolic links to folders, as a top and inside one,
missing files, folder refs, `..//x`, absolute refs, files named outside the walk) gets what
resolving it straight gets: the same file, shown the same, or the same message."""

from __future__ import annotations

import contextlib
import os
import tempfile
from functools import partial
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.load.paths import relative_posix
from floe_lint.load.workspace import Workspace, discover
from floe_lint.model.hierarchy import Hierarchy
from floe_lint.model.refs import RefError, Resolver
from tests.conftest import run_cli

FOLDERS = ["a", "b", "a/b", "a/c", "b/a", "a/b/c", "."]
#: the files a tree may hold, below a top or beside it
FILES = ["manifest.yaml", "m.yaml", "floe.yaml"]
TAILS = ["manifest.yaml", "m.yaml", "a/manifest.yaml", "a", "b", "", "none.yaml", "a/../m.yaml"]
TEXTS = st.one_of(
    st.builds(
        lambda ups, tail, pad: pad + "../" * ups + tail + pad,
        st.integers(0, 5),
        st.sampled_from(TAILS),
        st.sampled_from(["", " "]),
    ),
    st.sampled_from(["..//m.yaml", "../..//m.yaml", "/m.yaml", "./m.yaml", "../", ".."]),
)
TREES = st.fixed_dictionaries(
    {
        "files": st.sets(st.tuples(st.sampled_from(FOLDERS), st.sampled_from(FILES)), max_size=14),
        "outside": st.sets(st.sampled_from(FILES), max_size=3),
        # a symbolic link to a folder inside the top (not walked), and a top that is one
        "inner_link": st.sampled_from([None, "a", "a/b", "b"]),
        "top": st.sampled_from(["t", "lt", "./t", "w/t", "."]),
    }
)


def _build(root: Path, tree: dict[str, object]) -> None:
    work = root / "w"
    for folder in ("w/t", "elsewhere/x/t", "elsewhere/x/t/a/b"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "w" / "lt").symlink_to(root / "elsewhere" / "x" / "t")
    for top in (work / "t", root / "elsewhere" / "x" / "t"):
        for folder, name in tree["files"]:  # type: ignore[attr-defined]
            (top / folder).mkdir(parents=True, exist_ok=True)
            (top / folder / name).write_text(
                "apiVersion: floe.dev/v1\nkind: Manifest\nscope: enterprise\n"
            )
        if tree["inner_link"] is not None:
            (top / "a").mkdir(exist_ok=True)
            (top / "a" / "s").symlink_to(top / str(tree["inner_link"]))
    for name in tree["outside"]:  # type: ignore[attr-defined]
        for folder in (work, root / "elsewhere" / "x", root / "elsewhere"):
            (folder / name).write_text("scope: enterprise\n")


def _outcome(resolve: object) -> tuple[object, ...]:
    try:
        path, key = resolve()  # type: ignore[operator]
    except RefError as error:
        return ("error", str(error))
    return ("ok", key, relative_posix(path), path.name)


def _straight(workspace: Workspace, resolver: Resolver, text: str, base: Path) -> object:
    def resolve() -> tuple[Path, Path]:
        path = resolver.resolve(text, base)
        return path, workspace.reach_key(path)

    return resolve


@settings(max_examples=80, deadline=None)
@given(TREES, st.lists(TEXTS, min_size=1, max_size=8), st.randoms(use_true_random=False))
def test_a_remembered_ref_leads_where_resolving_it_straight_does(
    tree: dict[str, object], texts: list[str], random: object
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve()
        _build(root, tree)
        cwd = root / "w" if tree["top"] != "w/t" else root
        top = Path(str(tree["top"]))
        if tree["top"] == ".":
            cwd = root / "w" / "t"
        with contextlib.chdir(cwd):
            workspace = Workspace()
            found = [path for path, _ in discover([top], listing=workspace.listed)]
            # files named outside the walk: through the inner link, the top link, absolutely
            named = [
                Path("lt/a/floe.yaml"),
                Path("t/a/s/floe.yaml"),
                top / "a" / "s" / "b" / "floe.yaml",
                Path(os.path.abspath(top / "a" / "b" / "floe.yaml")),
                *(Path(name) for name in FILES),  # in the working folder, above a top
            ]
            bases = found + named + found
            random.shuffle(bases)  # type: ignore[attr-defined]
            resolver = Resolver({})
            hierarchy = Hierarchy(workspace, resolver)
            for base in bases:
                for text in [*texts, "..//m.yaml", "/m.yaml", "../m.yaml", "m.yaml"]:
                    remembered = _outcome(partial(hierarchy._resolved, text, base))
                    straight = _outcome(_straight(workspace, resolver, text, base))
                    assert remembered == straight, (str(base), text)


def test_the_products_of_a_domain_share_one_answer(tmp_path: Path) -> None:
    """Products at different depths below a domain reach its manifest through one entry."""
    (tmp_path / "platform").mkdir()
    (tmp_path / "platform" / "manifest.yaml").write_text("scope: enterprise\n")
    for product in ("products/a", "products/b", "products/c/d"):
        (tmp_path / product).mkdir(parents=True)
        (tmp_path / product / "floe.yaml").write_text("name: x\n")
    with contextlib.chdir(tmp_path):
        workspace = Workspace()
        found = [path for path, _ in discover([Path(".")], listing=workspace.listed)]
        hierarchy = Hierarchy(workspace, Resolver({}))
        for base in found:
            ups = "../" * (len(base.parts) - 1)
            hierarchy._resolved(f"{ups}platform/manifest.yaml", base)
        assert list(hierarchy._refs) == [(".", "platform/manifest.yaml")]


def test_a_product_in_a_linked_domain_is_checked_against_the_right_platform(
    tmp_path: Path,
) -> None:
    """A top that is a symbolic link: `..` from it is its target's parent, not the link's."""
    for where in ("real", "."):
        (tmp_path / where / "platform").mkdir(parents=True, exist_ok=True)
    (tmp_path / "platform" / "manifest.yaml").write_text(
        "scope: enterprise\nplugins: {compute: {approved: [duckdb], default: duckdb}}\n"
    )
    (tmp_path / "real" / "platform" / "manifest.yaml").write_text(
        "scope: enterprise\nplugins: {compute: {approved: [spark], default: spark}}\n"
    )
    (tmp_path / "real" / "products" / "p").mkdir(parents=True)
    (tmp_path / "real" / "products" / "p" / "floe.yaml").write_text(
        "name: orders\nplatform: {ref: ../../platform/manifest.yaml}\n"
        "transforms: [{path: models/x/, compute: duckdb}]\n"
    )
    (tmp_path / "products").symlink_to(tmp_path / "real" / "products")
    with contextlib.chdir(tmp_path):
        run = run_cli("check", "products", "--no-cache", "--no-dependents", "--select", "FL201")
    assert run.stdout.splitlines() == [
        "real/products/p/floe.yaml:3:41: ERROR FL201 [compute-not-approved] transform "
        "'models/x/' selects compute 'duckdb', which enterprise manifest manifest.yaml does not "
        "approve (no level of the hierarchy approves it); approved: spark"
    ]
