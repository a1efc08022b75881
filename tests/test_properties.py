"""Property tests: generated hierarchies behave as the governance model says."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.cli import main
from floe_lint.compute.plugin import BUILTIN_ENGINES
from floe_lint.config import Config
from floe_lint.lint.engine import run

PROFILE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def hierarchies(draw: st.DrawFn) -> dict[str, Any]:
    """An enterprise, a chain of 1-3 domains each narrowing its parent, and a product."""
    approved = draw(st.lists(st.sampled_from(BUILTIN_ENGINES), min_size=1, unique=True))
    levels = [
        {"scope": "enterprise", "approved": approved, "default": draw(st.sampled_from(approved))}
    ]
    for _ in range(draw(st.integers(1, 3))):
        parent = levels[-1]["approved"]
        own = draw(st.lists(st.sampled_from(parent), min_size=1, unique=True))
        inherited = levels[-1]["default"]
        default = None if inherited in own and draw(st.booleans()) else draw(st.sampled_from(own))
        levels.append(
            {
                "scope": "domain",
                "approved": own,
                "default": default or inherited,
                "own_default": default,
            }
        )
    effective = levels[-1]["approved"]
    transforms = [
        {"type": "dbt", "path": f"models/step{i}/", **({"compute": c} if c else {})}
        for i, c in enumerate(
            draw(st.lists(st.one_of(st.none(), st.sampled_from(effective)), min_size=1, max_size=6))
        )
    ]
    return {"levels": levels, "transforms": transforms}


#: Connection details of each engine, given once at the enterprise and inherited.
REQUIRED = {
    "bigquery": {"project": "acme"},
    "databricks": {"host": "dbc.example.com", "http_path": "/sql/1.0/warehouses/x"},
    "postgres": {"dbname": "analytics"},
    "redshift": {"host": "rs.example.com", "dbname": "analytics"},
    "snowflake": {"database": "ANALYTICS"},
}


def write(root: Path, h: dict[str, Any]) -> None:
    for index, level in enumerate(h["levels"]):
        approved = [
            {"name": name, "config": REQUIRED[name]} if index == 0 and name in REQUIRED else name
            for name in level["approved"]
        ]
        compute: dict[str, Any] = {"approved": approved}
        if index == 0 or level.get("own_default"):
            compute["default"] = level["default"]
        doc: dict[str, Any] = {"scope": level["scope"], "plugins": {"compute": compute}}
        if index:
            doc["parent_manifest"] = f"level{index - 1}.yaml"
        (root / f"level{index}.yaml").write_text(yaml.safe_dump(doc))
    product = {
        "name": "p",
        "platform": {"ref": f"level{len(h['levels']) - 1}.yaml"},
        "transforms": h["transforms"],
    }
    (root / "floe.yaml").write_text(yaml.safe_dump(product))


def lint(root: Path) -> list[str]:
    return [f"{f.name}: {f.message}" for f in run([root], Config()).findings]


@PROFILE
@given(hierarchies())
def test_valid_hierarchies_lint_clean_and_compile(h: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        write(Path(folder), h)
        assert lint(Path(folder)) == []
        out = io.StringIO()
        code = main(["compile", f"{folder}/floe.yaml", "--out", f"{folder}/out"], out, out)
        assert code == 0, out.getvalue()


@PROFILE
@given(hierarchies(), st.data())
def test_a_connection_detail_no_level_gives_comes_from_the_environment(
    h: dict[str, Any], data: st.DataObject
) -> None:
    """A connection detail left out at every level is no finding and no compile error: the
    profile renders it as {{ env_var('ENGINE_KEY') }}, as the seed's plugins do."""
    needy = [n for n in h["levels"][-1]["approved"] if n in REQUIRED]
    if not needy:
        for level in h["levels"]:
            if "snowflake" not in level["approved"]:
                level["approved"].append("snowflake")
        needy = ["snowflake"]
    victim = data.draw(st.sampled_from(needy))
    saved = REQUIRED[victim]
    key = data.draw(st.sampled_from(sorted(saved)))
    REQUIRED[victim] = {k: v for k, v in saved.items() if k != key}
    try:
        with tempfile.TemporaryDirectory() as folder:
            write(Path(folder), h)
            assert lint(Path(folder)) == []
            out = io.StringIO()
            code = main(["compile", f"{folder}/floe.yaml", "--out", f"{folder}/out"], out, out)
            assert code == 0, out.getvalue()
            profiles = yaml.safe_load(Path(folder, "out", "profiles.yml").read_text("utf-8"))
            rendered = profiles["p"]["outputs"][victim][key]
            assert rendered == "{{ env_var('" + f"{victim.upper()}_{key.upper()}" + "') }}"
    finally:
        REQUIRED[victim] = saved


@PROFILE
@given(hierarchies(), st.data())
def test_removing_a_used_compute_from_a_domain_yields_compute_not_approved(
    h: dict[str, Any], data: st.DataObject
) -> None:
    used = sorted({t["compute"] for t in h["transforms"] if "compute" in t})
    if not used:
        h["transforms"][0]["compute"] = h["levels"][-1]["approved"][0]
        used = [h["transforms"][0]["compute"]]
    victim = data.draw(st.sampled_from(used))
    domain = data.draw(st.integers(1, len(h["levels"]) - 1))
    for level in h["levels"][domain:]:
        level["approved"] = [c for c in level["approved"] if c != victim] or [
            "duckdb" if victim != "duckdb" else "spark"
        ]
    with tempfile.TemporaryDirectory() as folder:
        write(Path(folder), h)
        names = [line.split(":")[0] for line in lint(Path(folder))]
        assert "compute-not-approved" in names


yaml_text = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12)),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "scope",
                    "plugins",
                    "compute",
                    "approved",
                    "default",
                    "parent_manifest",
                    "platform",
                    "ref",
                    "transforms",
                    "path",
                    "name",
                    "config",
                    "password",
                    "environments",
                    "kind",
                    "metadata",
                ]
            ),
            children,
            max_size=5,
        ),
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(yaml_text, min_size=1, max_size=3), st.text(max_size=40))
def test_no_generated_input_crashes_the_linter(docs: list[Any], garbage: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for index, doc in enumerate(docs):
            (root / f"manifest{index}.yaml").write_text(yaml.safe_dump(doc))
        (root / "floe.yaml").write_text(garbage)
        for finding in run([root], Config()).findings:
            assert finding.location.span.start_line >= 1 and finding.location.span.start_col >= 1
