"""How the dependents search (`floe_lint.model.reverse_index`) tells, from a file's text alone,
whether a relative ref in it can name a file of the search's frontier: the needles (names) such
a ref must hold, and the ref-like runs of text around them, resolved as the resolver would."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from floe_lint.model.ref_spelling import line_bounds, lines_holding, spelled_otherwise

TYPE_CHECKING = False
if TYPE_CHECKING:  # (`typing` is not imported at run time: issue 17's start-up)
    from typing import AnyStr

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
    for line in lines_holding(text, needle):
        if line in seen:
            continue
        seen.add(line)
        for run in line.translate(_TO_BREAK).split("\n"):
            if needle in run:
                yield run
        yield _value(line)
        yield from _flow_values(line)


def _line_refs(line: bytes | str, needle: str) -> tuple[str, ...]:
    """`_line_texts(line, needle)` of one line (a needle without a stop; bytes are decoded
    with replacements) that hold the needle as a whole folder or file name: the refs
    `named_in` tries, each without white space at its ends as `level_refs` reads a ref (a
    quoted one may hold a space before its closing quote). The mention `/needle` that
    `_ref_texts` also looks for adds none: each of its runs and lines is one of the needle's.

    A line of bytes (split at LF) decodes to the same text as that line of the whole file's
    text: LF is never part of a UTF-8 sequence, and the decoder replaces an incomplete one
    alike whether a LF or the end of the bytes cuts it. A line whose bytes hold the needle's
    UTF-8 but whose text does not (if any) gives no ref; one whose text holds it, holds its
    UTF-8 (tests/test_scan_needles.py)."""
    if isinstance(line, bytes):
        line = line.decode("utf-8", errors="replace")
    refs = (ref.strip() for ref in _line_texts(line, needle))  # (as `level_refs` reads it)
    return tuple(ref for ref in refs if "://" not in ref and needle in ref.split("/"))


def _line_value(text: str, start: int) -> str:
    """The value of the line holding `start`: after `- ` or `key: `, unquoted, comment cut."""
    return _value(_line_of(text, start))


def _line_of(text: str, start: int) -> str:
    line_start, line_end = line_bounds(text, start)
    return text[line_start:line_end]


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
    """A line's value after `- ` or `key: `, unquoted; a comment (a `#` after a space: one
    inside a name, `a#b`, is the name's) cut."""
    value = line.split(" #", 1)[0].split("\t#", 1)[0].strip().removeprefix("- ")
    value = value.split(": ", 1)[-1]
    value = _properties_off(value.strip())
    if value[:1] in ("'", '"'):  # (a quote ends a plain scalar's text: a name of it keeps it)
        value = value[1:-1] if len(value) > 1 and value[-1] == value[0] else value[1:]
    return value


def _properties_off(text: str) -> str:
    """`text` without the node properties that may begin it (`&anchor`, `!!str`, each ending
    at a space): what is left is the scalar's own text."""
    while text[:1] in ("&", "!"):
        space = text.find(" ")
        if space < 0:
            return text
        text = text[space + 1 :].lstrip()
    return text


