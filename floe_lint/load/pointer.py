"""JSON Pointer (RFC 6901) helpers: every finding names its node by pointer."""

from __future__ import annotations

from collections.abc import Iterable
from sys import intern


def escape(token: str | int) -> str:
    text = str(token)
    if "~" in text or "/" in text:  # rare; the check keeps building spans cheap
        text = text.replace("~", "~0").replace("/", "~1")
    return text


def join(base: str, *tokens: str | int) -> str:
    """`base` and `tokens`, interned: the same pointers (`/transforms/3/compute`) recur in every
    file of a tree, and the models and spans kept for the whole run hold one copy each."""
    if len(tokens) == 1:
        return intern(f"{base}/{escape(tokens[0])}")
    return intern(base + "".join("/" + escape(t) for t in tokens))


def from_path(tokens: Iterable[str | int]) -> str:
    return join("", *tokens)


def parent(pointer: str) -> str:
    return pointer.rsplit("/", 1)[0] if pointer else ""


def last(pointer: str) -> str:
    return pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
