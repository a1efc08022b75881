"""The YAML loader every parse uses: libyaml's safe loader with PyYAML's resolver made cheap.

The composer asks the resolver for the tag of every node it makes (a Python call each, from C),
so what the resolver answers without work is answered here without PyYAML's Python code.
"""

from __future__ import annotations

from floe_lint.load.pyyaml import yaml

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - libyaml is present in every supported wheel
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_MEMO_ENTRIES = 8192  # distinct plain scalars remembered; then the memo starts over
_MEMO_LENGTH = 256  # longer scalars are resolved each time (and not kept)
_resolved: dict[tuple[str, bool], str] = {}
#: the first characters (and '' for an empty scalar) that key PyYAML's implicit resolvers
_FIRSTS = frozenset(_BaseLoader.yaml_implicit_resolvers)
_DEFAULT = (_BaseLoader.DEFAULT_SCALAR_TAG, _BaseLoader.DEFAULT_MAPPING_TAG)
_DEFAULT_SEQUENCE = _BaseLoader.DEFAULT_SEQUENCE_TAG
_SCALAR, _MAPPING, _SEQUENCE = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode


class Loader(_BaseLoader):
    """libyaml's safe loader with PyYAML's implicit resolver (Python, called for every node)
    memoized for plain scalars: keys and values repeat across files, and the tag of a plain
    scalar depends on its text alone. The safe loader has no path resolvers, so descending
    and ascending the node path does nothing (C callables that ignore their arguments: no
    Python frame per node), and a tag is what `BaseResolver.resolve` answers without its call:
    a collection's kind's default, a quoted scalar's str, and str for a plain scalar whose
    first character keys no implicit resolver (tests/test_plain_build.py)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0] and len(value) <= _MEMO_LENGTH:
            return self._memo(kind, value, implicit)
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]

    def _memo(self, kind: Any, value: Any, implicit: Any) -> Any:
        key = (value, implicit[1])
        tag = _resolved.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
            if len(_resolved) >= _MEMO_ENTRIES:
                _resolved.clear()
            _resolved[key] = tag
        return tag

    if not _BaseLoader.yaml_path_resolvers:
        descend_resolver = {}.get  # type: ignore[assignment,var-annotated]  # (parent, index)
        ascend_resolver = ().__len__  # type: ignore[assignment]

        if None not in _BaseLoader.yaml_implicit_resolvers:  # no resolver for every scalar

            def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
                if kind is _SCALAR:
                    if not implicit[0] or value[:1] not in _FIRSTS:
                        return _DEFAULT[0]
                    if len(value) <= _MEMO_LENGTH:
                        tag = _resolved.get((value, implicit[1]))  # (`_memo`, written out)
                        return self._memo(kind, value, implicit) if tag is None else tag
                elif kind is _MAPPING:
                    return _DEFAULT[1]
                elif kind is _SEQUENCE:
                    return _DEFAULT_SEQUENCE
                return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
