"""The dependents search parses a file holding a needle only where a scalar may spell a ref
otherwise than its text on one line, and only around the needle's mentions `/needle` and
`needle/` (`_Targets.spells_otherwise`): a scalar whose value holds the folder's name as a whole
path component next to a `/` holds that `/` on the same line of its text (a folded line break
gives a space or a line break, `''` a quote, only an escape, a backslash, gives anything else,
and a file holding one is parsed anyway); a value that is the name alone is tried for every
file holding it. So a file that holds the name only as a word (a label, a description, a tag
list), as every product of a twin tree does, is not parsed, and no dependent is missed.

The property writes random YAML around a ref spelled in every scalar style, folded at random
spaces and indentations, with blank lines, in flow collections and block scalars, after
comments, quotes and flow punctuation holding the name, and asserts against `yaml.safe_load`:
a file with any value that resolves to the target passes the search's test (`holds_ref`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from floe_lint.model.dependents_scan import holds_ref
from floe_lint.model.ref_needles import _Targets
from floe_lint.model.ref_spelling import _flow_depth, _folded_near, _one_quoted, spelled_otherwise

#: a domain folder's name: mostly one the search reads a line at a time (no stop), sometimes
#: one with a space or a quote (read by its pieces)
_DOMAIN = st.one_of(
    st.text(st.sampled_from("abfx-.:!&"), min_size=1, max_size=6),
    st.text(st.sampled_from("ab x'"), min_size=1, max_size=5),
).filter(lambda name: name not in (".", "..") and name.strip() == name and ":" not in name[-1:])
#: a folder the ref passes through: spaces are where a scalar may fold
_GRAND = st.one_of(
    st.sampled_from(["my team", "a b c", "o'brien", "x#1 y", "it's a", "a"]),
    st.text(st.sampled_from("ab x#'-"), min_size=1, max_size=8),
).filter(lambda name: name not in (".", "..") and name.strip() == name)
#: what follows the domain's name in the ref (spaces in a folder it goes through and back)
_TAILS = st.sampled_from(
    (
        "/manifest.yaml",
        "",
        "/",
        "/.",
        "/x/..",
        "/manifest.yaml ",
        "/a b/../manifest.yaml",
        "/a b/..",
    )
)


def _fold(text: str, points: list[int], indent: str, blank: bool) -> str:
    """`text` with the spaces picked by `points` as line breaks (a blank line between when
    `blank`: the value then holds a line break there) followed by `indent`."""
    spaces = [at for at, char in enumerate(text) if char == " "]
    picked = sorted({spaces[p % len(spaces)] for p in points} if spaces else set())
    out, last = [], 0
    for at in picked:
        out.append(text[last:at] + ("\n\n" if blank else "\n") + indent)
        last = at + 1
    return "".join(out) + text[last:]


def _scalar(ref: str, style: str, points: list[int], indent: str, blank: bool) -> str:
    """`ref` as a scalar in `style`, folded at `points` (continuation lines at `indent`,
    from the line's start: less than the key's too, which quoted scalars allow)."""
    if style == "single":
        return "'" + _fold(ref.replace("'", "''"), points, indent, blank) + "'"
    if style == "double":
        return '"' + _fold(ref, points, indent, blank) + '"'
    if style in ("|-", ">-", ">", "|"):
        return f"{style}\n{indent}" + _fold(ref, points, indent, blank)
    return _fold(ref, points, indent, blank)


def _noise(domain: str) -> list[str]:
    """Entries (top-level `key: value` text) that hold the domain's name without naming it,
    or flow punctuation, quotes and comments around it."""
    return [
        f"description: data of the {domain} team",
        f"tags: [staging, {domain}]",
        f"owner: {domain}-data@acme.example",
        f"labels:\n  domain: {domain}\n  tier: silver",
        "schedule: '@hourly'",
        f'quoted: "{domain} ]"',
        f"# a comment on {domain} ] [",
        f"listed:\n  - {domain}\n  - other",
        f"folded: the\n  {domain} domain",
        f"flow: [a,\n  {domain}, b]",
        f"mapped: {{a: {domain},\n  b: c}}",
        "closers: x ] } ]",
        f"under: x/{domain}y",
        f"named: {domain}",
        "opened: 'a [ {'",
        "# ' a lone quote [",
    ]


PLACES = st.sampled_from(["block", "flow", "item", "top", "nested flow", "deep"])


def _entry(scalar: str, place: str) -> str:
    if place == "flow":
        return "platform: {ref: " + scalar + "}"
    if place == "nested flow":
        return "refs: [x, {ref: " + scalar + "}]"
    if place == "item":
        return "refs:\n  - " + scalar
    if place == "top":
        return "ref: " + scalar
    if place == "deep":
        return "a:\n  b:\n    - c: 1\n      ref: " + scalar
    return "platform:\n  ref: " + scalar


def _values(node: Any) -> list[str]:
    """Every string value (not key) of a loaded document, at any depth."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [found for value in node.values() for found in _values(value)]
    if isinstance(node, list):
        return [found for value in node for found in _values(value)]
    return []


@settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(
    grand=_GRAND,
    domain=_DOMAIN,
    tail=_TAILS,
    beside=st.booleans(),
    style=st.sampled_from(["plain", "single", "double", "|-", ">-", ">", "|"]),
    points=st.lists(st.integers(0, 20), max_size=3),
    indent=st.sampled_from(["", " ", "  ", "    ", "      ", "        ", "\t"]),
    blank=st.booleans(),
    place=PLACES,
    before=st.lists(st.integers(0, 15), max_size=4),
    after=st.lists(st.integers(0, 15), max_size=3),
    brk=st.sampled_from(["\n", "\n", "\n", "\r\n", "\r", "\x85", "\u2028"]),
)
def test_a_file_with_a_value_naming_the_target_passes_the_search_test(
    grand: str,
    domain: str,
    tail: str,
    beside: bool,
    style: str,
    points: list[int],
    indent: str,
    blank: bool,
    place: str,
    before: list[int],
    after: list[int],
    brk: str,
) -> None:
    """`beside`: the file lies in the folder that holds the domain's (its ref begins with
    the name: `name/`, no `/name`); else in a product's folder (`../../grand/name...`)."""
    target = f"/ws/{grand}/{domain}/manifest.yaml"
    folder = f"/ws/{grand}" if beside else "/ws/products/p"
    ref = f"{domain}{tail}" if beside else f"../../{grand}/{domain}{tail}"
    noise = _noise(domain)
    entries = [noise[n] for n in before]
    entries.append(_entry(_scalar(ref, style, points, indent, blank), place))
    entries += [noise[n] for n in after]
    text = ("name: p\n" + "\n".join(entries) + "\nx: 1\n").replace("\n", brk)
    try:
        read = yaml.safe_load(text)
    except yaml.YAMLError:
        read = None
    assume(isinstance(read, dict))
    joined = {os.path.normpath(os.path.join(folder, v.strip())) for v in _values(read)}
    assume(target in joined or os.path.dirname(target) in joined)
    targets = _Targets({Path(target)}, top="/ws")
    assert holds_ref(text.encode(), f"{folder}/floe.yaml", (), targets, False), text
    fresh = _Targets({Path(target)}, top="/ws")
    assert fresh.named_in(folder, text), text


def test_a_name_only_as_a_word_is_not_parsed() -> None:
    """A file holding the domain's name folded in a description, but never next to a `/`,
    cannot name the domain's manifest through a folded scalar: it is not parsed (it was
    before: every line holding the name was read for folds)."""
    text = (
        "name: p\ndescription: the\n  finance domain\nplatform:\n"
        "  ref: ../../platform/domains/sales/manifest.yaml\n"
    )
    targets = _Targets({Path("/ws/platform/domains/finance/manifest.yaml")}, top="/ws")
    assert not targets.spells_otherwise(text)
    assert not targets.named_in("/ws/products/p", text.encode())
    folded = text.replace("sales/manifest", "finance/manifest").replace("domains/", "my\n    ")
    assert targets.spells_otherwise(folded)  # (../../platform/my domains/finance/manifest.yaml)


