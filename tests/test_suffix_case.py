"""A Floe file whose suffix is not in lower case (`floe.YAML`, `manifest.Yml`) is found as
`floe.yaml` is. The walk and the pre-commit hook took only `.yaml`/`.yml`/`.json` as written,
so `check .` and `check --hook products/p/floe.YAML` (pre-commit hands it over: identify reads
suffixes in any case) passed it unlinted, exit 0; where names fold case (macOS, Windows),
`floe platform compile --spec products/p/floe.yaml` reads that very file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
PRODUCT = (
    "name: p\nversion: 1.0.0\nplatform: {ref: ../../platform/manifest.yaml}\n"
    "transforms: [{type: dbt, path: models/a/, compute: spark}]\n"
)


def _finding(name: str) -> str:
    return (
        f"products/p/{name}:4:52: ERROR FL201 [compute-not-approved] transform 'models/a/' "
        "selects compute 'spark', which platform manifest manifest.yaml does not approve (no "
        "level of the hierarchy approves it); approved: duckdb\n"
    )


@pytest.mark.parametrize("name", ["floe.YAML", "floe.Yml", "Floe.yAmL"])
@pytest.mark.parametrize(
    "given",
    [(), ("products",), ("--hook", "products/p/{}"), ("platform/manifest.yaml",)],
)
def test_a_floe_file_is_found_whatever_the_case_of_its_suffix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, given: tuple[str, ...]
) -> None:
    write_files(tmp_path, {"platform/manifest.yaml": MANIFEST, f"products/p/{name}": PRODUCT})
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", "--no-cache", *(g.format(name) for g in given))
    note = "      note: a dependent of the changed manifest platform/manifest.yaml\n"
    expected = _finding(name) + (note if given == ("platform/manifest.yaml",) else "")
    assert (run.code, run.stdout) == (1, expected), run.stderr


def test_a_manifest_of_another_case_is_found_and_judged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        tmp_path,
        {"platform/manifest.YML": "plugins: {compute: {approved: [duckdb], default: spark}}\n"},
    )
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", "--no-cache", "platform")
    assert (run.code, run.stdout) == (
        1,
        "platform/manifest.YML:1:50: ERROR FL203 [default-not-approved] default compute 'spark' "
        "is not in the effective approved list of platform manifest manifest.YML (duckdb)\n",
    ), run.stderr


OVERLAY_BASE = (
    "name: p\nversion: 1.0.0\nplatform: {ref: ../../platform/manifest.yaml}\n"
    "transforms: [{type: dbt, path: models/a/, compute: duckdb}]\n"
)
#: a whole product, so that read alone (as before) it is a product that passes
OVERLAY = OVERLAY_BASE.replace("compute: duckdb", "compute: spark")


@pytest.mark.parametrize("name", ["floe.prod.YAML", "floe.PROD.Yml", "floe.prod.yML"])
@pytest.mark.parametrize(
    "given",
    [(), ("products",), ("products/p/floe.yaml",), ("--hook", "products/p/{}")],
)
def test_a_per_environment_file_is_one_whatever_the_case_of_its_suffix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, given: tuple[str, ...]
) -> None:
    """`floe.prod.YAML` beside `floe.yaml` is its prod overlay, as `floe.prod.yaml` is (where
    names fold case, reading `floe.prod.yaml` reads it): it was read as a product of its own,
    which approves spark, so its compute change passed, exit 0."""
    write_files(
        tmp_path,
        {
            "platform/manifest.yaml": "plugins: {compute: {approved: [duckdb, spark], "
            "default: duckdb}}\n",
            "products/p/floe.yaml": OVERLAY_BASE,
            f"products/p/{name}": OVERLAY,
        },
    )
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", "--no-cache", *(g.format(name) for g in given))
    assert (run.code, run.stdout) == (
        1,
        f"products/p/{name}:4:52: ERROR FL401 [environment-override] a per-environment file "
        "changes the compute; a transform must run on the same compute in every environment "
        "(ADR-0010)\n",
    ), run.stderr


def test_a_manifest_overlay_of_another_case_is_compared_with_its_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        tmp_path,
        {
            "platform/manifest.yaml": "plugins: {compute: {approved: [duckdb, spark], "
            "default: duckdb}}\n",
            "platform/manifest.dev.YAML": "plugins: {compute: {approved: [duckdb, spark], "
            "default: spark}}\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", "--no-cache", "platform")
    assert (run.code, run.stdout) == (
        1,
        "platform/manifest.dev.YAML:1:57: ERROR FL401 [environment-override] a per-environment "
        "file changes the default compute; a transform must run on the same compute in every "
        "environment (ADR-0010)\n",
    ), run.stderr


@pytest.mark.parametrize(
    ("base", "overlay"),
    [
        ("floe.yaml", "Floe.prod.yaml"),
        ("FLOE.yaml", "floe.prod.yaml"),
        ("floe.YAML", "FLOE.PROD.YML"),
    ],
)
@pytest.mark.parametrize(
    "given", [(), ("products/p/{overlay}",), ("--hook", "products/p/{overlay}")]
)
def test_a_per_environment_file_pairs_with_its_base_whatever_the_case_of_their_names(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    base: str,
    overlay: str,
    given: tuple[str, ...],
) -> None:
    """`Floe.prod.yaml` beside `floe.yaml`, or `floe.prod.yaml` beside `FLOE.yaml`: where names
    fold case they are one product and its prod overlay. The first was read as a product of its
    own, the second as an overlay of no base, checked never: both passed, exit 0."""
    write_files(
        tmp_path,
        {
            "platform/manifest.yaml": "plugins: {compute: {approved: [duckdb, spark], "
            "default: duckdb}}\n",
            f"products/p/{base}": OVERLAY_BASE,
            f"products/p/{overlay}": OVERLAY,
        },
    )
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", "--no-cache", *(g.format(overlay=overlay) for g in given))
    assert (run.code, run.stdout) == (
        1,
        f"products/p/{overlay}:4:52: ERROR FL401 [environment-override] a per-environment file "
        "changes the compute; a transform must run on the same compute in every environment "
        "(ADR-0010)\n",
    ), run.stderr


def test_a_suppression_in_an_overlay_of_another_case_is_refused_under_a_strict_platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An overlay is governed as its base: under a strict platform its compute change may not be
    silenced by a comment, whatever the case of either name."""
    write_files(
        tmp_path,
        {
            "platform/manifest.yaml": "plugins: {compute: {approved: [duckdb, spark], "
            "default: duckdb}}\ngovernance: {policy_enforcement_level: strict}\n",
            "products/p/FLOE.yaml": OVERLAY_BASE,
            "products/p/floe.prod.yaml": OVERLAY.rstrip("\n") + "  # floe-lint: disable=FL401\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", "--no-cache", ".")
    assert (run.code, run.stdout) == (
        1,
        "products/p/floe.prod.yaml:4:52: ERROR FL401 [environment-override] a per-environment "
        "file changes the compute; a transform must run on the same compute in every environment "
        "(ADR-0010)\n"
        "products/p/floe.prod.yaml:4:82: ERROR FL902 [suppression-not-allowed] suppression of "
        "'FL401' is not allowed: its platform enforces policy strictly "
        "(governance.policy_enforcement_level: strict); the finding stays (only the config's "
        "exceptions can excuse it)\n",
    ), run.stderr
