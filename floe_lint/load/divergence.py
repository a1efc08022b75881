"""Texts that libyaml (floe-lint's parser) and PyYAML's own parser (upstream Floe's
`yaml.safe_load`) read differently, found without running the slow parser: each is a
`yaml-syntax` problem at its place, since Floe would not run (or refuse) what floe-lint checked.

- A byte-order mark (U+FEFF) that begins a line other than the file's first: libyaml skips it
  as a space of indentation, PyYAML reads it as text, so a key after it sits at another depth
  (a line `<U+FEFF>   type: x` overrides a merged `type` for floe-lint, and is a stray top-level
  key for Floe).
- A tab outside quoted or block text and comments: PyYAML's scanner never skips one between
  tokens (nor ends a plain scalar's spaces with one) and refuses the file; libyaml accepts it.
- A block scalar header (`description: |`) followed by a tab, or by a `#` with no space before
  it (`|# note`): libyaml reads the rest of the line as a comment, PyYAML refuses the file. Such
  a `#` is no comment for Floe, so no suppression comment may start there either
  (`floe_lint.load.comments`).
- A tag written against a `,` in a flow collection (`[!!str, x]`, `{k: !,m: 1}`): libyaml ends
  the tag at the `,`, PyYAML's scanner reads the `,` (and what follows) into the tag and refuses
  the file (an unknown tag, or a flow collection left open).
- A `?` inside a plain scalar of a flow collection (`{url: https://h/p?q=1}`, `[x?y]`): libyaml
  reads it as part of the text, PyYAML's scanner ends the text there and refuses the file.
"""

from __future__ import annotations

import re
from functools import cache

from floe_lint.findings import Span
from floe_lint.load.problems import LoadProblem
from floe_lint.load.pyyaml import yaml
from floe_lint.load.yaml_tree import scan

_BREAKS = "\r\n\x85\u2028\u2029"


@cache
def _breaks(lines: bool = False) -> re.Pattern[str]:
    """A line break, or (`lines`) one line break each; compiled when a file has a divergence."""
    return re.compile("\r\n|[\r\n\x85\u2028\u2029]" if lines else "[\r\n\x85\u2028\u2029]")


@cache
def _header_suspect() -> re.Pattern[str]:
    """A block scalar indicator, its chomping/indentation indicators, spaces, then a tab or a
    `#`: the only headers that may diverge (one character class per run: it cannot backtrack
    far). Compiled when a file is first read (a check the result cache replays reads none)."""
    return re.compile(r"[|>][-+0-9]* *[#\t]")


def problems(text: str) -> list[LoadProblem]:
    """The first of each kind of divergence in `text`."""
    found = (
        _line_start_bom(text),
        _tab(text),
        _block_header(text),
        _tag_comma(text),
        _flow_question(text),
    )
    return [p for p in found if p is not None]


def header_fault(text: str, start: int) -> int | None:
    """Where PyYAML's own scanner refuses the header of the block scalar whose `|` or `>` is at
    `start` (a header libyaml accepted), or None when both read it alike. PyYAML wants the
    indicators followed by a line break, or by spaces and then a `#` comment or a line break."""
    end = len(text)
    at = start + 1
    while at < end and text[at] in "+-0123456789":
        at += 1
    if at == end or text[at] in _BREAKS:
        return None
    if text[at] != " ":
        return at  # a tab, or `#` with no space before it
    while at < end and text[at] == " ":
        at += 1
    if at == end or text[at] in _BREAKS or text[at] == "#":
        return None
    return at  # a tab after the spaces


def block_headers(text: str) -> list[int]:
    """The index of the `|` or `>` of every block scalar libyaml finds in `text` (none if it
    refuses the text: that is a finding already)."""
    try:
        return [
            token.start_mark.index
            for token in scan(text)
            if isinstance(token, yaml.ScalarToken) and token.style in ("|", ">")
        ]
    except yaml.YAMLError:
        return []


def _block_header(text: str) -> LoadProblem | None:
    """The first block scalar header PyYAML's own parser refuses (none without a `|` or a `>`:
    most files, whose test then compiles nothing)."""
    if ("|" not in text and ">" not in text) or _header_suspect().search(text) is None:
        return None
    for start in block_headers(text):
        fault = header_fault(text, start)
        if fault is not None:
            tab = text[fault] == "\t"
            what = "a tab" if tab else "a '#' with no space before it"
            fix = "use spaces" if tab else "put a space before the '#'"
            return LoadProblem(
                "yaml-syntax",
                f"{what} after a block scalar's '{text[start]}': upstream Floe's yaml.safe_load "
                "(PyYAML's own parser) refuses the file, although libyaml reads the rest of the "
                f"line as a comment; {fix}",
                _place(text, fault),
            )
    return None