class _Targets:
    """The frontier of a dependents search as paths a relative ref's text can resolve to:
    each changed manifest, and its folder when its name is generic (a ref may name the folder).
    Folder resolutions are cached: the refs of a tree name the same few folders again and again."""

    def __init__(
        self, targets: Iterable[Path], names: Iterable[str] | None = None, top: str | None = None
    ):
        """`names`: the needles, instead of those the targets' names give (the names of
        symbolic links to a target or its folder, `ReverseIndex._aliases`). `top`: the walk's
        top folder (absolute) when every file tested is one its walk found: the folders
        between it and such a file are folders, no symbolic links (the walk follows none), so
        a ref's leading `../` below it is the folder above by name (`_based`)."""
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
        #: needles without a stop or a line break: their refs are read a line at a time
        #: (`_line_refs`, each line once: `_lines`); the others as runs around each mention
        by_line = [n for n in self.needles if _STOPS.isdisjoint(n) and "\n" not in n]
        self._others = [n for n in self.needles if n not in by_line]
        #: the pieces of each of the others that a file naming it holds however it spells
        #: the name (`_pieces`): a space may be a folded line break, a `'` a single-quoted `''`
        self._pieces = [_pieces(n) for n in self._others]
        #: a line's refs that hold the needle as a name, by (needle, line): the lines of a
        #: tree's files repeat (the same ref text, owner, label in every product)
        self._lines: dict[tuple[str, bytes | str], tuple[str, ...]] = {}
        #: whether a ref (joined to its folder, `_based`) names a target as it is written
        self._written: dict[str, bool] = {}
        self._real: dict[str, str] = {}
        self._top = top if top is not None and top != os.sep else None
        #: the needles as UTF-8, which a file's bytes hold wherever its text (decoded with
        #: replacements) holds the needle: each character decoded comes from its own bytes.
        #: None (decode and look) for a needle with a replacement character or a lone
        #: surrogate (an undecodable file name), which may come from other bytes.
        self.byte_needles: tuple[bytes, ...] | None = None
        if not any("\ufffd" in n for n in self.needles):
            with contextlib.suppress(UnicodeEncodeError):
                self.byte_needles = tuple(
                    [n.encode() for n in by_line]
                    + [piece.encode() for pieces in self._pieces for piece in pieces or ("",)]
                )
        #: (needle, what a line of the content holds when it holds the needle: its UTF-8
        #: when the content is bytes and there is one, else the needle)
        self._by_line: list[tuple[str, bytes]] = [
            (n, n.encode() if self.byte_needles is not None else b"") for n in by_line
        ]
        #: what a file holds where a scalar whose value differs from its text may name a
        #: target (`spells_otherwise`): each line needle's mentions, `/needle` and `needle/`
        #: (`named_in`), then the pieces of the others (the quotes of a name that has none, as
        #: `'`: a value holding it holds them as written, as `''` or as an escape);
        #: `spelled_otherwise` reads the lines around them
        self._near = [mention for n in by_line for mention in ("/" + n, n + "/")]
        for other, pieces in zip(self._others, self._pieces, strict=True):
            self._near += pieces or [quote for quote in "'\"" if quote in other]
        self._near_count = 2 * len(by_line)
        #: each line needle's two mentions (`/needle`, `needle/`), as bytes and as text
        self._mentions: dict[str, tuple[tuple[bytes, bytes], tuple[str, str]]] = {
            n: ((b"/" + code, code + b"/"), ("/" + n, n + "/")) for n, code in self._by_line
        }
        #: each ref read so far that begins with `../`: how many of them, and the rest
        self._ups: dict[str, tuple[int, str]] = {}

    def _through_links(self, joined: str) -> bool:
        """Whether the path `joined`, which names no target as it is written, resolves to one
        (through symbolic links, each `..` taken after the link before it is followed, as the
        system opens it)."""
        real = self._real.get(joined)
        if real is None:  # through a symlink: one stat for most texts, which name nothing
            real = self._real[joined] = _real_target(joined)
        return real in self.paths

    def may_name(self, raw: bytes) -> bool:
        """Whether the bytes hold a needle (so `named_in` may find one in them)."""
        return self.byte_needles is None or any(needle in raw for needle in self.byte_needles)

    def named_in(self, folder: str, content: bytes | str) -> bool:
        """Whether a ref in a file of `folder` (absolute) whose content is `content` (its
        bytes, or its text decoded with replacements) can resolve to one of the targets.

        A ref that holds a needle as a whole name and is more than the needle holds it next
        to a `/`: only the lines holding `/needle` or `needle/` are read for them, each
        line's refs found once for the search (`_lines`; bytes are decoded a line at a time,
        only for a line not seen before). A run or a line's value that is the needle alone
        (a label, a tag) names the entry of that name in the folder: tried once for any file
        holding the needle (if no such run is there, one ref more is tried: the test only
        saves parsing)."""
        tried: set[str] = set()
        later: list[str] = []  # what names no target as written: through links, once all failed
        text: str | None = None
        ascii, written = False, content
        if isinstance(content, bytes) and content.isascii():
            # (`_lf_only` without its own `isascii`: no NEL, LS or PS in ASCII bytes)
            ascii = True
            if _CR in content:
                content = content.replace(b"\r", b"\n")
        else:
            content = _lf_only(content)
        if isinstance(content, str):
            text = content
        elif self.byte_needles is None or self._others:
            text = content.decode("utf-8", errors="replace")
        # where each line holding a mention starts, as found in bytes: the same offsets in the
        # text of ASCII bytes (each break other than LF is one character, CR one byte)
        lines: list[int] | None = [] if text is None and ascii else None
        for needle, encoded in self._by_line:
            if text is None:
                assert isinstance(content, bytes)
                mentions = self._mentions[needle][0]
                refs = self._refs_by_line(content, needle, encoded, mentions, b"\n", lines)
            else:
                mentions_text = self._mentions[needle][1]
                refs = self._refs_by_line(text, needle, needle, mentions_text, "\n")
            for ref in refs:
                if ref not in tried:
                    tried.add(ref)
                    if self._written_as(self._based(folder, ref), later):
                        return True
        for needle in self._others:
            assert text is not None
            for mention in ("/" + needle, needle):  # (the first finds nothing the second
                if mention not in text:  # does not; it may find it first)
                    continue
                for ref in _ref_texts(text, mention):
                    ref = ref.strip()  # (as `level_refs` reads it)
                    if ref not in tried and "://" not in ref and needle in ref.split("/"):
                        tried.add(ref)
                        if self._written_as(self._based(folder, ref), later):
                            return True
        if any(self._through_links(joined) for joined in later):
            return True
        # a ref the lines do not spell as its value (a folded line break, a `''`): parsed
        if written is not content:  # (its own line breaks: `spelled_otherwise` reads them)
            text = written if isinstance(written, str) else None
            content = written
        if text is None:
            assert isinstance(content, bytes)
            text = content.decode("utf-8", errors="replace")
        return self.spells_otherwise(text, lines)

    def spells_otherwise(self, text: str, lines: list[int] | None = None) -> bool:
        """Whether `text` holds a line needle's mention (`/needle`, `needle/`) or each piece of
        another needle where a scalar's value may differ from its text on one line (a folded
        line break, a `''`: `spelled_otherwise`), so that only a parse tells whether a ref in
        it names a target. `lines`: where each line holding a mention starts, when there is
        no other needle and the caller found them all already (`named_in`)."""
        if lines is not None:
            return bool(lines) and spelled_otherwise(text, self._near, lines)
        return self.holds_mention(text) and spelled_otherwise(text, self._near)

    def holds_mention(self, text: str) -> bool:
        """Whether `text` holds a line needle's mention (`/needle`, `needle/`) or each piece
        of another needle (`_pieces`)."""
        return any(mention in text for mention in self._near[: self._near_count]) or any(
            all(piece in text for piece in pieces) for pieces in self._pieces
        )

    def _refs_by_line(
        self,
        content: AnyStr,
        needle: str,
        encoded: AnyStr,
        mentions: tuple[AnyStr, AnyStr],
        lf: AnyStr,
        lines: list[int] | None = None,
    ) -> list[str]:
        """The refs of `content` (bytes or text: `encoded`, `mentions` (`/needle` and
        `needle/`) and `lf` of its type) that hold the needle as a whole name (`named_in`);
        none if it does not hold it. Where each line holding a mention starts is added to
        `lines`, when given."""
        if content.find(encoded) < 0:  # (for bytes, `in` first tries `encoded` as an int)
            return []
        memo = self._lines
        found: list[str] = []
        #: where each line found starts: a ref holds both mentions (`../finance/x.yaml`), so
        #: its line is found again by the second, and read once
        seen: set[int] = set()
        for mention in mentions:
            start = content.find(mention)
            while start >= 0:
                line_start = content.rfind(lf, 0, start) + 1
                line_end = content.find(lf, start)
                if line_end < 0:
                    line_end = len(content)
                start = content.find(mention, line_end)
                if line_start in seen:
                    continue
                seen.add(line_start)
                line = content[line_start:line_end]
                if lines is not None:
                    lines.append(line_start)
                refs = memo.get((needle, line))
                if refs is None:
                    refs = memo[needle, line] = tuple(dict.fromkeys(_line_refs(line, needle)))
                found.extend(refs)
        found.append(needle)
        return found

    def _written_as(self, joined: str, later: list[str]) -> bool:
        """Whether the path `joined` names a target as it is written; if not, it is noted in
        `later` (resolved through links once every ref of the file failed so)."""
        written = self._written.get(joined)
        if written is None:
            written = self._written[joined] = os.path.normpath(joined) in self.paths
        if not written:
            later.append(joined)  # (its `..` after a link: the link's target's parent)
        return written

    def _based(self, folder: str, ref: str) -> str:
        """`os.path.join(folder, ref)`, each leading `../` taken off (with a folder) while the
        folder lies below the walk's top: the same file for the system (a folder the walk went
        into is no link, so its `..` is the folder above it by name), one text for the refs of
        every product of a domain (so one resolution, `_through_links`)."""
        top = self._top
        if top is not None and ref.startswith("../") and folder.startswith(top + os.sep):
            ups = self._ups.get(ref)
            if ups is None:
                count, rest = 0, ref
                while rest.startswith("../") and rest[3:4] != "/":
                    count, rest = count + 1, rest[3:]
                ups = self._ups[ref] = count, rest
            count, ref = ups
            below = folder.count("/", len(top))  # (folders between the top and this one)
            if count > below:
                ref = "../" * (count - below) + ref
                count = below
            folder = folder.rsplit("/", count)[0]
        if os.sep != "/" or ref[:1] == "/" or not folder or folder[-1] == "/":
            return os.path.join(folder, ref)
        return f"{folder}/{ref}"  # (what `os.path.join` gives, without its Python calls)


