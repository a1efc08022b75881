"""A per-environment overlay (`manifest.prod.yaml`, `floe.prod.yaml`) is read with its base's
schema: an unknown key, a wrong type or a value outside an enum is reported at the overlay's own
place, as in the base; an overlay may omit anything, so nothing is "required"."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.cli import main
from floe_lint.lint import cache
from floe_lint.load import validation
from floe_lint.load.validation import _quick_overlay_check, validate
from tests.conftest import write_files

MANIFEST = "plugins:\n  compute:\n    approved: [duckdb]\n    default: duckdb\n"
UPSTREAM = (
    "apiVersion: floe.dev/v1\nkind: Manifest\n"
    "metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}\n"
    "plugins: {compute: {type: duckdb}}\n"
)
PRODUCT = (
    "name: orders\nplatform: {ref: manifest.yaml}\ntransforms: [{path: a/, compute: duckdb}]\n"
)


def found(run: Any) -> list[tuple[str, int, int, str, str]]:
    return [(f["file"], f["line"], f["column"], f["rule"], f["message"]) for f in run.findings]


def test_a_typo_in_an_overlay_is_an_unknown_key_with_did_you_mean(lint) -> None:
    run = lint(
        {
            "manifest.yaml": MANIFEST,
            "manifest.prod.yaml": "plugins: {compute: {aproved: [duckdb]}}\n",
        }
    )
    assert found(run) == [
        (
            "manifest.prod.yaml",
            1,
            21,
            "FL101",
            "unknown key 'aproved' in 'plugins.compute'; did you mean 'approved'? "
            "(allowed: approved, default)",
        )
    ]


def test_a_wrong_type_in_an_overlay_is_reported_at_the_value(lint) -> None:
    run = lint(
        {
            "manifest.yaml": MANIFEST,
            "manifest.dev.yaml": 'governance:\n  data_retention_days: "30"\n',
        }
    )
    assert found(run) == [
        (
            "manifest.dev.yaml",
            2,
            24,
            "FL102",
            "'governance.data_retention_days' must be an integer or null, not a string",
        )
    ]


def test_an_upstream_overlay_is_read_with_the_upstream_schema(lint) -> None:
    run = lint(
        {
            "manifest.yaml": UPSTREAM,
            "manifest.prod.yaml": "plugins:\n  compute: {tpye: duckdb}\n",
        }
    )
    assert found(run) == [
        (
            "manifest.prod.yaml",
            2,
            13,
            "FL101",
            "unknown key 'tpye' in 'plugins.compute'; did you mean 'type'? "
            "(allowed: type, version, config, connection_secret_ref)",
        )
    ]


def test_a_product_overlay_is_read_with_the_product_schema(lint) -> None:
    run = lint(
        {
            "manifest.yaml": MANIFEST,
            "floe.yaml": PRODUCT,
            "floe.prod.yaml": "descripton: orders in production\n",
        }
    )
    assert [(f[0], f[1], f[2], f[3]) for f in found(run)] == [("floe.prod.yaml", 1, 1, "FL101")]
    assert found(run)[0][4].startswith(
        "unknown key 'descripton' in the document; did you mean 'description'?"
    )


@pytest.mark.parametrize(
    ("files", "overlay"),
    [
        (
            {"manifest.yaml": MANIFEST},
            {"manifest.prod.yaml": "governance: {data_retention_days: 90}\n"},
        ),
        (
            {"manifest.yaml": UPSTREAM},
            {"manifest.prod.yaml": "governance: {audit_logging: enabled}\n"},
        ),
        (
            {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT},
            {"floe.prod.yaml": "description: orders in production\n"},
        ),
    ],
)
def test_a_valid_overlay_that_omits_required_keys_adds_nothing(
    lint, files: dict[str, str], overlay: dict[str, str]
) -> None:
    before = found(lint(files))
    assert found(lint({**files, **overlay})) == before


def test_a_changed_overlay_is_judged_again_with_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    # outside the folder checked (one inside is not used: tests/test_cache_trust.py)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path.with_name(f"{tmp_path.name}-cache")))
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"manifest.yaml": MANIFEST, "manifest.prod.yaml": "plugins: {}\n"})

    def check() -> tuple[int, str]:
        out, err = io.StringIO(), io.StringIO()
        return main(["check", "."], stdout=out, stderr=err), out.getvalue()

    assert check() == (0, "")
    assert check() == (0, "")  # replayed
    (tmp_path / "manifest.prod.yaml").write_text("plugins: {compute: {aproved: []}}\n", "utf-8")
    code, out = check()
    assert code == 1
    assert out.startswith("manifest.prod.yaml:1:21: ERROR FL101 [schema-unknown-key] unknown key")


def test_an_environments_block_is_not_read_as_an_overlay(lint) -> None:
    """Its environments hold settings the base schema does not define (say, the `schedule`
    of benchmarks/corpus.py): a false "unknown key" there would be a false error."""
    block = "environments:\n  dev:\n    schedule: '@hourly'\n  prod: {data_retention_days: 90}\n"
    files = {"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT + block}
    assert found(lint(files)) == []


FULL_MANIFEST: dict[str, Any] = {
    "scope": "domain",
    "parent_manifest": "../enterprise/manifest.yaml",
    "plugins": {"compute": {"approved": ["duckdb"], "default": "duckdb"}},
    "governance": {"data_retention_days": 90, "pii_encryption": "required"},
}


def _pruned(value: Any, keep: Any) -> Any:
    """`value` with some of its mapping keys dropped, at any depth (`keep` decides)."""
    if not isinstance(value, dict):
        return value
    return {k: _pruned(v, keep) for k, v in value.items() if keep(k)}


@given(st.data())
@settings(max_examples=60, deadline=None)
def test_any_part_of_a_valid_document_is_a_valid_overlay(data: st.DataObject) -> None:
    assert validate(FULL_MANIFEST, "manifest") == []
    part = _pruned(FULL_MANIFEST, lambda _key: data.draw(st.booleans()))
    assert validate(part, "manifest", overlay=True) == []


@pytest.mark.parametrize("name", ["manifest", "floe", "manifest-floe", "floe-floe"])
def test_the_quick_overlay_check_is_compiled_for_every_schema(name: str) -> None:
    """A valid overlay is proved valid without jsonschema, as a valid base file is."""
    assert _quick_overlay_check(name) is not None
    assert validation.proves_valid(_quick_overlay_check(name), {})


@given(st.data())
@settings(max_examples=60, deadline=None)
def test_the_quick_overlay_check_agrees_with_jsonschema(data: st.DataObject) -> None:
    part = _pruned(FULL_MANIFEST, lambda _key: data.draw(st.booleans()))
    typo = data.draw(st.sampled_from(["", "scope", "plugins", "governance"]))
    if typo in part:
        part[typo + "x"] = part.pop(typo)
    quick = validation.proves_valid(_quick_overlay_check("manifest"), part)
    assert quick == (validation.validate(part, "manifest", overlay=True) == [])
    assert quick == (typo == "" or typo not in FULL_MANIFEST or typo + "x" not in part)


def test_a_valid_overlay_is_checked_without_jsonschema(tmp_path: Path) -> None:
    from tests.test_perf_imports import imported

    write_files(
        tmp_path,
        {
            "manifest.yaml": MANIFEST,
            "manifest.prod.yaml": "governance: {data_retention_days: 90}\n",
        },
    )
    assert "jsonschema" not in imported("check", ".", cwd=tmp_path)
    (tmp_path / "manifest.prod.yaml").write_text("governance: {retention: 90}\n", "utf-8")
    assert "jsonschema" in imported("check", ".", cwd=tmp_path)  # the probe sees the overlay
