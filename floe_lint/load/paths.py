"""How files are named to users: POSIX paths relative to a base, and source lines by path.

Resolving is cached because every finding, filter and reporter names its file.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from pathlib import Path, PurePath

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from floe_lint.load.document import SourceFile


def resolved(path: Path) -> Path:
    """`path.resolve()`, cached (a relative path together with the cwd it depends on)."""
    return _resolved_from(path, "" if path.is_absolute() else os.getcwd())


def _resolved_from(path: Path, cwd: str) -> Path:
    """`resolved`, `cwd` being the working directory ("" for an absolute `path`)."""
    known = _KNOWN.get(cwd)
    if known is not None and (key := known.get(os.fspath(path))) is not None:
        return _as_path(key)
    return _resolved(path, cwd)


#: keys a walk that met no symbolic link told (see `know`): per cwd ("" for an absolute path),
#: each path's text -> its key's text (strings, not `Path`s: this stays for every file of a
#: run, and a streamed run keeps nothing else of a file it released but these texts)
_KNOWN: dict[str, dict[str, str]] = {}


def order(path: Path) -> tuple[str, ...]:
    """What `sorted(paths, key=order)` compares each path by: its parts, name by name, which is
    what `Path`'s own `<` compares (on POSIX), taken once per path and compared in C, not one
    Python call per comparison (a run sorts its 1,000s of files' keys several times)."""
    return path.parts


def made(text: str) -> Path:
    """`Path(text)`, with what CPython 3.11's pathlib works out on first use (its text, parts,
    hash) worked out now, by pathlib's own formulas: each is a slot it fills on first use by
    catching the AttributeError of the empty slot, and a streamed run makes two `Path`s for
    every file it finds (its name and its key) and hashes, prints and sorts each, about 11,000
    exceptions an edited run at 1,000 products (6% of its instructions, issue 17). Another
    Python's pathlib (3.12 made it over) gets a plain `Path`."""
    path = Path(text)
    if _PRIMED:
        slots: Any = path  # (pathlib's private slots: not in its stubs)
        parts = slots._parts
        slots._str = slots._format_parsed_parts(slots._drv, slots._root, parts) or "."
        slots._pparts = tuple(parts)
        folded = slots._cached_cparts = slots._flavour.casefold_parts(parts)
        slots._hash = hash(tuple(folded))
    return path


#: whether `made` fills pathlib's lazy slots (those of CPython 3.11's `PurePath`)
_PRIMED = sys.version_info[:2] == (3, 11) and {
    "_drv",
    "_root",
    "_parts",
    "_str",
    "_hash",
    "_pparts",
    "_cached_cparts",
} <= set(getattr(PurePath, "__slots__", ()))


def beside(path: Path, name: str) -> str:
    """`str(path.parent / name)`, from `path`'s text on POSIX: a `Path` made so prints by
    catching the AttributeError of its empty slot (`made`), once per file checked again."""
    if os.sep != "/":  # pragma: no cover - Windows: drives and UNC names
        return str(path.parent / name)
    folder, slash, _ = os.fspath(path).rpartition("/")
    return f"{folder}/{name}" if slash else name


def know(path: Path | str, key: str, cwd: str) -> None:
    """Note `key` as what `path` (a `Path`, or its text as it prints) resolves to from `cwd`
    (no symbolic link on its way: a walk listed every folder of it), so that reports naming
    its findings resolve nothing."""
    text = os.fspath(path)
    _KNOWN.setdefault("" if isabs(text) else cwd, {})[text] = key


def isabs(text: str) -> bool:
    """`os.path.isabs(text)` for a path's text (on POSIX one test, not four calls: once per file
    found)."""
    return text.startswith("/") if os.sep == "/" else os.path.isabs(text)


def known_table(cwd: str) -> dict[str, str]:
    """What `know` noted from `cwd` ("" for absolute paths): path text -> key text."""
    return _KNOWN.setdefault(cwd, {})


def known(path: Path | str) -> str | None:
    """The text of `path`'s key, as `know` noted it (the same string object), if it did."""
    text = os.fspath(path)
    known = _KNOWN.get("" if isabs(text) else os.getcwd())
    return None if known is None else known.get(text)


@lru_cache(maxsize=4096)  # findings come file by file: their files' keys, built once each
def _as_path(key: str) -> Path:
    return made(key)


@cache
def _resolved(path: Path, cwd: str) -> Path:
    return real(path)


_LINK_ENTRIES = 65_536  # names remembered as symlink or not; then the memo starts over
_is_link: dict[str, bool] = {}


def forget_links() -> None:
    """Start the symlink memo over: a run sees the tree as it is when it starts."""
    _is_link.clear()
    _resolved.cache_clear()
    _as_path.cache_clear()
    _KNOWN.clear()


def real(path: Path) -> Path:
    """`path.resolve()` with each name's "is it a symlink?" remembered for the run: the paths
    of a tree share their folders, so resolving 10,000 refs costs a few hundred `lstat`s, not
    one per folder of each. A path through a symlink is resolved by `Path.resolve` itself."""
    if os.sep != "/":  # pragma: no cover - Windows: drives and UNC names
        return path.resolve()
    text = os.fspath(path)
    if not text.startswith("/"):
        text = os.getcwd() + "/" + text
    current = ""
    names = text.split("/")
    last = len(names) - 1
    for at, name in enumerate(names):
        if not name or name == ".":
            continue
        if name == "..":
            current = current.rsplit("/", 1)[0]
            continue
        candidate = current + "/" + name
        link = _is_link.get(candidate)
        if link is None:
            link = os.path.islink(candidate)
            if len(_is_link) >= _LINK_ENTRIES:
                _is_link.clear()
            if at < last:  # a folder, shared by the paths below it; a file's own name is not
                _is_link[candidate] = link  # remembered (once per file: memory, no time saved)
        if link:  # rare: the exact answer, loops included, is Path.resolve's
            return path.resolve()
        current = candidate
    return Path(current or "/")


_FETCHED: dict[Path, str] = {}


def name_fetched(path: Path, ref: str) -> None:
    """Show a fetched file (an OCI artifact in the cache) as the ref that named it."""
    _FETCHED[resolved(path)] = ref


def relative_posix(path: Path, base: Path | None = None) -> str:
    """`path` relative to `base` (default: the working directory), `..` included, POSIX form.

    A file fetched for an `oci://` ref is shown as that ref: its cache path means nothing to users.
    """
    cwd = os.getcwd()  # (once: every finding, filter and reporter names its file)
    target = _resolved_from(path, "" if path.is_absolute() else cwd)
    if _FETCHED and (fetched := _FETCHED.get(target)) is not None:
        return fetched
    return _relative(target, resolved(base if base is not None else _here(cwd)))


_HERES: dict[str, Path] = {}


def _here(cwd: str) -> Path:
    """The working directory `cwd` as a Path, one per directory (every finding is named from
    it)."""
    here = _HERES.get(cwd)
    if here is None:
        if len(_HERES) >= 64:  # (a long-lived process that changes directory often)
            _HERES.clear()
        here = _HERES[cwd] = Path(cwd)
    return here


@lru_cache(maxsize=4096)  # every finding, filter and reporter names its file
def _relative(target: Path, base: Path) -> str:
    if os.sep == "/":  # a file below `base` (most): what relpath gives, without its walk
        text, folder = str(target), str(base)
        prefix = folder if folder.endswith("/") else folder + "/"
        if len(text) > len(prefix) and text.startswith(prefix):
            return shown_name(text[len(prefix) :])
    try:
        return shown_name(Path(os.path.relpath(target, base)).as_posix())
    except ValueError:  # another drive on Windows
        return shown_name(target.as_posix())


def shown_name(name: str) -> str:
    r"""A file name as text every output can carry: bytes that are not UTF-8 (which Python
    keeps as lone surrogates, and which no UTF-8 writer accepts) are written `\xff`."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


def glob_match(relative: str, patterns: Iterable[str]) -> bool:
    """Whether a POSIX path relative to the config matches one of `patterns`.

    `*`, `?` and `[...]` match within one folder name and never cross `/`; a `**` between
    slashes matches any number of folders (`legacy/**`, `**/legacy/*`). A pattern without `/`
    also matches a file's base name (`*.prod.yaml` at any depth), and one ending in `/` or
    holding no wildcard also matches everything under the folder it names (`legacy`,
    `products/*/`). Matching is folder by folder: linear in the path, never backtracking.
    """
    from fnmatch import fnmatchcase

    parts = relative.split("/")
    for pattern in patterns:
        pattern = pattern.removeprefix("./")
        if "/" not in pattern and fnmatchcase(parts[-1], pattern):
            return True
        folder = pattern.endswith("/") or not any(c in pattern for c in "*?[")
        reached = _reached(pattern.rstrip("/").split("/"), parts)
        if len(parts) in reached or (folder and any(0 < at < len(parts) for at in reached)):
            return True
    return False


def _reached(pattern: list[str], parts: list[str]) -> set[int]:
    """How many leading names of `parts` the pattern's names can match, in every way."""
    from fnmatch import fnmatchcase

    reached = {0}
    for name in pattern:
        if name == "**":
            reached = set(range(min(reached), len(parts) + 1))
        else:
            reached = {at + 1 for at in reached if at < len(parts) and fnmatchcase(parts[at], name)}
        if not reached:
            break
    return reached


def _read_lines(path: Path) -> list[str]:
    from floe_lint.load.reading import read_regular

    try:
        return read_regular(path).decode("utf-8", errors="replace").splitlines()
    except OSError:
        return []


def lines_reader(files: Sequence[SourceFile]) -> Callable[[Path], list[str]]:
    """Source lines by path: from the loaded files, else read from disk (a regular file).

    A loaded file is never read again: one that could not be read (a FIFO, /proc/...) has no
    lines, and its content must not reach a report through a second read.
    """
    sources: dict[Path, SourceFile] = {}  # by resolved path, once lines are asked for
    split: dict[Path, list[str]] = {}  # each file's lines, split when first asked for

    def lines(path: Path) -> list[str]:
        key = resolved(path)
        if not sources:
            sources.update((resolved(s.path), s) for s in files)
        found = sources.get(key)
        if found is None:
            return _read_lines(path)
        if key not in split:
            split[key] = found.lines
        return split[key]

    return lines
