"""`Replay.record` gathers each checked file's facts (floe_lint.lint.depends) while it lists the
files the run loaded; gathering them may load more (a hierarchy that no rule resolved, or one a
stream that stopped forgot, resolved again). The workspace's dict of files once changed size
while it was iterated (`RuntimeError: dictionary changed size during iteration`): the listing
is now taken again until no file is new, and the files loaded meanwhile are stored too. End to
end: a run whose rules read no per-environment file (`--select FL001`) beside a manifest with one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from floe_lint.lint import cache
from floe_lint.lint.replay import Replay
from floe_lint.load.workspace import Workspace
from floe_lint.model.hierarchy import Hierarchy
from floe_lint.model.refs import Resolver
from tests.conftest import check, write_files
from tests.test_cache import cached  # noqa: F401 (a fixture)

ENTERPRISE = """scope: enterprise
metadata: {name: ent}
plugins:
  compute:
    approved: [duckdb, spark]
    default: duckdb
"""
DOMAIN = """scope: domain
metadata: {name: dom}
parent_manifest: ../ent/manifest.yaml
plugins:
  compute:
    approved: [duckdb]
    default: duckdb
"""
PRODUCT = """name: p
platform: {ref: ../../platform/dom/manifest.yaml}
transforms:
  - {type: dbt, path: models/a/, compute: duckdb}
"""


def _record(root: Path, folder: Path) -> tuple[Replay, Path]:
    """A run that loaded the product only, its hierarchy not resolved when it is recorded."""
    product = root / "products" / "p" / "floe.yaml"
    workspace = Workspace()
    replay = Replay(cache.Store(folder, "k"), workspace)
    replay.plan([(product, True)])
    workspace.add(product, True)
    assert [key for key, _ in workspace.loaded()] == [str(product)]
    hierarchy = Hierarchy(workspace, Resolver({}), None)
    replay.record(hierarchy, {}, lambda doc: (), [])
    return replay, product


def test_files_loaded_while_a_run_is_recorded_are_recorded_too(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    write_files(
        root,
        {
            "platform/ent/manifest.yaml": ENTERPRISE,
            "platform/dom/manifest.yaml": DOMAIN,
            "products/p/floe.yaml": PRODUCT,
        },
    )
    ent, dom = (str(root / f"platform/{n}/manifest.yaml") for n in ("ent", "dom"))
    replay, product = _record(root, tmp_path / "cache")
    written = replay.store.written
    assert sorted(written) == sorted([str(product), dom, ent])
    assert written[str(product)]["reach"] == [dom, ent]
    assert sorted(written[str(product)]["deps"]) == sorted(
        [dom, ent, str(root / "products/p/floe.lock")]
    )
    assert written[dom]["reach"] == [ent]
    # what was stored stands for the next run's files
    again = Replay(cache.Store(tmp_path / "cache", "k"), Workspace())
    again.plan([(product, True)])
    assert again.replayable(product)


@pytest.mark.parametrize(
    "given",
    [
        ["products/p/floe.yaml"],  # (the domain, reached, is checked: its overlay not read)
        ["platform/dom/manifest.yaml"],  # (the product, a dependent: its overlay not read)
    ],
)
def test_a_run_whose_rules_read_no_overlay_is_recorded_through_the_cli(
    cached: Path,  # noqa: F811
    given: list[str],
) -> None:
    """End to end: with `--select FL001`, no rule reads the per-environment files beside the
    files checked; `record` reads them (they are inputs of each file's entry) and so loads
    them while it lists the files loaded. Before, the run stopped: `floe-lint: internal
    error: RuntimeError: dictionary changed size during iteration` (exit 2)."""
    write_files(
        cached,
        {
            "platform/ent/manifest.yaml": ENTERPRISE,
            "platform/dom/manifest.yaml": DOMAIN,
            "platform/dom/manifest.prod.yaml": "plugins: {compute: {default: duckdb}}\n",
            "products/p/floe.yaml": PRODUCT,
            "products/p/floe.prod.yaml": "transforms: [{type: dbt, path: models/a/}]\n",
        },
    )
    args = ["--select", "FL001", *given]
    cold = check(*args, "--no-cache")
    counted = "3 files checked" if given[0].startswith("products") else "3 files checked, 1 of"
    assert cold[:2] == (0, "")
    assert cold[2].startswith(f"floe-lint: no problems ({counted}"), cold
    assert check(*args) == cold  # (stored)
    stored = [json.loads(p.read_text("utf-8")) for p in cache.directory().glob("results-*.json")]
    entries = {key: entry for store in stored for key, entry in store["entries"].items()}
    overlay = str(cached / "platform/dom/manifest.prod.yaml")
    assert overlay in entries[str(cached / "platform/dom/manifest.yaml")]["deps"]
    assert check(*args) == cold  # (replayed)
