"""How the dependents search (`floe_lint.model.reverse_index`) tells, from a file's text alone,
whether a relative ref in it can name a file of the search's frontier: the needles (names) such
a ref must hold, and the ref-like runs of text around them, resolved as the resolver would."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

_MANIFEST_NAMES = ("manifest.yaml", "manifest.yml")

#: what ends a ref's text on its line: quotes, flow punctuation, a comment, spaces, and the
#: line breaks YAML has besides LF (CR, NEL, LS, PS: a file may end its lines with any of them)
_STOPS = frozenset(" \t\"',[]{}#\r\x85\u2028\u2029")


def _ref_texts(text: str, needle: str) -> Iterator[str]:
    """The ref-like strings of `text` around each occurrence of `needle`: the run of characters
    on its line between stops (quotes, spaces, flow punctuation). A ref with a space inside (a
    rare folder name) is also tried as the line's value after `key:` or `- `."""
    if _STOPS.isdisjoint(needle) and "\n" not in needle:
        yield from _line_texts(text, needle)
        return
    start = text.find(needle)
    while start >= 0:
        left = start
        while left > 0 and text[left - 1] not in _STOPS and text[left - 1] != "\n":
            left -= 1
        right = start + len(needle)
        while right < len(text) and text[right] not in _STOPS and text[right] != "\n":
            right += 1
        yield text[left:right]
        yield _line_value(text, start)
        yield from _flow_values(_line_of(text, start))
        start = text.find(needle, right)


#: every stop as a line break: a line (which holds none) split at them gives its runs
_TO_BREAK = str.maketrans(dict.fromkeys(_STOPS, "\n"))


def _line_texts(text: str, needle: str) -> Iterator[str]:
    """`_ref_texts` for a needle without a stop or a line break in it (so each occurrence lies
    in one run): each line holding it is split at its stops once, in C, and gives the runs that
    hold the needle and its value; the same strings, each distinct line's once (a tag or a
    label repeats the needle on many lines alike)."""
    seen: set[str] = set()
    start = text.find(needle)
    while start >= 0:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        if line_end < 0:
            line_end = len(text)
        line = text[line_start:line_end]
        start = text.find(needle, line_end)
        if line in seen:
            continue
        seen.add(line)
        for run in line.translate(_TO_BREAK).split("\n"):
            if needle in run:
                yield run
        yield _value(line)
        yield from _flow_values(line)


def _line_value(text: str, start: int) -> str:
    """The value of the line holding `start`: after `- ` or `key: `, unquoted, comment cut."""
    return _value(_line_of(text, start))


def _line_of(text: str, start: int) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    return text[line_start : line_end if line_end >= 0 else len(text)]


#: flow punctuation as line breaks: a flow mapping's pieces, each `key: value`
_FLOW_TO_BREAK = str.maketrans(dict.fromkeys(",[]{}", "\n"))


def _flow_values(line: str) -> Iterator[str]:
    """The values of a line in flow style and its quoted scalars, which may hold a space
    (`{ref: "../data platform/manifest.yaml"}`: its runs split at the space, and `_value`
    gives the whole mapping)."""
    for quote in "\"'":
        if quote in line:
            yield from line.split(quote)[1::2]
    if "," in line or "[" in line or "{" in line or "]" in line or "}" in line:
        for piece in line.translate(_FLOW_TO_BREAK).split("\n"):
            yield _value(piece)


def _value(line: str) -> str:
    value = line.split("#", 1)[0].strip().removeprefix("- ").split(": ", 1)[-1]
    return value.strip().strip("\"'")


class _Targets:
    """The frontier of a dependents search as paths a relative ref's text can resolve to:
    each changed manifest, and its folder when its name is generic (a ref may name the folder).
    Folder resolutions are cached: the refs of a tree name the same few folders again and again."""

    def __init__(self, targets: Iterable[Path], names: Iterable[str] | None = None):
        """`names`: the needles, instead of those the targets' names give (the names of
        symbolic links to a target or its folder, `ReverseIndex._aliases`)."""
        self.paths: set[str] = set()
        self.needles: set[str] = set()
        for target in targets:
            for form in {target, target.resolve()}:
                self.paths.add(str(form))
                if form.name in _MANIFEST_NAMES:
                    self.paths.add(str(form.parent))
                else:
                    self.needles.add(form.name)
                if form.parent.name:
                    self.needles.add(form.parent.name)
        if names is not None:
            self.needles = set(names)
        self._alone = [(n, n) for n in self.needles]  # (see `named_by`)
        self._real: dict[str, str] = {}
        #: the needles as UTF-8, which a file's bytes hold wherever its text (decoded with
        #: replacements) holds the needle: each character decoded comes from its own bytes.
        #: None (decode and look) for a needle with a replacement character or a lone
        #: surrogate (an undecodable file name), which may come from other bytes.
        self.byte_needles: tuple[bytes, ...] | None = None
        if not any("\ufffd" in n for n in self.needles):
            with contextlib.suppress(UnicodeEncodeError):
                self.byte_needles = tuple(n.encode() for n in self.needles)

    def _through_links(self, joined: str) -> bool:
        """Whether the path `joined`, which names no target as it is written, resolves to one
        (through symbolic links, each `..` taken after the link before it is followed, as the
        system opens it)."""
        real = self._real.get(joined)
        if real is None:  # through a symlink: one stat for most texts, which name nothing
            real = self._real[joined] = _real_target(joined)
        return real in self.paths

    def may_name(self, raw: bytes) -> bool:
        """Whether the bytes hold a needle (so `named_by` may find one in their text)."""
        return self.byte_needles is None or any(needle in raw for needle in self.byte_needles)

    def named_by(self, path: Path | str, text: str) -> bool:
        """Whether a ref in `text` (the file at `path`) can resolve to one of the targets."""
        folder = ""
        tried: set[str] = set()  # a tag or a label repeats the needle on many lines
        later: list[str] = []  # what names no target as written: through links, once all failed
        # the texts through a folder of that name first (most files name their level so)
        for mention, needle in [*(("/" + n, n) for n in self.needles), *self._alone]:
            if mention not in text:
                continue
            for ref in _ref_texts(text, mention):
                if ref in tried or "://" in ref or needle not in ref.split("/"):
                    continue  # the needle must be a whole folder or file name of the ref
                tried.add(ref)
                folder = folder or os.path.dirname(os.path.abspath(path))
                joined = os.path.join(folder, ref)
                if os.path.normpath(joined) in self.paths:
                    return True
                later.append(joined)  # (its `..` after a link: the link's target's parent)
        return any(self._through_links(joined) for joined in later)


def _real_target(joined: str) -> str:
    """What the path `joined` names once every link is followed; a folder that is no target
    names its manifest (a link named manifest.yaml in a folder of another name); "": nothing."""
    if not os.path.exists(joined):
        return ""
    real = os.path.realpath(joined)
    if os.path.isdir(real):
        for name in _MANIFEST_NAMES:
            inner = os.path.join(real, name)
            if os.path.isfile(inner):
                return os.path.realpath(inner)
    return real
