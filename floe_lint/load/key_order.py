"""The files of a streamed run in key order (`Workspace.files`): those it holds by `Path` and
those it keeps by their key's text (retired once checked, shelved once replayed), merged
without a sort of every file when each kind came in key order (issue 17). A file kept by text
is looked up when it is read (`Files`): a table that makes it again each time it is asked for
(`retired.RetiredFiles`) then makes nothing per file for the run's list of them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from floe_lint.load.document import SourceFile
from floe_lint.load.paths import order
from floe_lint.load.retired import RetiredFiles


def order_text(key: str) -> str:
    """A key's text that sorts as its `Path` does (name by name: a slash below every character
    of a name), for absolute keys with one leading slash (see `Workspace.retire`)."""
    return key.replace("/", "\0")


def in_key_order(
    held: Mapping[Path, SourceFile],
    kept: tuple[Mapping[str, SourceFile], ...],
    in_order: bool,
) -> Files:
    """The files `held` by key and those `kept` by their key's text, by key. `in_order`: each
    table of `kept` holds its files in key order; then each held file is put where it goes among
    them (few are held), else all are sorted."""
    every: list[str | SourceFile]
    if in_order:
        # (heapq and bisect imported when needed: a pre-commit check, one table and nothing
        # held, loads neither, issue 17)
        if len(kept) > 1:
            from heapq import merge

            names: list[str] = list(merge(*kept, key=order_text))
        else:
            names = list(kept[0])
        every = list(names)
        if held:
            from bisect import bisect_left

            # from the last: each inserted where it goes among the kept alone
            for key in reversed(sorted(held, key=order)):
                at = bisect_left(names, order_text(str(key)), key=order_text)
                every.insert(at, held[key])
        return Files(every, kept)
    pairs: list[tuple[str, str | SourceFile]] = [
        (order_text(str(key)), source) for key, source in held.items()
    ]
    for table in kept:
        pairs.extend((order_text(name), name) for name in table)
    pairs.sort(key=_first)
    return Files([item for _, item in pairs], kept)


class Files(Sequence[SourceFile]):
    """The files of `in_key_order`: those held, and the names of those kept by text, each
    looked up in its table when read."""

    def __init__(
        self, items: list[str | SourceFile], kept: tuple[Mapping[str, SourceFile], ...]
    ) -> None:
        self._items = items
        self._kept = kept

    def __getitem__(self, at: int) -> SourceFile:  # type: ignore[override]
        if isinstance(at, slice):  # (no `typing.overload`: the hook's check imports no typing)
            return [self._source(item) for item in self._items[at]]
        return self._source(self._items[at])

    def _source(self, item: str | SourceFile) -> SourceFile:
        return _file(item, self._kept) if isinstance(item, str) else item

    def __iter__(self) -> Iterator[SourceFile]:
        kept = self._kept
        for item in self._items:
            yield _file(item, kept) if isinstance(item, str) else item

    def __len__(self) -> int:
        return len(self._items)


def _file(name: str, kept: tuple[Mapping[str, SourceFile], ...]) -> SourceFile:
    for table in kept:
        source = table.found(name) if isinstance(table, RetiredFiles) else table.get(name)
        if source is not None:
            return source
    raise KeyError(name)


def _first(pair: tuple[str, str | SourceFile]) -> str:
    return pair[0]
