"""The root of trust: whether a manifest chain ends at a manifest the organisation sanctions.

`check --trusted-root REF` (or the config's `trusted-roots`) names the sanctioned enterprise
manifests: a path, compared by real path (symlinks resolved), or an `oci://` ref, compared by
digest (the sha256 of the manifest as published, verified when it was pulled; a local file
with exactly those bytes is the same manifest). A product or domain whose hierarchy ends
anywhere else runs under a policy nobody sanctioned: a pull request can add its own permissive
"enterprise" manifest and point its product at it. Such a chain is reported once, at the ref
that leaves the trusted tree: the last ref of the chain written in a file of this run (the one
to fix), naming where the chain really ends.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from floe_lint.errors import ConfigError
from floe_lint.load.document import Document, Node
from floe_lint.load.paths import relative_posix
from floe_lint.load.reading import read_regular
from floe_lint.model.hierarchy import Hierarchy
from floe_lint.model.level import Level
from floe_lint.model.refs import RefError, Resolver, is_oci
from floe_lint.record import Frozen, set_field
from floe_lint.secrets import mask_url_credentials


class Verdict(Frozen):
    """Whether a chain is trusted, where it ends, and (untrusted) the ref that leaves."""

    __slots__ = ("end", "message", "node", "reason", "root", "trusted")
    trusted: bool
    end: Level | None  # None: the product names no platform
    root: str | None  # the trusted root it ends at, as given
    node: Node | None  # untrusted: the ref to report
    message: str
    reason: str  # untrusted: why, without the ref (`the hierarchy ends at ...`)

    def __init__(
        self,
        trusted: bool,
        end: Level | None,
        root: str | None,
        node: Node | None = None,
        message: str = "",
        reason: str = "",
    ) -> None:
        set_field(self, "trusted", trusted)
        set_field(self, "end", end)
        set_field(self, "root", root)
        set_field(self, "node", node)
        set_field(self, "message", message)
        set_field(self, "reason", reason)


class Trust:
    """The trusted roots, resolved on first use, and the verdict on any chain."""

    def __init__(
        self, roots: Sequence[str], resolver: Resolver, reported: Callable[[Path], bool]
    ) -> None:
        self.roots = tuple(roots)
        self.resolver = resolver
        self.reported = reported
        self._paths: dict[str, str] | None = None  # real path -> root as given
        self._digests: dict[str, str] = {}  # sha256 of the manifest's bytes -> root
        #: why the roots cannot be resolved (raised again by every verdict), once tried
        self._failure: Exception | None = None

    @property
    def shown(self) -> str:
        return ", ".join(_shown_root(r) for r in self.roots)

    def material(self) -> list[object]:
        """What the roots resolve to now, for the result cache's key (floe_lint.lint.run_key):
        the real path of each root given as a path, the digest of the bytes of each given as an
        `oci://` ref, or the error that resolving them raises (raised again when a verdict is
        asked, as a run that does not use the cache raises it)."""
        try:
            paths = self._resolve()
        except Exception as error:  # (any: a cold run would raise it at its first verdict)
            return ["unresolved", type(error).__name__, str(error)]
        return [sorted(paths.items()), sorted(self._digests.items())]

    def _resolve(self) -> dict[str, str]:
        if self._failure is not None:
            raise self._failure
        if self._paths is None:
            try:
                self._paths = self._resolved()
            except Exception as error:
                self._failure = error
                raise
        return self._paths

    def _resolved(self) -> dict[str, str]:
        paths: dict[str, str] = {}
        for root in self.roots:
            try:
                path = self.resolver.resolve(root, Path.cwd() / ".floe-lint")
            except RefError as error:
                raise ConfigError(
                    f"trusted root '{_shown_root(root)}' cannot be resolved: {error}"
                ) from error
            if not _is_manifest(path):
                raise ConfigError(
                    f"trusted root '{_shown_root(root)}' is not a Floe manifest (no document "
                    "in it is one); name the enterprise manifest.yaml"
                )
            if is_oci(root):
                self._digests[_sha256(path)] = root
            else:
                paths[os.path.realpath(path)] = root
        return paths

    def root_of(self, level: Level) -> str | None:
        """The trusted root `level` is (as given), else None."""
        paths = self._resolve()
        found = paths.get(os.path.realpath(level.doc.path))
        if found is None and self._digests:
            found = self._digests.get(_sha256(level.doc.path))
        return found

    def verdict(self, start: Level | None, ref: Node, key: str) -> Verdict | None:
        """The verdict on a chain that `ref` (a product's platform ref or a domain's parent
        ref, written as `key`) starts; None when the chain is broken (a ref that does not
        resolve, a cycle: those are errors of their own)."""
        if start is None:
            reason = (
                f"this product names no platform ({key}), so its hierarchy cannot end at a "
                f"trusted root ({self.shown})"
            )
            return Verdict(False, None, None, ref, reason, reason)
        chain = start.chain()
        if any(level.parent_status in ("unresolved", "cycle") for level in chain):
            return None
        end = chain[-1]
        root = self.root_of(end)
        if root is not None:
            return Verdict(True, end, root)
        hops: list[tuple[Node, str]] = [(ref, key)]
        hops += [(level.parent_node, "parent_manifest") for level in chain[:-1]]
        node, via = next(
            ((n, k) for n, k in reversed(hops) if self.reported(n.doc.path)), (ref, key)
        )
        written = node.value if isinstance(node.value, str) else None
        what = f"{via} '{mask_url_credentials(written)}'" if written else "the platform found"
        reason = (
            f"the hierarchy ends at {end.label} ({relative_posix(end.doc.path)}), which is not "
            f"a trusted root (trusted: {self.shown})"
        )
        return Verdict(
            False,
            end,
            None,
            node,
            f"{what} leaves the trusted tree: {reason}".replace(
                "trusted tree: the hierarchy", "trusted tree: this hierarchy"
            ),
            reason,
        )

    def verdict_of(self, doc: Document, hierarchy: Hierarchy) -> Verdict | None:
        """The verdict on a product's or a domain's hierarchy; None for a top level and for
        a chain broken by a ref of its own (unresolved-ref reports it)."""
        if doc.kind == "floe":
            product = hierarchy.product(doc)
            if product.platform is None and not product.unlinked:
                return None
            return self.verdict(product.platform, product.platform_node, product.platform_key)
        if doc.kind != "manifest":
            return None
        level = hierarchy.level(doc)
        if level.parent is None:
            return None
        return self.verdict(level.parent, level.parent_node, "parent_manifest")


def _is_manifest(path: Path) -> bool:
    from floe_lint.load.document import load

    return any(doc.kind == "manifest" for doc in load(path).documents)


def _sha256(path: Path) -> str:
    import hashlib  # here: only trusted roots given as oci:// refs need it

    try:
        return "sha256:" + hashlib.sha256(read_regular(path)).hexdigest()
    except OSError:
        return ""


def _shown_root(root: str) -> str:
    return mask_url_credentials(root) if is_oci(root) else relative_posix(Path(root))
