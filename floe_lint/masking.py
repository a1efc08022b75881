"""Source lines as they may be shown: every credential value replaced by stars.

Two layers, both linear in the length of the text. For a file that parsed, the span of every
literal credential (however quoted, punctuated, nested or spread over lines) is starred. On
any line, a one-pass scanner also stars the value of each credential-like key it recognises
(`db_password: s3cr3t#tail`, `{pwd: "x"}`), which covers files that did not parse.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from floe_lint.load import pointer as ptr
from floe_lint.load.document import SourceFile
from floe_lint.load.paths import lines_reader, resolved
from floe_lint.secrets import (
    is_reference,
    is_secret_key,
    literal_credentials,
    mask_url_credentials,
    url_passwords,
)

_OPENERS, _CLOSERS = "{[", "}]"


def _quoted_end(line: str, start: int) -> int:
    """Index just past the quoted scalar that opens at `start` (the line's end if unclosed)."""
    quote, i, n = line[start], start + 1, len(line)
    while i < n:
        c = line[i]
        if quote == '"' and c == "\\":
            i += 2
            continue
        if c == quote:
            if quote == "'" and i + 1 < n and line[i + 1] == "'":
                i += 2  # '' is an escaped quote
                continue
            return i + 1
        i += 1
    return n


def _value_end(line: str, start: int, depth: int) -> int:
    """Where a value that starts at `start` ends: its closing quote or bracket, else the end of
    the line (a comment excepted) or, inside a flow collection, the next `,` `}` `]`."""
    n = len(line)
    if line[start] in "\"'":
        return _quoted_end(line, start)
    if line[start] in _OPENERS:
        level, i = 0, start
        while i < n:
            c = line[i]
            if c in "\"'":
                i = _quoted_end(line, i)
                continue
            if c in _OPENERS:
                level += 1
            elif c in _CLOSERS:
                level -= 1
                if level == 0:
                    return i + 1
            i += 1
        return n
    i = start
    while i < n:
        c = line[i]
        if c == "#" and line[i - 1] in " \t":
            break
        if depth and c in ",}]":
            break
        i += 1
    return len(line[:i].rstrip()) if i > start else i


def mask(line: str) -> str:
    """`line` with the value of every credential-like key replaced by stars, in one pass."""
    n = len(line)
    stars: list[tuple[int, int]] = []
    depth, token, i = 0, 0, 0
    while i < n:
        c = line[i]
        if c in "\"'":
            i = _quoted_end(line, i)
            continue
        if c == "#" and (i == 0 or line[i - 1] in " \t"):
            break
        if c in _OPENERS:
            depth += 1
            token = i + 1
        elif c in _CLOSERS:
            depth = max(depth - 1, 0)
            token = i + 1
        elif c == "," and depth:
            token = i + 1
        elif c == ":" and (i + 1 == n or line[i + 1] in " \t" or line[i - 1] in "\"'"):
            key = line[token:i].strip().lstrip("-? \t").strip("\"'")
            start = i + 1
            while start < n and line[start] in " \t":
                start += 1
            if start < n and line[start] not in "#|>&*!" and is_secret_key(key):
                end = _value_end(line, start, depth)
                if not is_reference(line[start:end].strip("\"'")):
                    stars.append((start, end))
                i = token = end
                continue
            token = i + 1
        i += 1
    return _starred(line, stars)


def _starred(line: str, ranges: Sequence[tuple[int, int]]) -> str:
    if not ranges:
        return line
    chars = list(line)
    for start, end in ranges:
        for i in range(max(start, 0), min(end, len(chars))):
            chars[i] = "*"
    return "".join(chars)


def shown_lines(source: SourceFile) -> list[str]:
    """The file's lines with every literal credential that the parser found starred."""
    lines = source.lines
    ranges: dict[int, list[tuple[int, int]]] = {}
    for doc in source.documents:
        for path in literal_credentials(doc.data):
            span = doc.span(ptr.join("", *path))
            for number in range(span.start_line, span.end_line + 1):
                if 0 < number <= len(lines):
                    text = lines[number - 1]
                    indent = len(text) - len(text.lstrip())
                    start = span.start_col - 1 if number == span.start_line else indent
                    end = span.end_col - 1 if number == span.end_line else len(text)
                    ranges.setdefault(number - 1, []).append((start, end))
    if "://" in source.text:  # the password of a `scheme://user:password@host` URL
        for index, line in enumerate(lines):
            for start, end in url_passwords(line) if "://" in line else ():
                ranges.setdefault(index, []).append((start, end))
    if not ranges:
        return lines
    return [_starred(line, ranges.get(index, ())) for index, line in enumerate(lines)]


def reader(files: Sequence[SourceFile]) -> Callable[[Path], list[str]]:
    """Source lines by path, credentials starred (see `shown_lines`); read once per file."""
    sources: dict[Path, SourceFile] = {}  # by resolved path, once a report asks for lines
    fallback = lines_reader(files)
    cache: dict[Path, list[str]] = {}

    def read(path: Path) -> list[str]:
        key = resolved(path)
        if key not in cache:
            if not sources:
                sources.update((resolved(s.path), s) for s in files)
            source = sources.get(key)
            cache[key] = (
                shown_lines(source)
                if source is not None
                else [mask_url_credentials(line) for line in fallback(path)]
            )
        return cache[key]

    return read
