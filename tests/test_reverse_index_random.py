"""The dependents search (floe_lint.model.reverse_index) finds, on random trees, exactly what the
straightforward search finds: parse every file of the workspace, resolve each level ref as the
hierarchy does, and follow them level by level. The search reads each file's bytes once per
level and parses only those whose ref text can name a file of the level (issue 17), so this
property guards the byte test, the walk and the ref-text matching against ever dropping a
dependent: refs to a file or a folder, with `./` and `x/../`, quoted or not, in flow or block
style, through a symbolic link to a folder (also one named unlike it, to the manifest itself, or
named manifest.yaml in a folder of another name), from a twin of the tree beside it (also out of
the twin into the tree, with `..` through it, or above the workspace), a bare name through a link
in the product's own folder, with a folder name holding a space, the workspace named through a
link, mentions of the same names that are no refs, and files of unusual kinds and sizes (a FIFO,
a device, an empty file, a link to a FIFO, a dependent longer than the search's first read of a
file, one larger than the load limit)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.load.walk import Beside, found_under
from floe_lint.load.workspace import Workspace
from floe_lint.model.reverse_index import (
    Dependent,
    ReverseIndex,
    _local_target,
    level_refs,
)

DOMAINS = ("finance", "fin", "my fin", "sales")
ENTERPRISE = "scope: enterprise\nmetadata: {name: acme}\nplugins: {compute: {approved: [duckdb]}}\n"


def _domain(name: str, parent: str, style: int) -> str:
    return f"scope: domain\nmetadata: {{name: {name!r}}}\n{_ref('parent_manifest', parent, style)}"


def _ref(key: str, text: str, style: int) -> str:
    """`key: text` as YAML writes it, in one of several forms (nested under platform for a
    product's `ref`)."""
    forms = [f"{key}: {text}", f'{key}: "{text}"', f"{key}: '{text}'  # the level above"]
    line = forms[style % len(forms)]
    if key != "ref":
        return line + "\n"
    if style % 2:
        return "platform: {" + line.split("  #")[0] + "}\n"
    return f"platform:\n  {line}\n"


def _spelling(target: str, folder: bool, style: int) -> str:
    """A relative spelling of `platform/<target>` from a file two folders below the root."""
    if folder:
        return [f"../../platform/{target}", f"../../platform/./{target}/"][style % 2]
    alias = f"via{(*DOMAINS, 'enterprise').index(target)}"  # a link named unlike the target
    spellings = [
        f"../../platform/{target}/manifest.yaml",
        f"../../platform/sales/../{target}/manifest.yaml",
        f"../../link/{target}/manifest.yaml",
        f"./../../platform/{target}/manifest.yaml",
        f"../../{alias}/manifest.yaml",  # a link to the folder
        f"../../{alias}",
        f"../../files/{alias}.yml",  # a link to the manifest (not a YAML name: not walked)
        f"../../alias/{alias}/manifest.yaml",  # a link named manifest.yaml
        # from the twin: the tree's own manifest (above the twin's top); from the tree:
        # above the workspace (nothing there)
        f"../../../platform/{target}/manifest.yaml",
        target,  # a link of the target's name in the product's own folder (`build`)
        f"../../twin/../platform/{target}/manifest.yaml",
        # out of the workspace and back in by its name: through the link to the workspace
        # (`test_the_search_...`), `..` is the folder above the workspace, not above the link
        f"../../../ws/platform/{target}/manifest.yaml",
    ]
    return spellings[style % len(spellings)]


PRODUCT = st.tuples(
    st.sampled_from(["products", "twin/products", "misc"]),  # where it lives
    st.sampled_from((*DOMAINS, "enterprise")),  # the level it names
    st.booleans(),  # by its folder
    st.integers(0, 23),  # spelling and style
    st.sampled_from(["", "finance", "../../platform/finance/manifest.yaml", "my fin/x"]),  # noise
)


def build(root: Path, domains: list[tuple[str, int]], products: list[tuple]) -> None:
    files: dict[str, str] = {"platform/enterprise/manifest.yaml": ENTERPRISE}
    for name, style in domains:
        parent = ["../enterprise/manifest.yaml", "../enterprise", "../enterprise/"][style % 3]
        files[f"platform/{name}/manifest.yaml"] = _domain(name, parent, style)
    for number, (where, level, folder, style, noise) in enumerate(products):
        ref = _spelling(level, folder, style)
        text = f"name: p{number}\ndescription: {noise or 'none'}\n{_ref('ref', ref, style)}"
        text += f"tags: [{noise or 'x'}, finance]\ntransforms: []\n"
        files[f"{where}/p{number}/floe.yaml"] = text
        if not folder and style % 12 == 9:  # (`_spelling`'s bare name)
            (root / where / f"p{number}").mkdir(parents=True, exist_ok=True)
            (root / where / f"p{number}" / level).symlink_to(
                root / "platform" / level, target_is_directory=True
            )
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        if relative.startswith("platform/") and (root / "twin").exists():
            twin = root / "twin" / relative
            twin.parent.mkdir(parents=True, exist_ok=True)
            twin.write_text(text, "utf-8")
    (root / "link").symlink_to("platform", target_is_directory=True)
    (root / "files").mkdir()
    for number, name in enumerate((*DOMAINS, "enterprise")):
        if not (root / "platform" / name).is_dir():
            continue
        alias = f"via{number}"
        (root / alias).symlink_to(f"platform/{name}", target_is_directory=True)
        (root / "files" / f"{alias}.yml").symlink_to(f"../platform/{name}/manifest.yaml")
        (root / "alias" / alias).mkdir(parents=True)
        (root / "alias" / alias / "manifest.yaml").symlink_to(
            f"../../platform/{name}/manifest.yaml"
        )


#: files of unusual kinds or sizes, put in a product folder of the tree or its twin: a
#: dependent whose ref lies past the first read of the search (`dependents_scan.CHUNK`), a
#: FIFO, a device (a read never ends), an empty file, a file larger than the load limit
#: (taken unread: whether it names the manifest cannot be told), and a link to a FIFO
ODD = st.tuples(
    st.sampled_from(["huge", "fifo", "device", "empty", "too-large", "link-fifo"]),
    st.sampled_from(["products", "twin/products"]),
    st.sampled_from((*DOMAINS, "enterprise")),
)


def add_odd(root: Path, odd: list[tuple[str, str, str]]) -> None:
    """`ODD`'s files, each in a folder of its own (`where/oddN`)."""
    from floe_lint.load.reading import MAX_BYTES
    from floe_lint.model.dependents_scan import CHUNK

    for number, (kind, where, level) in enumerate(odd):
        folder = root / where / f"odd{number}"
        folder.mkdir(parents=True, exist_ok=True)
        ref = f"platform:\n  ref: ../../platform/{level}/manifest.yaml\n"
        if kind in ("huge", "too-large"):
            size = CHUNK + 100 if kind == "huge" else MAX_BYTES
            pad = "# " + "x" * 77 + "\n"
            text = f"name: odd{number}\ndescription: none\n" + pad * (size // len(pad)) + ref
            (folder / "floe.yaml").write_text(text, "utf-8")
        elif kind == "fifo":
            os.mkfifo(folder / "floe.yaml")
        elif kind == "device":
            try:  # (what /dev/zero is: a read of it never ends)
                os.mknod(folder / "floe.yaml", 0o600 | stat.S_IFCHR, os.makedev(1, 5))
            except OSError:
                (folder / "floe.yaml").write_text("name: odd\n", "utf-8")
        elif kind == "empty":
            (folder / "floe.yaml").write_text("", "utf-8")
        else:
            os.mkfifo(folder / "pipe")
            (folder / "floe.yaml").symlink_to("pipe")


def straightforward(root: Path, changed: Path) -> list[Dependent]:
    """Parse every file, resolve its level refs exactly, follow them level by level."""
    workspace = Workspace()
    # (a file found through a link and as itself is one file)
    keys = list(dict.fromkeys(workspace.key(Path(name)) for name in found_under(root)))
    refs: dict[Path, list[tuple[str, str, Path]]] = {}
    for key in keys:
        refs[key] = [
            (pointer, text, resolved)
            for doc in workspace.load(key).documents
            for pointer, text in level_refs(doc)
            if (resolved := _local_target(text, key)) is not None
        ]
    start = changed.resolve()
    causes = {start: start}
    frontier = {start}
    found: list[Dependent] = []
    while frontier:
        level = []
        for key in keys:
            if key in causes:
                continue
            for pointer, text, resolved in refs[key]:
                if resolved in frontier:
                    level.append(Dependent(key, causes[resolved], resolved, pointer, text))
                    break
            else:  # too large to read: whether it names one cannot be told, so it is taken
                if not refs[key] and _too_large(key):
                    first = min(frontier, key=str)
                    level.append(Dependent(key, causes[first], first, "", "", unread=True))
        level.sort(key=lambda d: str(d.path))
        frontier = set()
        for dependent in level:
            causes[dependent.path] = dependent.cause
            found.append(dependent)
            if any(d.kind == "manifest" for d in workspace.load(dependent.path).documents):
                frontier.add(dependent.path)
    return found


def _too_large(path: Path) -> bool:
    from floe_lint.load.reading import MAX_BYTES

    return path.is_file() and path.stat().st_size > MAX_BYTES


def _fields(dependents: list[Dependent]) -> list[tuple[Path, Path, Path, str, str]]:
    return [(d.path, d.cause, d.via, d.pointer, d.ref) for d in dependents]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    domains=st.lists(
        st.tuples(st.sampled_from(DOMAINS), st.integers(0, 5)),
        min_size=1,
        max_size=4,
        unique_by=lambda d: d[0],
    ),
    products=st.lists(PRODUCT, max_size=10),
    twin=st.booleans(),
    pick=st.integers(0, 10),
    odd=st.lists(ODD, max_size=3),
)
def test_the_search_finds_what_parsing_every_file_finds(
    tmp_path_factory: pytest.TempPathFactory,
    domains: list[tuple[str, int]],
    products: list[tuple],
    twin: bool,
    pick: int,
    odd: list[tuple[str, str, str]],
) -> None:
    root = tmp_path_factory.mktemp("index") / "ws"
    (root / "twin" if twin else root).mkdir(parents=True)
    build(root, domains, products)
    add_odd(root, odd)
    manifests = ["enterprise", *(name for name, _ in domains)]
    changed = root / "platform" / manifests[pick % len(manifests)] / "manifest.yaml"
    old = os.getcwd()
    os.chdir(root)
    try:
        expected = straightforward(root, changed)
        alias = root.parent / "links" / "alias-ws"  # (its `..` is not the workspace's)
        if not alias.exists():
            alias.parent.mkdir()
            alias.symlink_to(root, target_is_directory=True)
        for given in (root, Path("."), alias):
            # with a listing (`impact`'s search), relative refs are resolved once per folder
            # and text, `../` taken off through the folders the walk listed
            for listing in (None, Beside()):
                index = ReverseIndex(given, Workspace(), {}, listing=listing)
                assert _fields(index.dependents([changed])) == _fields(expected)
    finally:
        os.chdir(old)


def test_relative_refs_are_resolved_once_per_folder_and_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the walk's listing (`impact`), the products of a folder that name their manifest
    by the same text are resolved once; the same text from another depth is resolved again
    (it names another file, here none, though the file mentions the target)."""
    from floe_lint.model import reverse_index

    root = tmp_path / "ws"
    product = "name: {name}\ndescription: {noise}\nplatform: {{ref: ../../platform/fin}}\n"
    files = {
        "platform/fin/manifest.yaml": ENTERPRISE,
        **{
            f"products/p{n}/floe.yaml": product.format(name=f"p{n}", noise="none") for n in range(3)
        },
        # the same ref text names deep/platform/fin (absent); the noise names the target
        "deep/products/d0/floe.yaml": product.format(name="d0", noise="../../../platform/fin"),
    }
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, "utf-8")
    resolved: list[tuple[str, Path]] = []

    def counted(text: str, base: Path) -> Path | None:
        resolved.append((text, base))
        return _local_target(text, base)

    monkeypatch.setattr(reverse_index, "_local_target", counted)
    changed = root / "platform" / "fin" / "manifest.yaml"
    index = ReverseIndex(root, Workspace(), {}, listing=Beside())
    assert [d.path for d in index.dependents([changed])] == [
        root / f"products/p{n}/floe.yaml" for n in range(3)
    ]
    assert resolved == [
        ("../../platform/fin", root / "deep/products/d0/floe.yaml"),
        ("../../platform/fin", root / "products/p0/floe.yaml"),
    ]


def test_a_found_file_is_keyed_by_its_path_only_below_a_real_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Below a root with no symbolic link on its way, a file the walk found (not a link
    itself) is its own key: it is not resolved (`impact` and its reports asked for each of
    1,000 products' keys twice). Through a link to the root, every key is still resolved."""
    from floe_lint.load import workspace as workspace_module

    root = tmp_path / "ws"
    build(
        root, [("finance", 0)], [("products", "finance", False, 0, ""), ("misc", "sales", 1, 0, "")]
    )
    (tmp_path / "alias").symlink_to(root, target_is_directory=True)
    changed = root / "platform" / "finance" / "manifest.yaml"
    expected = [root / "products" / "p0" / "floe.yaml"]
    resolved: list[Path] = []
    real = workspace_module.real

    def counted(path: Path) -> Path:
        resolved.append(path)
        return real(path)

    monkeypatch.setattr(workspace_module, "real", counted)
    index = ReverseIndex(root, Workspace(), {}, listing=Beside())
    assert [d.path for d in index.dependents([changed])] == expected
    assert not [path for path in resolved if path.name == "floe.yaml"], resolved
    index = ReverseIndex(tmp_path / "alias", Workspace(), {}, listing=Beside())
    assert [d.path for d in index.dependents([changed])] == expected
    assert Path(tmp_path / "alias" / "products" / "p0" / "floe.yaml") in resolved


@pytest.mark.parametrize("style", range(12))
@pytest.mark.parametrize("where", ["products", "twin/products"])
def test_each_spelling_from_the_tree_and_its_twin(
    tmp_path: Path, style: int, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every spelling of `_spelling` once, from the tree and from its twin, the workspace
    given as itself, as "." and through a link in another folder (whose `..` is not the
    workspace's parent: a ref that leaves the workspace and comes back by its name must be
    resolved from the link's target, never by its name)."""
    root = tmp_path / "ws"
    (root / "twin").mkdir(parents=True)
    build(root, [("finance", 0), ("my fin", 1)], [(where, "finance", False, style, "")])
    assert (root / where / "p0" / "floe.yaml").is_file()
    alias = tmp_path / "links" / "alias-ws"
    alias.parent.mkdir()
    alias.symlink_to(root, target_is_directory=True)
    monkeypatch.chdir(root)
    changed = root / "platform" / "finance" / "manifest.yaml"
    expected = _fields(straightforward(root, changed))
    for top in (root, Path("."), alias):
        for listing in (None, Beside()):
            index = ReverseIndex(top, Workspace(), {}, listing=listing)
            assert _fields(index.dependents([changed])) == expected, (top, listing)