def _place(text: str, index: int) -> Span:
    before = text[:index]
    line = len(_breaks(lines=True).findall(before)) + 1
    start = max(before.rfind(c) for c in _BREAKS) + 1
    col = index - start + 1
    return Span(line, col, line, col + 1)


def _line_start_bom(text: str) -> LoadProblem | None:
    """The first byte-order mark that begins a line (the file's own first one is gone)."""
    index = text.find("\ufeff")
    while index > 0 and text[index - 1] not in _BREAKS:
        index = text.find("\ufeff", index + 1)
    if index < 0:
        return None
    return LoadProblem(
        "yaml-syntax",
        "a byte-order mark (U+FEFF) begins this line: libyaml skips it as indentation but "
        "upstream Floe's yaml.safe_load reads it as text, so they read different documents; "
        "remove it",
        _place(text, index),
    )


def _tab(text: str) -> LoadProblem | None:
    """The first tab PyYAML's own parser refuses: one outside every quoted or block scalar
    and every comment. Linear: the text is walked forward once."""
    index = text.find("\t")
    if index < 0:
        return None
    scalars: list[tuple[int, int, bool]] = []  # (start, end, quoted or block) of each scalar
    try:
        for token in scan(text):
            if isinstance(token, yaml.ScalarToken):
                text_style = token.style in ('"', "'", "|", ">")
                scalars.append((token.start_mark.index, token.end_mark.index, text_style))
    except yaml.YAMLError:
        return None  # libyaml refuses the file too: that is a finding already
    at = line_start = seen = 0
    while index >= 0:
        while at < len(scalars) and scalars[at][1] <= index:
            at += 1
        inside = at < len(scalars) and scalars[at][0] <= index
        if inside and scalars[at][2]:
            index = text.find("\t", scalars[at][1])
            continue
        for found in _breaks().finditer(text, seen, index):
            line_start = found.end()
        seen = index
        if _comment_between(text, line_start, index, scalars, at):
            after = _breaks().search(text, index)
            index = text.find("\t", after.end()) if after else -1
            continue
        return LoadProblem(
            "yaml-syntax",
            "a tab here: upstream Floe's yaml.safe_load (PyYAML's own parser) refuses a tab "
            "outside quoted text, block text and comments, although libyaml reads it; use spaces",
            _place(text, index),
        )
    return None


def _comment_between(
    text: str, start: int, end: int, scalars: list[tuple[int, int, bool]], at: int
) -> bool:
    """Whether a `#` outside every scalar (a comment, for both parsers) lies in [start, end).
    `scalars[at]` is the first scalar not ending before `end`; the scalars before it on the
    line are looked at from the last one back."""
    hash_at = text.rfind("#", start, end)
    back = min(at, len(scalars) - 1)
    while hash_at >= 0:
        while back >= 0 and scalars[back][0] > hash_at:
            back -= 1
        if back < 0 or scalars[back][1] <= hash_at:
            return True
        hash_at = text.rfind("#", start, scalars[back][0])
    return False


def _tag_comma(text: str) -> LoadProblem | None:
    """The first tag libyaml ends at a `,` (none without a `!` and a `,`: most files)."""
    if "!" not in text or "," not in text:
        return None
    try:
        for token in scan(text):
            if (
                isinstance(token, yaml.TagToken)
                and text[token.end_mark.index : token.end_mark.index + 1] == ","
            ):
                return LoadProblem(
                    "yaml-syntax",
                    "a tag written against a ',': libyaml ends the tag there, but upstream Floe's "
                    "yaml.safe_load (PyYAML's own parser) reads the ',' into the tag and refuses "
                    "the file; put a space after the tag",
                    _place(text, token.start_mark.index),
                )
    except yaml.YAMLError:
        return None  # libyaml refuses the file too: that is a finding already
    return None


_FLOW_IN = (yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_FLOW_OUT = (yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _flow_question(text: str) -> LoadProblem | None:
    """The first `?` libyaml reads inside a plain scalar of a flow collection (none without a
    `?` and a flow collection: most files)."""
    if "?" not in text or ("{" not in text and "[" not in text):
        return None
    level = 0
    try:
        for token in scan(text):
            if isinstance(token, _FLOW_IN):
                level += 1
            elif isinstance(token, _FLOW_OUT):
                level -= 1
            elif level and isinstance(token, yaml.ScalarToken) and token.plain:
                at = text.find("?", token.start_mark.index, token.end_mark.index)
                if at >= 0:
                    return LoadProblem(
                        "yaml-syntax",
                        "a '?' inside unquoted text in a flow collection ('{...}' or '[...]'): "
                        "libyaml reads it as text, but upstream Floe's yaml.safe_load (PyYAML's "
                        "own parser) ends the text there and refuses the file; quote the text",
                        _place(text, at),
                    )
    except yaml.YAMLError:
        return None  # libyaml refuses the file too: that is a finding already
    return None
