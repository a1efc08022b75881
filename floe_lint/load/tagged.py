"""Values PyYAML's safe loader builds as something other than text, mapping or list.

floe-lint keeps a timestamp (`2024-01-01`, `2024-01-01T06:00:00Z`) and `!!binary` as the text
written, and a `!!set` as a mapping, so rules and messages see what the author wrote. Upstream
Floe reads the same file with `yaml.safe_load`, which builds a `date`, `datetime`, `bytes` or
`set`, and its pydantic models then refuse a date where text is wanted, or read bytes as text.
These classes carry PyYAML's reading beside floe-lint's, and `pyyaml_view` gives the data as
PyYAML builds it, for checking upstream's code dialect as floe-core reads it.
"""

from __future__ import annotations

from floe_lint.load.pyyaml import yaml

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    _Mapping = dict[Any, Any]
else:
    _Mapping = dict

_TAGS = "tag:yaml.org,2002:"
SET_TAG = _TAGS + "set"
_constructor = yaml.constructor.SafeConstructor()
#: the scalar tags whose PyYAML value is not text, and how PyYAML builds each
READ_AS = {
    _TAGS + "timestamp": _constructor.construct_yaml_timestamp,
    _TAGS + "binary": _constructor.construct_yaml_binary,
}


class Text(str):
    """The text written for a scalar; `.read` is what PyYAML builds from it."""

    read: Any


class Set(_Mapping):
    """A `!!set`, kept as the mapping written (its values are null); PyYAML builds a set."""


def text(written: str, read: Any) -> Text:
    value = Text(written)
    value.read = read
    return value


def unreadable(tag: str) -> str:
    """Why PyYAML refuses a scalar with `tag` whose text it cannot build."""
    name = tag[len(_TAGS) :]
    what = "a date that exists" if name == "timestamp" else "base64 data"
    return (
        f"the value reads as !!{name} but is not {what}: upstream Floe's yaml.safe_load "
        "refuses the file; quote it"
    )


def has_tagged(data: Any) -> bool:
    """Whether `data` holds a value PyYAML reads as another type."""
    if isinstance(data, Text | Set):
        return True
    if isinstance(data, dict):
        return any(has_tagged(k) or has_tagged(v) for k, v in data.items())
    if isinstance(data, list):
        return any(has_tagged(item) for item in data)
    return False


def pyyaml_view(data: Any) -> Any:
    """`data` as PyYAML builds it (a copy where it differs; keys kept as written)."""
    if isinstance(data, Text):
        return data.read
    if isinstance(data, Set):
        return {str(key) for key in data}
    if isinstance(data, dict):
        return {key: pyyaml_view(value) for key, value in data.items()}
    if isinstance(data, list):
        return [pyyaml_view(item) for item in data]
    return data
