"""What a streamed run keeps of each file it checked and released (issue 17: memory flat
beyond the cross-file summaries): its path and key as text and a small `Retired` shell
(floe_lint/load/retired.py, `Workspace.retire`), not a `Path`, a `SourceFile` and document
shells per file. These tests fail if per-file `Path` objects (or shells) come back, and prove
that the files a run reports come out the same, in the same order, as a run holding every file.
"""

from __future__ import annotations

import gc
import os
from collections import Counter
from pathlib import Path, PurePath
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import generate
from floe_lint.config import Config
from floe_lint.lint import engine, stream
from floe_lint.load.document import Document, SourceFile
from floe_lint.load.retired import Retired


def _alive_after_stream(
    root: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> tuple[Counter[str], int, int]:
    """Objects alive when the stream of `check ROOT` ends (Path, SourceFile, Document,
    Retired), and how many files and findings the run reports."""
    monkeypatch.chdir(root)
    monkeypatch.setattr(stream, "GROUP", 8)
    seen: dict[str, Any] = {}
    run = stream.Stream.run

    def counting(self: stream.Stream, *args: Any, **kwargs: Any) -> int | None:
        added = run(self, *args, **kwargs)
        kinds = (PurePath, Retired, SourceFile, Document)
        alive = Counter(
            next(k.__name__ for k in kinds if isinstance(o, k))
            for o in gc.get_objects()
            if isinstance(o, kinds)
        )
        seen["alive"] = alive
        return added

    monkeypatch.setattr(stream.Stream, "run", counting)
    gc.collect()
    result = engine.run([Path(".")], Config(), jobs=jobs, release=True)
    return seen["alive"], len(result.files), len(result.findings)


@pytest.mark.parametrize("jobs", [1, 2])
def test_no_path_or_shell_per_file_is_kept_while_the_stream_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    small = generate(tmp_path / "small", 100, 3).root
    large = generate(tmp_path / "large", 300, 3).root
    alive_small, files_small, found_small = _alive_after_stream(small, monkeypatch, jobs)
    alive_large, files_large, found_large = _alive_after_stream(large, monkeypatch, jobs)
    assert files_large - files_small == 200
    # 200 more files checked and released: an int each (`retired.RetiredFiles`), no Retired
    # shell (112 bytes a file; 200 more before), and nothing else but the findings (each names
    # its file with a Path): not a Path per file
    assert alive_large["Retired"] - alive_small["Retired"] <= 5, alive_large["Retired"]
    more_findings = found_large - found_small
    assert 0 < more_findings < 100
    assert alive_large["PurePath"] - alive_small["PurePath"] <= more_findings + 5
    assert alive_large["SourceFile"] == alive_small["SourceFile"] == 11  # the manifests
    assert alive_large["Document"] - alive_small["Document"] <= 5  # nor document shells


NAMES = st.sampled_from(["a", "b", "a-b", "a.b", "a b", "a_b", "b-", "ab", "z"])


@st.composite
def trees(draw: st.DrawFn) -> dict[str, str]:
    """Product files in folders whose names sort differently by text and by name (`a-b` and
    `a/b`), some beside sub-folders that hold products too (so a walk does not give them in
    key order), some with a per-environment overlay."""
    files: dict[str, str] = {"manifest.yaml": MANIFEST}
    for _ in range(draw(st.integers(1, 12))):
        folder = "/".join(draw(st.lists(NAMES, min_size=1, max_size=3)))
        depth = folder.count("/") + 1
        ref = "../" * depth + "manifest.yaml"
        compute = draw(st.sampled_from(["duckdb", "spark"]))
        files[f"{folder}/floe.yaml"] = PRODUCT.format(ref=ref, compute=compute)
        if draw(st.booleans()):
            files[f"{folder}/floe.prod.yaml"] = "transforms: [{path: models/x/}]\n"
    return files


MANIFEST = "scope: enterprise\nplugins: {compute: {approved: [duckdb], default: duckdb}}\n"
PRODUCT = (
    "name: p\nplatform: {{ref: {ref}}}\ntransforms: [{{path: models/x/, compute: {compute}}}]\n"
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=trees(), group=st.integers(1, 4), jobs=st.integers(1, 2))
def test_the_files_reported_are_those_a_holding_run_reports_in_its_order(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, str],
    group: int,
    jobs: int,
) -> None:
    root = tmp_path_factory.mktemp("retired")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setattr(stream, "GROUP", group)
    released = engine.run([Path(".")], Config(), jobs=jobs, release=True)
    held = engine.run([Path(".")], Config(), jobs=jobs, release=False)
    assert any(isinstance(f, Retired) for f in released.files)
    assert [os.fspath(f.path) for f in released.files] == [os.fspath(f.path) for f in held.files]
    assert released.findings == held.findings
    # a retired file read late is the file: its text, documents and problems as loaded
    for late, loaded in zip(released.files, held.files, strict=True):
        assert late.text == loaded.text and late.problems == loaded.problems
        shape = [(d.index, d.kind, d.dialect, d.mixed, d.data) for d in late.documents]
        assert shape == [(d.index, d.kind, d.dialect, d.mixed, d.data) for d in loaded.documents]


def test_files_retired_out_of_key_order_come_in_key_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A walk gives a folder's files before its sub-folders' (`a/floe.yaml`, then
    `a/b/floe.yaml`), and `a-b` after `a` where `a/...` sorts first by name: the files come in
    the order of their keys, as `Path`s sort, whether retired in it or not."""
    files = {
        "manifest.yaml": MANIFEST,
        "a/floe.yaml": PRODUCT.format(ref="../manifest.yaml", compute="duckdb"),
        "a/b/floe.yaml": PRODUCT.format(ref="../../manifest.yaml", compute="spark"),
        "a-b/floe.yaml": PRODUCT.format(ref="../manifest.yaml", compute="spark"),
        "a.b/floe.yaml": PRODUCT.format(ref="../manifest.yaml", compute="duckdb"),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(stream, "GROUP", 1)
    result = engine.run([Path(".")], Config(), jobs=1, release=True)
    shown = [os.fspath(f.path) for f in result.files]
    assert shown == [
        "a/b/floe.yaml",
        "a/floe.yaml",
        "a-b/floe.yaml",
        "a.b/floe.yaml",
        "manifest.yaml",
    ]
    assert shown == [os.fspath(p) for p in sorted(Path(n) for n in files)]
    assert sum(isinstance(f, Retired) for f in result.files) == 4
