"""The files of a streamed run in key order (`Workspace.files`): those it holds by `Path` and
those it keeps by their key's text (retired once checked, shelved once replayed), merged
without a sort of every file when each kind came in key order (issue 17)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from heapq import merge
from pathlib import Path

from floe_lint.load.document import SourceFile
from floe_lint.load.paths import order


def order_text(key: str) -> str:
    """A key's text that sorts as its `Path` does (name by name: a slash below every character
    of a name), for absolute keys with one leading slash (see `Workspace.retire`)."""
    return key.replace("/", "\0")


def in_key_order(
    held: Mapping[Path, SourceFile],
    kept: tuple[Mapping[str, SourceFile], ...],
    in_order: bool,
) -> list[SourceFile]:
    """The files `held` by key and those `kept` by their key's text, by key. `in_order`: each
    table of `kept` holds its files in key order; then each held file is put where it goes among
    them (few are held), else all are sorted."""
    if in_order:
        names: list[str] = list(merge(*kept, key=order_text)) if len(kept) > 1 else list(kept[0])
        every = [_file(name, kept) for name in names]
        # from the last: each inserted where it goes among the kept alone
        for key in reversed(sorted(held, key=order)):
            at = bisect_left(names, order_text(str(key)), key=order_text)
            every.insert(at, held[key])
        return every
    pairs = [(order_text(str(key)), source) for key, source in held.items()]
    for table in kept:
        pairs.extend((order_text(name), source) for name, source in table.items())
    pairs.sort(key=_first)
    return [source for _, source in pairs]


def _file(name: str, kept: tuple[Mapping[str, SourceFile], ...]) -> SourceFile:
    for table in kept:
        source = table.get(name)
        if source is not None:
            return source
    raise KeyError(name)


def _first(pair: tuple[str, SourceFile]) -> str:
    return pair[0]
