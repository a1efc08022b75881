"""What a file's result-cache entry depends on in its hierarchy (floe_lint.lint.replay): the files
whose content keys it, the manifests it reaches, the `oci://` refs and the local refs that must
still lead where they led."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from pathlib import Path

from floe_lint.lint import links
from floe_lint.load.document import ENV_VARIANT, Document
from floe_lint.model.hierarchy import Hierarchy
from floe_lint.model.level import Level
from floe_lint.model.product import Product
from floe_lint.model.refs import RefError, is_oci, parse_oci

#: what an `oci://` ref of a file's hierarchy stands for in a run: [the digest it resolved to,
#: what its tag points to now when a floe.lock served it (None otherwise)]
OciKey = list[str | None]
#: (files depended on, files of the hierarchy reached, whether the whole run counts, the key of
#: each `oci://` ref of the hierarchy, the local refs that must still lead where they led)
Facts = tuple[set[str], set[str], bool, dict[str, OciKey], list[links.Link]]


def dependencies(
    documents: Iterable[Document],
    hierarchy: Hierarchy,
    overlays: Callable[[Document], Iterable[Document]],
    overrides: Collection[str],
    key: Callable[[Path], str],
    lock_key: Callable[[Path], str],
    overridden: Callable[[str], bool],
    used: Callable[[str], OciKey | None],
) -> Facts | None:
    """A file's `Facts` (see `links` for what a local ref notes); None when the file must always
    be checked again. `key`: a path's key; `lock_key`: the key of the floe.lock beside a file;
    `overridden`: whether the run's key covers a local stand-in for an `oci://` ref; `used`: the
    key of an `oci://` ref the run resolved."""
    deps: set[str] = set()
    reach: set[str] = set()
    run_wide = False
    refs: dict[str, OciKey] = {}
    led: list[links.Link] = []

    def follow(base: Path, text: object, target: Path) -> None:
        """Note where a local ref led, unless its text names its target directly."""
        if text is None:
            text = links.SIBLING
        elif not isinstance(text, str):
            return
        elif is_oci(text.strip()) and not overridden(text.strip()):
            return  # the digest it resolved to keys it
        link = links.note(base, text, key(target))
        if link is not None and link not in led:
            led.append(link)

    def keyed(text: object) -> bool:
        """Whether the ref `text` is keyed (a path by the content of what it reached)."""
        if not isinstance(text, str) or not is_oci(text.strip()):
            return True
        text = text.strip()
        if text in overrides or canonical(text) in overrides:
            # a local stand-in: the config's and --ref's are in the run's key; one that the
            # dependents search made for this run only is not
            return overridden(text)
        found = used(text)
        if found is not None:
            refs[text] = found
        return found is not None

    problem_docs = {id(p.doc) for p in hierarchy.problems}
    for doc in documents:
        if doc.kind is None:
            continue
        if ENV_VARIANT.match(doc.path.name):
            return None  # an overlay: checked with its base, every time
        deps.add(lock_key(doc.path))
        deps.update(key(d.path) for d in overlays(doc))
        chain: list[Level]
        if doc.kind == "floe":
            product = hierarchy.product(doc)
            if product.platform is None or product.unlinked:
                return None  # a platform that may appear later, or a fallback
            if not keyed(_platform_ref(product, hierarchy)):
                return None
            follow(doc.path, _platform_ref(product, hierarchy), product.platform.doc.path)
            chain = product.platform.chain()
            docs = [doc, *(level.doc for level in chain)]
        else:
            level = hierarchy.level(doc)
            chain = level.chain()
            docs = [level.doc for level in chain]
            run_wide = True  # its rules may consult which products and levels name it
        if any(id(d) in problem_docs for d in docs):
            return None
        for level in chain:
            if level.parent_status not in ("none", "resolved"):
                return None
            if not keyed(level.ref_node.value):
                return None
            if level.parent is not None:
                follow(level.ref_node.doc.path, level.ref_node.value, level.parent.doc.path)
            reach.add(key(level.doc.path))
    deps |= reach
    return deps, reach, run_wide, refs, led


def canonical(text: str) -> str:
    try:
        return str(parse_oci(text))
    except RefError:
        return text


def _platform_ref(product: Product, hierarchy: Hierarchy) -> object:
    """The ref a product's platform came from: its own, else `--manifest` (the config's)."""
    if product.platform_node.value is None and product.platform_optional:
        return hierarchy.manifest
    return product.platform_ref


def oci_used(fetch: object, text: str) -> OciKey | None:
    """The key of an `oci://` ref that the run's fetcher resolved (see `OciKey`)."""
    try:
        ref = parse_oci(text)
    except RefError:
        return None
    key = str(ref)
    resolved = getattr(fetch, "resolved", None)
    used = resolved.get(key) if isinstance(resolved, dict) else None
    if not isinstance(used, str):
        return None
    current = None
    locks = getattr(fetch, "locks", {})
    ask = getattr(fetch, "current_digest", None)
    if ref.digest is None and key in locks and callable(ask):
        current = ask(ref)  # a lock served the digest; the lock rule compares the tag's
    return [used, current if isinstance(current, str) else None]