def _pieces(needle: str) -> tuple[str, ...]:
    """The runs of `needle` between spaces (any white space, a line break) and quotes: what a
    file's text holds wherever a scalar's value holds the needle (a line break folded to a
    space, `''` or an escape for a quote; a backslash makes the file parsed anyway)."""
    return tuple(needle.replace("'", " ").replace('"', " ").split())


#: a carriage return, as `bytes` hold it (`13 in raw`: no detour through `int()`, see
#: `floe_lint.model.dependents_scan._BACKSLASH`)
_CR = ord("\r")
#: the line breaks YAML has besides LF (CR, NEL, LS, PS), as text and as UTF-8
_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
_BYTE_BREAKS = tuple(b.encode() for b in _BREAKS)


def _lf_only(content: bytes | str) -> bytes | str:
    """`content` with every YAML line break as LF: its refs are read a line at a time. (In
    UTF-8, NEL, LS and PS are sequences whose first byte no other character continues.)
    ASCII content holds none of them, and says so at once (`isascii`, in C): looking for a
    sequence of two or three bytes takes about 3 ns a byte, 10 us for a product's bytes."""
    if isinstance(content, bytes):
        if b"\r" in content:
            content = content.replace(b"\r", b"\n")
        if not content.isascii():
            for byte_break in _BYTE_BREAKS[1:]:
                if byte_break in content:
                    content = content.replace(byte_break, b"\n")
        return content
    if "\r" in content:
        content = content.replace("\r", "\n")
    if not content.isascii():
        for text_break in _BREAKS[1:]:
            if text_break in content:
                content = content.replace(text_break, "\n")
    return content


def _real_target(joined: str) -> str:
    """What the path `joined` names once every link is followed; a folder that is no target
    names its manifest (a link named manifest.yaml in a folder of another name); "": nothing."""
    try:  # (`os.path.exists` without the exception it raises and drops for most texts)
        if not os.access(joined, os.F_OK):
            return ""
    except ValueError:  # (a NUL in the text)
        return ""
    real = os.path.realpath(joined)
    if os.path.isdir(real):
        for name in _MANIFEST_NAMES:
            inner = os.path.join(real, name)
            if os.path.isfile(inner):
                return os.path.realpath(inner)
    return real
