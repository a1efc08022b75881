"""Local findings across runs (floe_lint.lint.local): when a manifest changes, its dependents are
checked again against it, but what their local rules (syntax, schema, secrets) found in them is
taken from the store, unless their own content changed; the output is a cold run's."""

from __future__ import annotations

from pathlib import Path

import pytest

from floe_lint.lint import cache
from floe_lint.load import validation
from tests.conftest import check, write_files
from tests.test_cache import tree


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    files = tree()
    # p0: an unknown key (schema) and a password written in the file (secrets); sales domain
    files["products/p0/floe.yaml"] += "colour: blue\nconfig: {password: hunter2-hunter2}\n"
    write_files(tmp_path / "ws", files)
    monkeypatch.chdir(tmp_path / "ws")
    return tmp_path / "ws"


@pytest.fixture
def validated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The documents validated against a schema after the fixture was requested."""
    seen: list[str] = []
    real = validation.validate  # (floe_lint.lint.context imports it when it first validates)

    def counting(data: object, schema: str) -> object:
        seen.append(schema)
        return real(data, schema)  # type: ignore[arg-type]

    monkeypatch.setattr(validation, "validate", counting)
    return seen


def _edit_sales(root: Path, approved: str) -> None:
    path = root / "platform/sales/manifest.yaml"
    path.write_text(path.read_text().replace("[duckdb, spark]", approved))


def test_a_dependent_keeps_its_local_findings_when_its_manifest_changes(
    cached: Path, validated: list[str]
) -> None:
    cold = check(".", "--no-cache")
    lines = cold[1].splitlines()
    assert any(
        line.startswith("products/p0/floe.yaml:6:1: ERROR FL101 [schema-unknown-key] unknown key")
        for line in lines
    ), cold[1]
    assert "products/p0/floe.yaml:7:20: ERROR FL501 [secret-literal] 'password'" in cold[1]
    assert check(".") == cold  # fills the store
    _edit_sales(cached, "[duckdb, snowflake]")
    validated.clear()
    edited = check(".", "--no-cache")
    assert "products/p0/floe.yaml:5:43: ERROR FL201" in edited[1], "p0 is checked again"
    assert validated, "a cold run validates every document"
    validated.clear()
    assert check(".") == edited
    assert validated == ["manifest"], "only the edited manifest: p0 and p1 keep their schema"


def test_a_changed_file_runs_its_local_rules_again(cached: Path) -> None:
    check(".")
    _edit_sales(cached, "[duckdb]")
    path = cached / "products/p0/floe.yaml"
    path.write_text(path.read_text().replace("colour: blue", "color: blue"))
    cold = check(".", "--no-cache")
    assert "'color'" in cold[1] and "'colour'" not in cold[1]
    assert check(".") == cold


@pytest.fixture
def overridden(cached: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """p0 with a per-environment file that changes a transform's compute (environment-override);
    the paths environment-override was run on after the fixture was requested."""
    from floe_lint.rules import environment_override

    (cached / "products/p0/floe.prod.yaml").write_text(
        "transforms:\n  - {path: models/a/, compute: spark}\n"
    )
    ran: list[str] = []
    real = environment_override._blocks  # what its check asks first of each document

    def counting(doc, names):  # type: ignore[no-untyped-def]
        ran.append(doc.path.as_posix())
        return real(doc, names)

    monkeypatch.setattr(environment_override, "_blocks", counting)
    return ran


OVERRIDE = (
    "products/p0/floe.prod.yaml:2:32: ERROR FL401 [environment-override] a per-environment "
    "file changes the compute;"
)


def test_environment_override_is_served_while_the_file_and_its_overlays_are_the_same(
    cached: Path, overridden: list[str]
) -> None:
    assert check(".")[1].count(OVERRIDE) == 1  # fills the store
    _edit_sales(cached, "[duckdb, snowflake]")
    cold = check(".", "--no-cache")
    assert cold[1].count(OVERRIDE) == 1
    overridden.clear()
    assert check(".") == cold
    # p0, p1 and the other manifests are checked again; but for the edited domain, their
    # environment overrides come from the store
    assert overridden == ["platform/sales/manifest.yaml"]


@pytest.mark.parametrize(
    "change",
    [
        "transforms:\n  - {path: models/a/, compute: snowflake}\n",  # the overlay's content
        None,  # a second overlay beside it
    ],
)
def test_environment_override_runs_again_when_an_overlay_changed(
    cached: Path, overridden: list[str], change: str | None
) -> None:
    check(".")
    _edit_sales(cached, "[duckdb, snowflake]")
    check(".")  # p0 stored again, its overlay noted
    if change is None:
        (cached / "products/p0/floe.dev.yaml").write_text(
            "transforms:\n  - {path: models/b/, compute: duckdb}\n"
        )
    else:
        (cached / "products/p0/floe.prod.yaml").write_text(change)
    cold = check(".", "--no-cache")
    overridden.clear()
    assert check(".") == cold
    # p0 runs it again (reading its overlays); every other file is served from the store
    assert "products/p0/floe.yaml" in overridden
    assert {Path(p).parent.as_posix() for p in overridden} == {"products/p0"}, overridden


def test_the_rule_loop_knows_which_rules_report_in_overlays() -> None:
    """floe_lint.lint.stamp asks `OVERLAY_RULES` of its own copy first (most calls then import
    nothing); the copy must be the set itself."""
    from floe_lint.lint import shared, stamp

    assert stamp._OVERLAY_RULES == shared.OVERLAY_RULES
    assert stamp._PARENT_RULES == shared.WITH_PARENTS
