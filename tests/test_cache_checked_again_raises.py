"""A file checked again because a manifest it depends on was edited raises no exception that
the run's own bookkeeping catches at once (issue 17, one domain edited: each was raised and
cleared once or twice for every file checked again): pathlib's empty slots of a `Path` made by
`path.parent / name` (the floe.lock beside it, its folder listed for overlays, a ref's folder),
a file's and a document's `__getattr__` asked for an attribute they do not have, and
`GeneratorExit` thrown into a generator `any()` or a first-match helper left unfinished."""

from __future__ import annotations

import io
import sys
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from floe_lint.cli import main
from floe_lint.lint import cache
from tests.conftest import write_files
from tests.test_cache import PRODUCT, tree

#: the functions whose exceptions were caught at once, by the floe-lint frame nearest them
WATCHED = {
    "owner",  # Replay.owner: getattr(subject, "doc", None)
    "findings",  # local.Local.findings: getattr(subject, "index", -1)
    "lock_key",  # Replay.lock_key: path.parent / "floe.lock"
    "side_key",
    "_siblings",  # context.overlay_files: str(path.parent)
    "note",  # links.note: os.path.join(cwd, base.parent, text)
    "holds_floe",  # kinds.holds_floe: any(<genexpr>)
    "adr",  # dialect's markers: next(<generator>, None)
    "floe",
}


def _caught(
    found: Counter[str], watched: set[str] = WATCHED, but: frozenset[str] = frozenset()
) -> Any:
    """A tracer noting each exception raised in a frame (its first frame) by the name of the
    nearest of that frame and the three above it that is one of `watched`; none raised in a
    function named in `but`."""

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "exception" and frame.f_code.co_name not in but:
            tb = arg[2]
            if tb is not None and tb.tb_next is None:
                at: FrameType | None = frame
                for _ in range(4):
                    if at is None or at.f_code.co_name in watched:
                        break
                    at = at.f_back
                if at is not None and at.f_code.co_name in watched:
                    found[f"{at.f_code.co_name}: {arg[0].__name__}"] += 1
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        return local

    return calls


def test_files_checked_again_raise_nothing_caught_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    files = tree()
    for n in range(6):  # products of sales: checked again when its manifest is edited
        name = f"q{n}"
        fields = {"name": name, "domain": "sales", "compute": "spark", "comment": ""}
        files[f"products/{name}/floe.yaml"] = PRODUCT.format(**fields)
    root = tmp_path / "ws"
    write_files(root, files)
    monkeypatch.chdir(root)

    def check() -> str:
        out, err = io.StringIO(), io.StringIO()
        main(["check", str(root)], stdout=out, stderr=err)
        return out.getvalue() + err.getvalue()

    cold = check()
    sales = root / "platform/sales/manifest.yaml"
    sales.write_text(sales.read_text() + "# edited\n")
    assert check() == cold
    sales.write_text(sales.read_text() + "# edited again\n")
    found: Counter[str] = Counter()
    sys.settrace(_caught(found))
    try:
        again = check()
    finally:
        sys.settrace(None)
    assert again == cold
    assert found == Counter()


#: the functions a file checked again passes that looked through a generator (`any`, `all`),
#: pathlib's parents or a new `Path`'s text: each raised and caught an exception a file or more
ON_THE_WAY = {
    "check_no_symlink",  # the summary's fixable findings (`fixing._scope.may_edit`)
    "inside",
    "_resolved",  # Hierarchy._resolved: str(base.parent)
    "declares_another_kind",
    "add",  # Workspace.add: any(<genexpr>)
    "_untyped",
    "_unapproved_selection",
    "file_entry",
}


def test_files_checked_again_with_fixable_findings_raise_nothing_on_the_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As above, with fixable findings (compute-not-approved's) in the products checked again,
    so that the summary asks whether their files may be edited."""
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    files = tree()
    for n in range(4):
        name = f"q{n}"
        fields = {"name": name, "domain": "sales", "compute": "snowflake", "comment": ""}
        files[f"products/{name}/floe.yaml"] = PRODUCT.format(**fields)
    root = tmp_path / "ws"
    write_files(root, files)
    monkeypatch.chdir(root)

    def check() -> str:
        out, err = io.StringIO(), io.StringIO()
        main(["check", "."], stdout=out, stderr=err)
        return out.getvalue() + err.getvalue()

    cold = check()
    assert "more with --unsafe-fixes" in cold
    sales = root / "platform/sales/manifest.yaml"
    sales.write_text(sales.read_text() + "# edited\n")
    assert check() == cold
    sales.write_text(sales.read_text() + "# edited again\n")
    found: Counter[str] = Counter()
    # (pathlib fills a `Path`'s text, parts and hash on first use by catching an
    # AttributeError: once a Path, whoever asks first)
    sys.settrace(_caught(found, ON_THE_WAY, frozenset({"__str__", "parts", "_cparts", "__hash__"})))
    try:
        again = check()
    finally:
        sys.settrace(None)
    assert again == cold
    assert found == Counter()
