"""How the dependents search's first pass reads a file the walk listed as regular
(floe_lint.model.dependents_scan.first_pass): one open that follows no link and cannot block,
one bounded read, one close; fstat only for a file whose bytes may name a target or that filled
the read. Whatever a listed name has become by the time it is read (a FIFO, a device, a link,
a larger file), the pass answers what `read_unlinked` answers for it, never blocks and never
reads more than the load limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from floe_lint.load.walk import Folder, folder_files
from floe_lint.model.dependents_scan import CHUNK, first_pass
from floe_lint.model.ref_needles import _Targets

PRODUCT = "name: {name}\nplatform:\n  ref: {ref}\n"


def _tree(root: Path) -> Path:
    """A domain manifest and products that name it, or name another one."""
    manifest = root / "platform" / "fin" / "manifest.yaml"
    manifest.parent.mkdir(parents=True)
    manifest.write_text("scope: domain\n", "utf-8")
    (root / "platform" / "other").mkdir()
    (root / "platform" / "other" / "manifest.yaml").write_text("scope: domain\n", "utf-8")
    for number in range(6):
        folder = root / "products" / f"p{number}"
        folder.mkdir(parents=True)
        level = "fin" if number % 3 == 0 else "other"
        ref = f"../../platform/{level}/manifest.yaml"
        (folder / "floe.yaml").write_text(PRODUCT.format(name=f"p{number}", ref=ref), "utf-8")
    return manifest


def _passed(root: Path, manifest: Path, folders: list[Folder] | None = None) -> list[str]:
    targets = _Targets({manifest}, top=str(root))
    walked = folders if folders is not None else folder_files(root)
    below = (str(manifest.parent) + os.sep,)
    return [
        name for name, _, _, passed in first_pass(walked, [], {}, (), below, (), targets) if passed
    ]


def test_a_file_that_names_no_target_costs_no_fstat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Of six products, the two that name the changed manifest are checked with fstat; the
    four whose bytes do not hold its folder's name are dropped after one read (before this
    round every file cost an fstat)."""
    manifest = _tree(tmp_path)
    checked: list[int] = []
    real_fstat = os.fstat

    def counted(fd: int) -> os.stat_result:
        checked.append(fd)
        return real_fstat(fd)

    monkeypatch.setattr(os, "fstat", counted)
    found = _passed(tmp_path, manifest)
    assert found == [str(tmp_path / "products" / f"p{n}" / "floe.yaml") for n in (0, 3)]
    assert len(checked) == 2


def _listed_as_regular(root: Path, name: str) -> list[Folder]:
    """The walk's answer for `root/products/x` had `name` been a regular file when listed."""
    folder = str(root / "products" / "x") + os.sep
    return [(folder, folder, folder, [name], None)]


def test_a_name_that_became_a_fifo_is_dropped_without_blocking(tmp_path: Path) -> None:
    manifest = _tree(tmp_path)
    (tmp_path / "products" / "x").mkdir()
    os.mkfifo(tmp_path / "products" / "x" / "floe.yaml")
    assert _passed(tmp_path, manifest, _listed_as_regular(tmp_path, "floe.yaml")) == []


def test_a_fifo_with_a_ref_in_it_is_not_read_as_a_file(tmp_path: Path) -> None:
    """A FIFO written to (its bytes name the target) is refused once fstat says what it is."""
    manifest = _tree(tmp_path)
    (tmp_path / "products" / "x").mkdir()
    fifo = tmp_path / "products" / "x" / "floe.yaml"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # (so the writer's open succeeds)
    writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    try:
        os.write(writer, PRODUCT.format(name="x", ref="../../platform/fin").encode())
        assert _passed(tmp_path, manifest, _listed_as_regular(tmp_path, "floe.yaml")) == []
    finally:
        os.close(writer)
        os.close(reader)


def test_a_name_that_became_a_device_is_read_once_and_refused(tmp_path: Path) -> None:
    """A device whose reads never end (/dev/zero's numbers) costs one bounded read."""
    manifest = _tree(tmp_path)
    (tmp_path / "products" / "x").mkdir()
    try:
        os.mknod(tmp_path / "products" / "x" / "zero.yaml", 0o600 | stat.S_IFCHR, os.makedev(1, 5))
    except OSError:
        pytest.skip("no right to make a device here")
    assert _passed(tmp_path, manifest, _listed_as_regular(tmp_path, "zero.yaml")) == []


def test_a_name_that_became_a_link_is_not_followed(tmp_path: Path) -> None:
    """A link put where a regular file was listed is refused (O_NOFOLLOW), even to a file
    that names the target."""
    manifest = _tree(tmp_path)
    (tmp_path / "products" / "x").mkdir()
    (tmp_path / "products" / "x" / "floe.yaml").symlink_to(tmp_path / "products/p0/floe.yaml")
    assert _passed(tmp_path, manifest, _listed_as_regular(tmp_path, "floe.yaml")) == []


@pytest.mark.parametrize("extra", [-1, 0, 1, 5000])
def test_a_ref_past_the_first_read_is_found(tmp_path: Path, extra: int) -> None:
    """A file that fills the first read is read to its end: the ref lies past it."""
    manifest = _tree(tmp_path)
    (tmp_path / "products" / "x").mkdir()
    tail = PRODUCT.format(name="x", ref="../../platform/fin/manifest.yaml").encode()
    body = b"#" * (CHUNK + extra - len(tail) - 1) + b"\n" + tail
    assert len(body) == CHUNK + extra
    (tmp_path / "products" / "x" / "floe.yaml").write_bytes(body)
    assert str(tmp_path / "products" / "x" / "floe.yaml") in _passed(tmp_path, manifest)


def test_a_file_over_the_load_limit_is_taken_unread(tmp_path: Path) -> None:
    """Its bytes are not read past the first read, so whether it names the manifest cannot be
    told: it is taken (its check reports why it cannot be read; tests/test_dependents_too_large.py),
    never passed by."""
    from floe_lint.load.reading import MAX_BYTES

    manifest = _tree(tmp_path)
    (tmp_path / "products" / "x").mkdir()
    tail = PRODUCT.format(name="x", ref="../../platform/fin/manifest.yaml").encode()
    (tmp_path / "products" / "x" / "floe.yaml").write_bytes(b"#" * MAX_BYTES + b"\n" + tail)
    assert str(tmp_path / "products" / "x" / "floe.yaml") in _passed(tmp_path, manifest)


def test_a_fifo_named_as_yaml_leaves_its_folder_to_the_per_file_test(tmp_path: Path) -> None:
    """The walk marks a folder holding a YAML name listed as neither a file nor a link (an
    empty set of links): its files are the caller's to read, as a link's folder's are."""
    (tmp_path / "x").mkdir()
    os.mkfifo(tmp_path / "x" / "a.yaml")
    (tmp_path / "x" / "b.yaml").write_text("a: 1\n", "utf-8")
    (tmp_path / "y").mkdir()
    (tmp_path / "y" / "c.yaml").write_text("a: 1\n", "utf-8")
    listed = {folder[1]: folder for folder in folder_files(tmp_path)}
    assert listed[str(tmp_path / "x") + os.sep][3:] == (["a.yaml", "b.yaml"], set())
    assert listed[str(tmp_path / "y") + os.sep][3:] == (["c.yaml"], None)
