"""A product's dialect markers skip a transform holding none of the keys they look for
(`floe_lint.load.dialect`): the first marker of each dialect is the one the plain scan finds,
on random products (issue 17, cold runs)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.load import dialect
from floe_lint.load.dialect import Markers

KEYS = st.sampled_from(
    [*dialect._TRANSFORM_FLOE_KEYS, *dialect._TRANSFORM_ADR_KEYS, "name", "compute", "x", 1, None]
)
TRANSFORM = st.one_of(
    st.dictionaries(KEYS, st.sampled_from(["v", 1, None]), max_size=5),
    st.sampled_from(["text", 3, None, ["path"]]),
)
TOP = st.sampled_from([*dialect._PRODUCT_FLOE_KEYS, "name", "version", "description", 7])


def _plain_scan(data: dict[str, Any]) -> Markers:
    """`_product_markers` as written before the sets (each transform scanned key by key)."""
    platform = data.get("platform")
    items = data.get("transforms")
    transforms = [t for t in items if isinstance(t, dict)] if isinstance(items, list) else []

    def adr() -> Iterator[str]:
        if isinstance(platform, dict) and "ref" in platform:
            yield "/platform/ref"
        for key in ("name", "version"):
            if key in data:
                yield f"/{key}"
        for index, item in enumerate(transforms):
            for key in dialect._TRANSFORM_ADR_KEYS:
                if key in item:
                    yield f"/transforms/{index}/{key}"

    def floe() -> Iterator[str]:
        if isinstance(platform, dict) and "manifest" in platform:
            yield "/platform/manifest"
        for key in dialect._PRODUCT_FLOE_KEYS:
            if key in data:
                yield f"/{key}"
        for index, item in enumerate(transforms):
            for key in dialect._TRANSFORM_FLOE_KEYS:
                if key in item:
                    yield f"/transforms/{index}/{key}"
            if "name" in item and not any(k in item for k in dialect._TRANSFORM_ADR_KEYS):
                yield f"/transforms/{index}/name"

    return Markers(next(adr(), None), next(floe(), None))


@settings(max_examples=1500, deadline=None)
@given(
    top=st.dictionaries(TOP, st.just("v"), max_size=3),
    platform=st.sampled_from([None, {"ref": "m.yaml"}, {"manifest": "m"}, "m.yaml", {}]),
    transforms=st.one_of(st.lists(TRANSFORM, max_size=6), st.sampled_from([None, "x", {}])),
)
def test_the_markers_are_the_plain_scans(
    top: dict[Any, Any], platform: Any, transforms: Any
) -> None:
    data = {**top, "platform": platform, "transforms": transforms}
    assert dialect.markers(data, "floe") == _plain_scan(data)
    assert dialect.read(data, "floe") == dialect.read(data, "floe")  # (pure)
