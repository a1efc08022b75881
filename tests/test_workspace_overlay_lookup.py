"""`Workspace.overlay` (the text given for a path, as `impact` gives the old manifest) answers a
path to nothing, named unlike any file given, without resolving it: `impact`'s run of the old
manifest asked for every product's floe.lock and resolved each (1,000 `real` calls). A file
given that is not on disk, and a link to a file given, are still answered with the text given."""

from __future__ import annotations

from pathlib import Path

import pytest

from floe_lint.load import workspace as workspace_module
from floe_lint.load.workspace import Workspace

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
GIVEN = "plugins: {compute: {approved: [spark], default: spark}}\n"


def test_a_path_to_nothing_is_answered_without_resolving_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = tmp_path / "platform" / "manifest.yaml"
    manifest.parent.mkdir()
    manifest.write_text(MANIFEST, "utf-8")
    (tmp_path / "p0").mkdir()
    (tmp_path / "p1").mkdir()
    (tmp_path / "p1" / "floe.lock").symlink_to(manifest)  # a link to the file given
    workspace = Workspace()
    workspace.put(manifest, GIVEN.encode())
    resolved: list[Path] = []
    real = workspace_module.real

    def counted(path: Path) -> Path:
        resolved.append(path)
        return real(path)

    monkeypatch.setattr(workspace_module, "real", counted)
    assert workspace.overlay(tmp_path / "p0" / "floe.lock") is None
    assert resolved == []
    assert workspace.overlay(tmp_path / "p1" / "floe.lock") == GIVEN
    assert workspace.overlay(tmp_path / "platform" / "x" / ".." / "manifest.yaml") == GIVEN
    assert workspace.overlay(tmp_path / "p0" / "manifest.yaml") is None
    workspace.put(tmp_path / "p2" / "floe.lock", b"{}")  # given, not on disk
    assert workspace.overlay(tmp_path / "p2" / "floe.lock") == "{}"