def test_a_twin_product_is_read_around_its_ref_line_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A product of a twin tree holds the domain's name on a dozen lines (labels, tags,
    owner) and once next to a `/`, in its own ref: only that line and the one above are
    read for folds, with no quote, comment or flow punctuation above them (the whole text's
    quotes and flow punctuation are not read), and the file is not parsed."""
    from floe_lint.model import ref_spelling

    for name in ("_quotes_alone", "_depths", "_flow_depth"):
        monkeypatch.setattr(ref_spelling, name, _unwanted)
    lines = ["name: p", "metadata:", "  owner: finance-data@acme.example"]
    lines += ["  labels:", "    domain: finance", "platform:"]
    lines += ["  ref: ../../../platform/domains/finance/manifest.yaml", "transforms:"]
    for number in range(12):
        lines += [f"  - name: t{number}", "    schedule: '@hourly'", "    tags: [a, finance]"]
    text = "\n".join(lines) + "\n"
    assert not spelled_otherwise(text, ["/finance", "finance/"])
    targets = _Targets({Path("/other/platform/domains/finance/manifest.yaml")}, top="/ws")
    assert not targets.named_in("/ws/b/products/finance/p", text.encode())
    monkeypatch.undo()
    assert spelled_otherwise(text.replace("  ref: ../", "  ref: '../"), ["/finance"])


def _unwanted(*_: object) -> None:
    raise AssertionError("read the whole text")


FOLD_PIECES = st.sampled_from(
    [
        "finance",
        "/finance",
        "finance/",
        "x",
        " ",
        "  ",
        "\n",
        "\n  ",
        "\n    ",
        ": ",
        "- ",
        "#",
        "[",
        "]",
        "{",
        "}",
        ",",
        "---",
        "\t",
    ]
)


@settings(max_examples=600, deadline=None)
@given(pieces=st.lists(FOLD_PIECES, max_size=24))
def test_lines_found_by_their_offsets_answer_as_the_split_lines_did(pieces: list[str]) -> None:
    """`_folded_near` finds the lines around each needle by their offsets: it answers what
    reading the text split into lines answered (`_folded_near_split`, the code before)."""
    text = "".join(pieces)
    for needles in (["finance"], ["/finance", "finance/"], ["x", "finance"]):
        assert _folded_near(text, needles) == _folded_near_split(text, needles), text


def _folded_near_split(text: str, needles: list[str]) -> bool:
    """`ref_spelling._folded_near` as written before it found lines by their offsets."""
    from floe_lint.model.ref_spelling import (
        _CLOSED_ENDS,
        _cut_comment,
        _depth_at,
        _depths,
        _goes_on,
    )

    lines = text.split("\n")
    depths = None
    read: set[int] = set()

    def above(number: int) -> int | None:
        for line in range(number - 1, -1, -1):
            if lines[line].strip(" \t"):
                return line
        return None

    for needle in needles:
        at = text.find(needle)
        while at >= 0:
            number = text.count("\n", 0, at)
            for line in (above(number), number):
                if line is None or line in read:
                    continue
                read.add(line)
                body = lines[line].strip(" \t")
                if "#" in body:
                    body = _cut_comment(body)
                if body and body[-1] not in _CLOSED_ENDS and body not in ("---", "..."):
                    if depths is None:
                        depths = _depths(text)
                    end = text.find("\n", at)
                    if line != number:
                        end = text.rfind("\n", 0, at)
                    if _goes_on(lines, line, _depth_at(depths, end if end >= 0 else len(text))):
                        return True
            end = text.find("\n", at)
            at = text.find(needle, end) if end >= 0 else -1
    return False


@given(line=st.text(st.sampled_from("ab :-?'\"#\t,"), max_size=14))
def test_a_line_seen_as_one_quoted_scalar_is_one(line: str) -> None:
    """`_one_quoted`, the few tests in C, says what `_flow_depth`'s loop says of a line
    without flow punctuation: its quotes open a scalar where one starts and close it."""
    if _one_quoted(line):
        assert _flow_depth(line.strip(" \t"), 0) == 0, line
