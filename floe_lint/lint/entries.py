"""A checked file's result cache entry (floe_lint.lint.replay): the hash of its bytes and of
every file its findings depend on, what it reached, and what it found."""

from __future__ import annotations

from floe_lint.findings import Finding
from floe_lint.lint import cache, links, spill
from floe_lint.lint.depends import Facts
from floe_lint.load.document import SourceFile
from floe_lint.load.kinds import holds_manifest

TYPE_CHECKING = False
if TYPE_CHECKING:  # (typing is not imported at run time: tests/test_perf_imports.py)
    from typing import Any, Protocol

    class Run(Protocol):
        """What an entry takes of the run (floe_lint.lint.replay.Replay)."""

        explicit: dict[str, bool]
        set_hash: str
        exclusions: bool

        def hash(self, key: str) -> str | None: ...

        def all_hash(self) -> str: ...


def file_entry(
    replay: Run,
    key: str,
    source: SourceFile,
    facts: Facts,
    reported: bool,
    expected: bool,
    loc: dict[str, Any] | None,
    found: list[Finding] | None = None,
    strict: list[str] | None = None,
) -> dict[str, Any]:
    """A file's store entry (`found`, `strict`, its parse: see floe_lint.lint.spill)."""
    deps, reach, run_wide, refs, led = facts
    deps.discard(key)
    entry: dict[str, Any] = {
        "h": replay.hash(key),
        "x": replay.explicit.get(key, False),
        "rep": reported,
        "exp": expected,
        "set": replay.set_hash,
        "all": replay.all_hash() if run_wide else None,
        "deps": {dep: replay.hash(dep) for dep in sorted(deps)},
        "reach": sorted(
            r for r in reach if r not in replay.explicit and r != key and replay.hash(r) is not None
        ),
        spill.FINDINGS: [cache.encode(f) for f in found or ()],
        spill.STRICT: strict or [],
        "man": holds_manifest(source),
        "loc": loc or {},
    }
    if refs:
        entry["oci"] = refs
    if led:
        entry["links"] = led
    named = replay.explicit.get(key) or replay.exclusions
    # (a manifest the run did not find, reached as a level above: the same)
    reached = key not in replay.explicit and holds_manifest(source)
    if (named or reached) and any(d.kind for d in source.documents):
        # not found by a walk (or one that excludes files): a new floe.prod.yaml beside
        # it changes no set of files found, so the names beside it are noted
        entry["ov"] = links.overlays_beside(source.path)
    return entry
