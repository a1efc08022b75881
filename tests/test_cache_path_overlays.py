"""The result cache never replays a named file's entry under another path to the same file (a
symbolic link to it, or the file a link names) with findings the other path would not give (a
false pass before: checking the link, then the file, replayed the link's entry and dropped the
file's own overlay error). A file reached through a link is the file the link leads to: its
per-environment files and its relative refs are those beside it, whichever path named it
(floe_lint.load.workspace's `named`), so both paths give the same findings, cold or cached."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_files

ENTERPRISE = "scope: enterprise\nmetadata: {name: acme}\n"
ENTERPRISE += "plugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n"
DOMAIN = "scope: domain\nmetadata: {name: sales}\nparent_manifest: ../ent/manifest.yaml\n"
DOMAIN += "plugins:\n  compute:\n    approved: [duckdb, spark]\n"
OVERLAY = "plugins:\n  compute:\n    default: spark\n"
PRODUCT = "name: p\nplatform: {ref: ../../platform/ent/manifest.yaml}\n"
PRODUCT += "transforms:\n  - type: dbt\n    path: models/a/\n    compute: duckdb\n"
PRODUCT_OVERLAY = "transforms:\n  - type: dbt\n    path: models/a/\n    compute: spark\n"

MANIFEST_ERROR = (
    "platform/sales/manifest.prod.yaml:3:14: ERROR FL401 [environment-override] a "
    "per-environment file changes the default compute; a transform must run on the same "
    "compute in every environment (ADR-0010)"
)
PRODUCT_ERROR = (
    "products/p1/floe.prod.yaml:4:14: ERROR FL401 [environment-override] a per-environment "
    "file changes the compute; a transform must run on the same compute in every environment "
    "(ADR-0010)"
)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FLOE_LINT_CACHE_DIR", str(tmp_path.parent / f"{tmp_path.name}-cache"))
    monkeypatch.delenv("FLOE_LINT_NO_CACHE", raising=False)  # (conftest turns the cache off)
    write_files(
        tmp_path,
        {
            "platform/ent/manifest.yaml": ENTERPRISE,
            "platform/sales/manifest.yaml": DOMAIN,
            "platform/sales/manifest.prod.yaml": OVERLAY,
            "products/p1/floe.yaml": PRODUCT,
            "products/p1/floe.prod.yaml": PRODUCT_OVERLAY,
        },
    )
    (tmp_path / "platform/mkt").mkdir()
    (tmp_path / "platform/mkt/manifest.yaml").symlink_to("../sales/manifest.yaml")
    (tmp_path / "products/p2").mkdir()
    (tmp_path / "products/p2/floe.yaml").symlink_to("../p1/floe.yaml")
    return tmp_path


def _lines(*args: str) -> list[str]:
    """The findings of `floe-lint check` run as its own process (as a user runs it: nothing
    a run remembers in memory carries over to the next)."""
    command = [sys.executable, "-m", "floe_lint", "check", "--format", "concise", *args]
    run = subprocess.run(command, capture_output=True, text=True, check=False, env=os.environ)
    assert run.returncode in (0, 1), run.stderr
    return run.stdout.splitlines()


@pytest.mark.parametrize(
    ("link", "real", "error"),
    [
        ("platform/mkt/manifest.yaml", "platform/sales/manifest.yaml", MANIFEST_ERROR),
        ("products/p2/floe.yaml", "products/p1/floe.yaml", PRODUCT_ERROR),
    ],
)
def test_a_file_checked_through_a_link_then_as_itself_reports_its_own_overlays(
    tree: Path, link: str, real: str, error: str
) -> None:
    assert _lines("--no-cache", real) == [error]
    assert _lines("--no-cache", link) == [error]  # the overlay beside the file it leads to
    for _ in range(2):  # the link's entry stored, then replayed
        assert _lines(link) == [error]
    for _ in range(2):  # the file itself: checked again, then its own entry replayed
        assert _lines(real) == [error]
    assert _lines(link) == [error]


def test_a_link_to_a_manifest_that_a_walk_meets_changes_no_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A walk that finds a file through a new symbolic link (`platform/mlink.yaml`, walked
    before its target) reads it as the file the link leads to: its `../ent/manifest.yaml` is
    still its own folder's (a false unresolved-ref before, which depended on the walk's order),
    and the runs with the link, cold, stored and replayed, print what the run without it did."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FLOE_LINT_CACHE_DIR", str(tmp_path.parent / f"{tmp_path.name}-cache"))
    monkeypatch.delenv("FLOE_LINT_NO_CACHE", raising=False)
    write_files(
        tmp_path,
        {
            "platform/ent/manifest.yaml": ENTERPRISE,
            "platform/sales/manifest.yaml": DOMAIN,
            "products/p/floe.yaml": PRODUCT.replace("ent/manifest", "sales/manifest"),
        },
    )
    assert _lines(".") == []
    (tmp_path / "platform/mlink.yaml").symlink_to("sales/manifest.yaml")
    assert _lines("--no-cache", ".") == []
    assert _lines(".") == []  # checked again, stored
    assert _lines(".") == []  # replayed
    (tmp_path / "platform/mlink.yaml").unlink()
    assert _lines(".") == []


def test_a_new_overlay_beside_a_reached_parent_manifest_makes_the_cache_check_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A product named alone reaches its platform's manifests: a per-environment file added
    beside one of them is reported by a cold run, so the stored entries are not replayed (a
    false pass before: the warm run printed no problems)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FLOE_LINT_CACHE_DIR", str(tmp_path.parent / f"{tmp_path.name}-cache"))
    monkeypatch.delenv("FLOE_LINT_NO_CACHE", raising=False)
    write_files(
        tmp_path,
        {
            "platform/ent/manifest.yaml": ENTERPRISE,
            "platform/sales/manifest.yaml": DOMAIN,
            "products/p/floe.yaml": PRODUCT.replace("ent/manifest", "sales/manifest"),
        },
    )
    assert _lines("products/p/floe.yaml") == []
    assert _lines("products/p/floe.yaml") == []  # replayed
    (tmp_path / "platform/ent/manifest.prod.yaml").write_text(OVERLAY, "utf-8")
    error = MANIFEST_ERROR.replace("platform/sales/", "platform/ent/")
    assert _lines("--no-cache", "products/p/floe.yaml") == [error]
    assert _lines("products/p/floe.yaml") == [error]
    assert _lines("products/p/floe.yaml") == [error]
