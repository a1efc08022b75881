"""PyYAML, imported for every module of floe-lint that parses or writes YAML, without the cost
of compiling its pure-Python reader's pattern.

Importing PyYAML compiles `yaml.reader.Reader.NON_PRINTABLE`, a character class that negates
ranges up to U+10FFFF: `re` builds it by a Python loop over each of the ~63,000 code points of
the ranges it names, about 57 M instructions, 5% of a check that replays a 1,000-product tree
from the result cache and checks one edited manifest's dependents again (issue 17). The same
set of characters spelt as the ranges it does match compiles in about 4 M. That pattern runs
only in PyYAML's pure-Python reader (floe-lint parses with libyaml's), so it is put in `re`'s
cache under PyYAML's spelling before PyYAML is imported: PyYAML's `re.compile` returns it
(`tests/test_pyyaml_import.py` checks both match the same characters, every code point). On a
Python whose `re` keeps no such cache, PyYAML compiles its own, as before.

What is put there is `Later`, which compiles that spelling when the pattern is first used (the
pure-Python reader's first read) and puts the compiled pattern in PyYAML's class in its place:
a run that reads through libyaml never compiles it (3.9 M instructions of every run, issue 17).
"""

from __future__ import annotations

import re
import sys

#: `yaml.reader.Reader.NON_PRINTABLE` as PyYAML spells it
SPELT = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
#: the characters it matches, spelt as ranges
SAME = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"


TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Later:
    """`re.compile(SAME)`, compiled when first used; then PyYAML's `Reader.NON_PRINTABLE`
    is that pattern itself."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        made = re.compile(SAME)
        reader = getattr(sys.modules.get("yaml.reader"), "Reader", None)
        if reader is not None and reader.__dict__.get("NON_PRINTABLE") is self:
            reader.NON_PRINTABLE = made
        cache = getattr(re, "_cache", None)
        if isinstance(cache, dict) and cache.get(_KEY) is self:
            cache[_KEY] = made
        return getattr(made, name)


#: where `re`'s cache keeps what `re.compile(SPELT)` returns
_KEY = (str, SPELT, 0)


def _seed() -> None:
    cache = getattr(re, "_cache", None)
    if "yaml" not in sys.modules and isinstance(cache, dict):
        cache.setdefault(_KEY, Later())


_seed()

import yaml  # noqa: E402  (after the seed)

__all__ = ["yaml"]
