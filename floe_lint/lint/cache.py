"""Results across runs, as ruff keeps them: a file whose inputs did not change is not checked again.

What a file's subjects (the file, its documents, its product or manifest) found is stored with
the content hash of every file it depended on: itself, each manifest of its hierarchy, its
per-environment files and its folder's floe.lock. A later run replays those findings when every
one of those hashes, the run's key and the set of files checked are the same; anything else is
checked again. The run's key covers floe-lint's version (and its installed files), Python's
version and the files of PyYAML and jsonschema, the effective config, the rule selection, the
installed rule and compute plugins (with a third-party plugin's own files), the refs given, the
working directory and the environment. A manifest's rules may consult the whole run (which products
name it), so a manifest is replayed only when no file of the run changed. An `oci://` ref of the
hierarchy is keyed by the digest the run's fetcher resolves it to (see `replay.OciKey`), so a
moved tag re-checks the files that reach it; a file whose hierarchy has an unresolved ref or a
ref cycle is always checked again (a missing file may have appeared). Suppressions, the
baseline and every report are applied after the replay, on every run, so a replayed run prints
exactly what a cold one does. A file checked again with the same content also keeps its parse
in its entry (`floe_lint.lint.parsed`).

The store is JSON (never pickle: repository content is hostile), one file per run key in
`FLOE_LINT_CACHE_DIR` (default: `$XDG_CACHE_HOME/floe-lint`, else `~/.cache/floe-lint`), outside
the checkout, written atomically (`safe_write`) and only when its content changed, so concurrent
runs each see a whole store; the folder is kept under `MAX_BYTES` by dropping the stores used
least recently (a store's time of use is noted at most once an hour: `touch`). `--no-cache` or
`FLOE_LINT_NO_CACHE=1` turn it off; `floe-lint cache clean` empties it.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from heapq import merge
from pathlib import Path

from floe_lint.errors import suppressed
from floe_lint.findings import Edit, Finding, Fix, Location, Related, Span
from floe_lint.lint.installed_files import stat_files as _stat_files
from floe_lint.lint.lines import Lines, sealed
from floe_lint.lint.places import Places
from floe_lint.load.digests import digest as digest
from floe_lint.load.paths import made

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeGuard

CACHE_ENV = "FLOE_LINT_CACHE_DIR"
DISABLE_ENV = "FLOE_LINT_NO_CACHE"
STORE_VERSION = 7  # (7: store lines and kept parses summed by CRC-32: floe_lint.lint.lines)
MAX_BYTES = 256 * 1024 * 1024  # the whole folder; the stores used least recently go first
MAX_STORE_BYTES = 128 * 1024 * 1024  # one store larger than this is not read
_PREFIX = "results-"
#: the environment of a shell that changes between runs without changing any finding
_VOLATILE_ENV = ("PWD", "OLDPWD", "SHLVL", "_", "COLUMNS", "LINES", "TERM", "PS1", "PS2")
_VOLATILE_PREFIXES = ("PYTEST_", "HIST", "SSH_", "TMUX", "WINDOW", "LS_COLORS", "COV_CORE")
#: the fields a stored finding has; a field added to Finding turns the cache off until the
#: codec below stores it too, so no finding ever loses part of itself in a replay
_FINDING_FIELDS = (
    "rule_id",
    "name",
    "severity",
    "message",
    "location",
    "related",
    "sensitive",
    "extra",
    "fix",
)


def directory(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if environ.get(CACHE_ENV):
        return Path(environ[CACHE_ENV])
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "floe-lint"


def checkout_holding(
    folder: Path, paths: Iterable[Path], cwd: Path, workspace: Path | None = None
) -> Path | None:
    """The checkout that holds `folder`, if any: the git work tree of the working directory or
    of a path given (a file's too), a folder given, or the run's `workspace` (the tree it walks
    and searches: outside git, the config's folder or the working directory, which a tarball's
    CI job may hold its cache in). Results there could be planted by what is linted (a pull
    request's files), so a run does not use a cache folder inside one."""
    from floe_lint.load.root import git_root

    target = os.path.realpath(folder)
    given = list(paths)
    tops = [cwd, *(p for p in given if p.is_dir())]
    roots = [git_root(top) for top in [*tops, *(p.parent for p in given if not p.is_dir())]]
    trees = [*(r for r in roots if r is not None), *tops[1:]]
    for top in trees if workspace is None else [*trees, workspace]:
        root = os.path.realpath(top)
        if target == root or target.startswith(root.rstrip(os.sep) + os.sep):
            return Path(root)
    return None


def shared_with_others(folder: Path) -> str | None:
    """Why another user could plant results in `folder` (it is theirs, every user may write to
    it, or a group that is not the user's own may), None when it is the user's own or not there
    yet (a run makes it, as its own). A folder its owner's own group may write to is the user's
    (umask 002, one group per user)."""
    if not hasattr(os, "geteuid"):
        return None
    try:
        info = os.stat(folder)
    except OSError:
        return None
    mode = info.st_mode & 0o7777
    if info.st_uid != os.geteuid():
        return f"is owned by another user (uid {info.st_uid})"
    if mode & 0o002 or (mode & 0o020 and info.st_gid != os.getegid()):
        return f"can be written by other users (mode {mode:o})"
    return None


def enabled(no_cache: bool, environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    if no_cache or environ.get(DISABLE_ENV, "") not in ("", "0"):
        return False
    return Finding.FIELDS == _FINDING_FIELDS


_MEMO: dict[str, list[Any]] = {}


def forget() -> None:
    """A new `check`: list floe-lint's files and the plugins again when next asked."""
    _MEMO.clear()


def _installation() -> list[Any]:
    """floe-lint's own files (a development checkout changes them without a new version);
    listed once per `check` (see `forget`), like the plugins."""
    if "installation" not in _MEMO:
        _MEMO["installation"] = _list_installation()
    return _MEMO["installation"]


def _list_installation() -> list[Any]:
    import floe_lint

    seen: list[Any] = [floe_lint.__version__, sys.version]
    roots = [Path(floe_lint.__file__).parent]
    for package in ("floe_lint.rules", "floe_lint.plugins", "floe_lint.schemas"):
        module = __import__(package, fromlist=["_"])
        # an editable install maps them to the checkout's rules/, plugins/ and schemas/
        roots.extend(Path(p) for p in module.__path__ if not Path(p).is_relative_to(roots[0]))
    # and the libraries a finding depends on: how a file reads (PyYAML, with or without
    # libyaml) and what a schema finding says (jsonschema); an upgrade re-checks everything
    roots.extend(_package_files(name) for name in _LIBRARIES)
    for root in roots:
        _stat_files(root, seen)
    return seen


#: the libraries whose files are part of the run's key (see `_list_installation`)
_LIBRARIES = ("yaml", "jsonschema")


def _package_files(name: str) -> Path:
    """The folder of the top-level package `name` (its file for a module), found without
    importing it; a package that is not installed is keyed as such."""
    try:
        spec = _find_spec(name)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        return Path(f"<{name}: not installed>")
    origin = Path(spec.origin)
    return origin.parent if spec.submodule_search_locations else origin


def _find_spec(name: str) -> Any:
    """`importlib.util.find_spec` of a top-level name, without importing importlib.util (and the
    contextlib it imports: 0.5 ms of a cached pre-commit hook's start-up): an imported module's
    spec, else the first that a finder of `sys.meta_path` gives."""
    if name in sys.modules:
        module = sys.modules[name]
        if module is None:
            return None
        spec = getattr(module, "__spec__", None)
        if spec is None:
            raise ValueError(f"{name}.__spec__ is None")
        return spec
    for finder in sys.meta_path:
        find = getattr(finder, "find_spec", None)
        spec = find(name, None) if find is not None else None
        if spec is not None:
            return spec
    return None


def _plugins() -> list[Any]:
    if "plugins" not in _MEMO:
        _MEMO["plugins"] = _list_plugins()
    return _MEMO["plugins"]


def _list_plugins() -> list[Any]:
    from floe_lint.entry_points import installed

    found: list[Any] = []
    for group in ("floe_lint.rules", "floe_lint.compute"):
        for entry in installed(group):
            dist = entry.dist
            found.append([group, entry.name, entry.value, dist.version if dist else None])
            top = entry.value.partition(":")[0].partition(".")[0].strip()
            if top and top != "floe_lint":  # a plugin's own files: an edit re-checks
                _stat_files(_package_files(top), found)
    return found


def run_key(material: Iterable[Any], environ: Mapping[str, str] | None = None) -> str:
    """The key of everything but the files: version, config, rules, plugins, environment."""
    environ = os.environ if environ is None else environ
    env = sorted(
        (k, v)
        for k, v in environ.items()
        if k not in _VOLATILE_ENV and not k.startswith(_VOLATILE_PREFIXES)
    )
    parts = [STORE_VERSION, _installation(), _plugins(), os.getcwd(), env, list(material)]
    return digest(json.dumps(parts, sort_keys=True, default=str).encode())


# -- findings as JSON ------------------------------------------------------------------------


def _span(span: Span) -> list[int]:
    return [span.start_line, span.start_col, span.end_line, span.end_col]


def _location(location: Location) -> list[Any]:
    return [str(location.path), _span(location.span), location.pointer]


def encode(finding: Finding) -> dict[str, Any]:
    fix = finding.fix
    return {
        "r": finding.rule_id,
        "n": finding.name,
        "s": finding.severity,
        "m": finding.message,
        "l": _location(finding.location),
        "rel": [[_location(r.location), r.message] for r in finding.related],
        "sen": finding.sensitive,
        "x": dict(finding.extra),
        "fix": None
        if fix is None
        else [
            fix.applicability,
            fix.title,
            [[str(e.path), _span(e.span), e.text] for e in fix.edits],
        ],
    }


def _loc(data: list[Any], paths: dict[str, Path]) -> Location:
    return Location(_path(data[0], paths), Span(*data[1]), data[2])


def _path(text: str, paths: dict[str, Path]) -> Path:
    """`made(text)`, one per text of the findings decoded together (`paths`): they name a few
    files, and a `Path` per place (about 400 bytes) was kept to a replayed run's end."""
    path = paths.get(text)
    if path is None:
        path = paths[text] = made(text)
    return path


def well_formed(entry: object) -> TypeGuard[dict[str, Any]]:
    """Whether a stored entry's parts are of the types a run writes (a corrupted or planted
    store, `"f": 5`, stopped the run with an internal error)."""
    return stored_findings(entry) is not None


def stored_findings(entry: object) -> list[Finding] | None:
    """An entry's findings, decoded, if its parts are of the types a run writes, else None: a
    replay keeps these, not their JSON (about twice the `Finding`s, issue 17)."""
    if not isinstance(entry, dict):
        return None
    found, deps, oci = entry.get("f", ()), entry.get("deps", {}), entry.get("oci", {})
    if not (
        isinstance(found, list | tuple)
        and isinstance(deps, dict)
        and isinstance(oci, dict)
        and isinstance(entry.get("reach", ()), list | tuple)
        and isinstance(entry.get("links", ()), list | tuple)
        and isinstance(entry.get("strict", ()), list | tuple)
    ):
        return None
    return decoded(found)


def decoded(stored: Iterable[object]) -> list[Finding] | None:
    """The stored findings, None when one is not of the shape a run writes (a store corrupted
    at a byte, `"sen"` spelled otherwise, stopped the run with an internal error)."""
    paths: dict[str, Path] = {}
    try:
        return [decode(finding, paths) for finding in stored]  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None


def decode(data: dict[str, Any], paths: dict[str, Path] | None = None) -> Finding:
    """A stored finding; `paths`: the `Path`s of those decoded with it, by text (`_path`)."""
    paths, fix = {} if paths is None else paths, data["fix"]
    return Finding(
        data["r"],
        data["n"],
        data["s"],
        data["m"],
        _loc(data["l"], paths),
        tuple(Related(_loc(location, paths), message) for location, message in data["rel"]),
        bool(data["sen"]),
        {str(k): str(v) for k, v in data["x"].items()},
        None
        if fix is None
        else Fix(fix[0], fix[1], tuple(Edit(_path(p, paths), Span(*s), t) for p, s, t in fix[2])),
    )


# -- the store -------------------------------------------------------------------------------


class Store:
    """The stored results of one run key: entries by file (its resolved path).

    The file is one JSON document with each entry on a line of its own (`_HEAD`, then
    `"key":{entry}` lines joined by `,`, then `_TAIL`), by key. A run notes where each line
    lies and reads an entry when it asks for it (floe_lint.lint.lines: the store is never held
    whole), and writes the lines of the entries it replayed as it read them (`AS_READ`),
    encoding only the entries it made."""

    def __init__(self, folder: Path, key: str):
        self.folder = folder
        self.path = folder / f"{_PREFIX}{key}.json"
        self.entries: Lines = _NO_LINES
        #: the entries the store is written with, by key: made by this run, or `AS_READ`
        self.written: dict[str, dict[str, Any]] = {}

    def load(self) -> None:
        lines = Lines.open(str(self.path), _HEAD.encode(), _TAIL.encode(), MAX_STORE_BYTES)
        if lines is None:
            return  # no store yet, or one that is not ours: start over
        self.entries = lines
        touch(self.path)  # used: the last to be dropped when the folder is trimmed

    def entry(self, key: str) -> dict[str, Any] | None:
        """The entry the store is written with for `key` (read again for one `AS_READ`)."""
        entry = self.written.get(key)
        return self.entries.get(key) if entry is AS_READ else entry

    def save(self, made: Iterable[tuple[str, str]] | None = None) -> None:
        """Write the store, unless it would be the text it was read as: a run whose entries
        are those it read (however many it checked again) writes nothing to disk. `made`: the
        lines of entries made as text, by key, none of them `written` (floe_lint.lint.spill:
        files checked, so the store is written)."""
        from floe_lint.safe_write import write_chunks

        if made is None and self.entries and self.entries.same(self._chunks()):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_chunks(self.path, self._chunks(made or ()))
        except OSError:
            return  # a read-only home or a full disk: the run's output is unaffected
        trim(self.folder)

    def _chunks(self, made: Iterable[tuple[str, str]] = ()) -> Iterator[bytes]:
        """The store's bytes, an entry a line, made as they are written (at 10,000 products
        the lines joined, and that text as bytes, were a fifth of a first run's peak memory),
        `CHUNK_BYTES` a chunk; `made`: see `save`."""
        yield _HEAD.encode()
        # by key: the same store whatever order the run loaded its files in (a run that
        # releases files loads a product's manifests when it first reaches them)
        entries = self.written  # (its keys sorted: no tuple per entry)
        written = ((key, self._line(key, entries[key])) for key in sorted(entries))
        batch: list[bytes] = []  # (after the first chunk, starting with b"": its separator)
        size = 0
        for _, line in merge(written, made, key=_first):
            if line is None:
                continue  # (replayed, and its line not read again: its file is checked again)
            batch.append(line if isinstance(line, bytes) else line.encode("utf-8"))
            size += len(batch[-1])
            if size >= CHUNK_BYTES:
                yield b",\n".join(batch)
                batch, size = [b""], 0
        yield b",\n".join(batch) + b"\n" + _TAIL.encode()

    def _line(self, key: str, entry: dict[str, Any]) -> bytes | None:
        """An entry's line: as read, for an entry replayed (`AS_READ`)."""
        if entry is AS_READ:
            return self.entries.as_read(key)
        return entry_line(key, entry).encode("utf-8")

    def close(self) -> None:
        """Close the store's file (the run is over: no entry is read again)."""
        self.entries.close()


#: lines are written about this many bytes at a time (a chunk per line cost a generator step,
#: an encode and a write call each: 1,000 of them per 1,000 files)
CHUNK_BYTES = 32768
#: what `Store.written` holds for an entry replayed: its line is written as it was read
AS_READ: dict[str, Any] = {}
_NO_LINES = Lines(None, Places().frozen(), 0)


def _first(pair: tuple[str, object]) -> str:
    return pair[0]


_HEAD = f'{{"version":{STORE_VERSION},"entries":{{\n'
_TAIL = "}}"
#: a store's (or whole run's) time says when it was last used, for `trim`; it is noted again
#: only when older than this, so a run that replays everything writes nothing to disk
TOUCH_AFTER_NS = 3600 * 10**9


def touch(path: Path) -> None:
    """Note that the file at `path` was used now, unless it was within `TOUCH_AFTER_NS`."""
    import time

    with suppressed(OSError):
        if time.time_ns() - os.stat(path).st_mtime_ns > TOUCH_AFTER_NS:
            os.utime(path)


def _encoded_key(key: str) -> str:
    """`json.dumps(key) + ":"`, without the encoder for a key it would write as it is."""
    if key.isascii() and key.isprintable() and '"' not in key and "\\" not in key:
        return f'"{key}":'
    return json.dumps(key) + ":"


def entry_line(key: str, entry: dict[str, Any]) -> str:
    """An entry's line of the store (`"key":{entry}`, sealed: `floe_lint.lint.lines.sealed`)."""
    return sealed(_encoded_key(key) + json.dumps(entry, separators=(",", ":")))


def trim(folder: Path, limit: int = MAX_BYTES) -> None:
    """Drop the stores used least recently until the folder holds at most `limit` bytes."""
    stores = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith(_PREFIX) and entry.is_file(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    stores.append((info.st_mtime_ns, info.st_size, entry.path))
    except OSError:
        return
    total = sum(size for _, size, _ in stores)
    for _, size, path in sorted(stores):
        if total <= limit:
            break
        try:
            os.unlink(path)
        except OSError:
            continue
        total -= size


def clean(folder: Path) -> int:
    """Remove every store (and nothing else) from `folder`; how many were removed."""
    removed = 0
    try:
        with os.scandir(folder) as entries:
            names = [
                e.path
                for e in entries
                if e.name.startswith(_PREFIX) and e.is_file(follow_symlinks=False)
            ]
    except FileNotFoundError:
        return 0
    for path in names:
        try:
            os.unlink(path)
            removed += 1
        except FileNotFoundError:
            continue
    return removed
