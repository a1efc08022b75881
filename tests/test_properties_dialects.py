"""Property: a hierarchy means the same whichever dialect it is written in.

A random valid single-compute hierarchy (a central platform, or an enterprise with up to two
nested domains, and a product) is written once in ADR-0010's dialect and once in upstream
Floe's code dialect. Both lint clean; after the same random mutation, both give the same exit
status and the same findings by rule and place (file, and transform for product findings).
"""

from __future__ import annotations

import collections
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli

ENGINES = ("duckdb", "spark")  # engines whose config needs no key
PROFILE = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MUTATIONS = (
    "none",
    "transform-compute",
    "level-compute",
    "level-default",
    "literal-secret",
    "duplicate-transform",
    "dangling-platform",
)


@st.composite
def hierarchies(draw: st.DrawFn) -> dict[str, Any]:
    compute = draw(st.sampled_from(ENGINES))
    depth = draw(st.integers(1, 3))
    central = depth == 1 and draw(st.booleans())
    levels: list[dict[str, Any]] = []
    for index in range(depth):
        scope = None if central else ("enterprise" if index == 0 else "domain")
        # a domain may state the compute or inherit it (ADR-0010: restate it, inherit the default)
        states = index == 0 or draw(st.booleans())
        levels.append({"scope": scope, "compute": compute, "states": states, "default": None})
    transforms = [
        {"id": f"t{i}", "compute": compute if named else None}
        for i, named in enumerate(draw(st.lists(st.booleans(), min_size=1, max_size=4)))
    ]
    return {"levels": levels, "transforms": transforms, "platform": f"level{depth - 1}.yaml"}


def mutate(h: dict[str, Any], data: st.DataObject) -> bool:
    """Apply one random mutation; True when it changed the hierarchy (each change is an error)."""
    kind = data.draw(st.sampled_from(MUTATIONS))
    other = data.draw(st.sampled_from([e for e in ENGINES if e != h["levels"][0]["compute"]]))
    last = h["levels"][-1]
    if kind == "transform-compute":
        data.draw(st.sampled_from(h["transforms"]))["compute"] = other
    elif kind == "level-compute" and last["scope"] == "domain":
        last.update(compute=other, states=True)
    elif kind == "level-default":
        last["default"] = other
    elif kind == "literal-secret":
        data.draw(st.sampled_from(h["levels"]))["secret"] = True
    elif kind == "duplicate-transform" and len(h["transforms"]) > 1:
        h["transforms"][-1]["id"] = h["transforms"][0]["id"]
    elif kind == "dangling-platform":
        h["platform"] = "missing.yaml"
    else:
        return False
    return True


def write_adr(root: Path, h: dict[str, Any]) -> None:
    for index, level in enumerate(h["levels"]):
        name = level["compute"]
        item: Any = (
            {"name": name, "config": {"password": "hunter2"}} if level.get("secret") else name
        )
        compute: dict[str, Any] = {"approved": [item]}
        own_default = level["default"] or (name if index == 0 or level["states"] else None)
        if own_default:
            compute["default"] = own_default
        doc: dict[str, Any] = {
            "metadata": {"name": f"level{index}"},
            "plugins": {"compute": compute},
        }
        if level["scope"]:
            doc["scope"] = level["scope"]
        if index:
            doc["parent_manifest"] = f"level{index - 1}.yaml"
        (root / f"level{index}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    transforms = [
        {
            "type": "dbt",
            "path": f"models/{t['id']}/",
            **({"compute": t["compute"]} if t["compute"] else {}),
        }
        for t in h["transforms"]
    ]
    product = {"name": "orders", "platform": {"ref": h["platform"]}, "transforms": transforms}
    (root / "floe.yaml").write_text(yaml.safe_dump(product, sort_keys=False))


def write_floe(root: Path, h: dict[str, Any]) -> None:
    for index, level in enumerate(h["levels"]):
        plugins: dict[str, Any] = {}
        if level["states"] or level.get("secret"):
            plugins["compute"] = {"type": level["compute"]}
            if level.get("secret"):
                plugins["compute"]["config"] = {"password": "hunter2"}
        if index == 0:  # upstream's contract needs an orchestrator; the levels below inherit it
            plugins["orchestrator"] = {"type": "dagster"}
        doc: dict[str, Any] = {
            "apiVersion": "floe.dev/v1",
            "kind": "Manifest",
            "metadata": {"name": f"level{index}", "version": "1.0.0", "owner": "o"},
        }
        if level["scope"]:
            doc["scope"] = level["scope"]
        if index:
            doc["parent_manifest"] = f"level{index - 1}.yaml"
        else:  # upstream's compile requires one (required-plugin-missing); ADR-0010 has none
            plugins["orchestrator"] = {"type": "dagster"}
        doc["plugins"] = plugins
        if level["scope"] == "enterprise":
            doc["approved_plugins"] = {"compute": [level["compute"]]}
        if level["default"]:
            doc["defaults"] = {"compute": level["default"]}
        (root / f"level{index}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    transforms = [
        {"name": t["id"], **({"compute": t["compute"]} if t["compute"] else {})}
        for t in h["transforms"]
    ]
    product = {
        "apiVersion": "floe.dev/v1",
        "kind": "FloeSpec",
        "metadata": {"name": "orders", "version": "1.0.0"},
        "platform": {"manifest": h["platform"]},
        "transforms": transforms,
    }
    (root / "floe.yaml").write_text(yaml.safe_dump(product, sort_keys=False))


_TRANSFORM = re.compile(r"^/transforms/(\d+)")


#: warnings about what upstream's own compile (which reads only its dialect) will refuse: a
#: domain inheriting its compute or orchestrator is valid in both dialects otherwise
UPSTREAM_COMPILE_ONLY = frozenset({"upstream-no-inheritance"})


def verdict(root: Path) -> tuple[int, collections.Counter[tuple[str, str, str]]]:
    """Exit status, and findings by rule, file and (for a product) transform."""
    run = run_cli("check", str(root), "--format", "json")
    assert run.code in (0, 1), run.stderr
    places: collections.Counter[tuple[str, str, str]] = collections.Counter()
    for f in run.findings:
        if f["name"] in UPSTREAM_COMPILE_ONLY:
            continue
        match = _TRANSFORM.match(f["pointer"]) if Path(f["file"]).name == "floe.yaml" else None
        places[(f["name"], Path(f["file"]).name, match[1] if match else "")] += 1
    return run.code, places


def both(h: dict[str, Any]) -> tuple[Any, Any]:
    with tempfile.TemporaryDirectory() as adr, tempfile.TemporaryDirectory() as floe:
        write_adr(Path(adr), h)
        write_floe(Path(floe), h)
        return verdict(Path(adr)), verdict(Path(floe))


@PROFILE
@given(hierarchies())
def test_a_valid_hierarchy_lints_clean_in_either_dialect(h: dict[str, Any]) -> None:
    adr, floe = both(h)
    assert adr == (0, collections.Counter()) and floe == adr


@PROFILE
@given(hierarchies(), st.data())
def test_either_dialect_gives_the_same_findings_after_a_mutation(
    h: dict[str, Any], data: st.DataObject
) -> None:
    changed = mutate(h, data)
    adr, floe = both(h)
    assert floe == adr, f"ADR-0010: {adr}\nfloe: {floe}\nhierarchy: {h}"
    assert adr[0] == (1 if changed else 0), f"the mutation should be an error: {adr}, {h}"
