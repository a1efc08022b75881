"""The floor of an edited run: what any result cache keyed by content must do before it checks
anything, for issue 17's "one domain edited" budget (benchmarks/floors.py times it).

    python benchmarks/edit_floor.py record MODULES -- check ROOT   (a real run, its imports noted)
    python benchmarks/edit_floor.py imports MODULES                (start-up and imports only)
    python benchmarks/edit_floor.py read MODULES ROOT              (+ walk, read every file)
    python benchmarks/edit_floor.py floor MODULES ROOT CACHE       (+ hash each, decode the store)

`record` runs floe-lint's console entry point (`floe_lint.launch.main`) in this process and
writes the name of every module in `sys.modules` afterwards, in the order their imports began
(a finder asked first notes each name): `sys.modules` keeps the order they ended in, a package
after the modules it imports, and importing them in that order would run a module before the
one the run imports ahead of it (PyYAML's `yaml.reader` before `floe_lint.load.pyyaml`, whose
seed saves the run compiling PyYAML's NON_PRINTABLE pattern: 53 M instructions, 3 ms, that the
floor paid and the run does not). The other modes
start as the console script does (the collector off, pathlib without urllib.parse, floe-lint's
modules served by its code bundle), import those modules, do their part and end as it does
(`gc.freeze`, `os._exit`): the floor pays what floe-lint pays to start and stop, no more.

It must never do more than an exact replay must (that would overstate what is out of reach):
the walk lists the folders floe-lint's walk lists (hidden folders and SKIP_DIRS left out,
links to folders not followed) without sorting or naming anything twice; a file is read with
three system calls (open, a read of up to 64 KB, close: no fstat), more reads only past that;
the store is decoded with one `json.loads` of its bytes. It must not do less either: every YAML
file and every JSON file that declares Floe's API version is read and hashed
(`floe_lint.load.digests.digest`, the cache's own hash), as an exact cache must.
"""

import os
import sys

CHUNK = 1 << 16
#: the load limit (`floe_lint.load.reading.MAX_BYTES`, set once started)
LIMIT = 5 * 1024 * 1024


def start(modules: str) -> int:
    """Start as `floe_lint.launch.main` does and import the recorded modules; the number that
    could not be imported (none, when the list comes from this environment)."""
    import gc

    gc.disable()
    from floe_lint import launch

    launch._import_pathlib()
    from floe_lint import code_bundle

    code_bundle.install()
    with open(modules, encoding="utf-8") as listing:
        names = listing.read().split()
    failed = 0
    for name in names:
        if name in sys.modules or name == "__main__":
            continue
        try:
            __import__(name)
        except Exception:
            failed += 1
    return failed


def files(top: str) -> list[str]:
    """The files floe-lint's walk finds under `top` (`floe_lint.load.walk`), by a bare loop."""
    from floe_lint.load.walk import SKIP_DIRS, declares_floe

    found: list[str] = []
    stack = [os.path.join(top, "")]
    scandir = os.scandir
    while stack:
        folder = stack.pop()
        try:
            entries = scandir(folder)
        except OSError:
            continue
        with entries:
            for entry in entries:
                name = entry.name
                if entry.is_dir(follow_symlinks=False):
                    if name[0] != "." and name not in SKIP_DIRS:
                        stack.append(folder + name + "/")
                elif name.endswith((".yaml", ".yml")) or (
                    name.endswith(".json") and declares_floe(folder + name)
                ):
                    found.append(folder + name)
    return found


_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def read(path: str) -> bytes | None:
    """The file's bytes, at most the load limit: open, read, close."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError:
        return None
    try:
        raw = os.read(fd, CHUNK)
        if len(raw) == CHUNK:
            parts = [raw]
            size = len(raw)
            while size <= LIMIT:
                more = os.read(fd, CHUNK)
                if not more:
                    break
                parts.append(more)
                size += len(more)
            raw = b"".join(parts) if size <= LIMIT else b""
        return raw
    except OSError:
        return None
    finally:
        os.close(fd)


def store(cache: str) -> object:
    """The result store a run of that cache folder decodes (the newest `results-KEY.json`; not
    a whole-run record, `results-run-KEY.json`, nor kept parses, `results-KEY.parses`)."""
    import json

    stores = [
        e
        for e in os.scandir(cache)
        if e.name.startswith("results-")
        and e.name.endswith(".json")
        and not e.name.startswith("results-run-")
    ]
    if not stores:
        raise SystemExit(f"no result store in {cache}")
    newest = max(stores, key=lambda e: e.stat().st_mtime_ns)
    raw = read(newest.path)
    return json.loads(raw or b"{}")


class Begun:
    """A finder, first on `sys.meta_path`, that finds nothing and notes each module asked for:
    the order the imports of a run began in."""

    def __init__(self) -> None:
        self.names = list(sys.modules)  # (the interpreter's own, imported before)

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        self.names.append(name)

    def first(self) -> None:
        """Put it first again (floe-lint's code bundle puts its finder first)."""
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        sys.meta_path.insert(0, self)


def record(modules: str) -> int:
    """Run floe-lint with `sys.argv`; write the modules it imported, in the order begun."""
    begun = Begun()
    begun.first()
    from floe_lint import code_bundle

    install = code_bundle.install

    def install_then_first(*args: object, **kwargs: object) -> object:
        found = install(*args, **kwargs)  # type: ignore[arg-type]
        begun.first()
        return found

    code_bundle.install = install_then_first  # type: ignore[assignment]
    from floe_lint.launch import main as launch

    status = launch()
    sys.meta_path.remove(begun)
    names = dict.fromkeys(name for name in begun.names if name in sys.modules)
    names.update(dict.fromkeys(sys.modules))  # (any not asked for through a finder)
    with open(modules, "w", encoding="utf-8") as out:
        out.write("".join(f"{name}\n" for name in names))
    return status


def main(argv: list[str]) -> int:
    mode, modules = argv[0], argv[1]
    if mode == "record":
        sys.argv = ["floe-lint", *argv[3:]]  # (argv[2] is "--")
        return record(modules)
    failed = start(modules)
    if failed:
        sys.stderr.write(f"edit_floor: {failed} recorded modules could not be imported\n")
        return 3
    if mode in ("read", "floor"):
        global LIMIT
        hashing = mode == "floor"
        from floe_lint.load.digests import digest
        from floe_lint.load.reading import MAX_BYTES

        LIMIT = MAX_BYTES

        count = 0
        for path in files(argv[2]):
            raw = read(path)
            if raw is not None:
                count += 1
                if hashing:
                    digest(raw)
        if hashing:
            store(argv[3])
        if not count:
            sys.stderr.write("edit_floor: no file read\n")
            return 3
    elif mode != "imports":
        sys.stderr.write(f"edit_floor: unknown mode {mode!r}\n")
        return 2
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    if code in (0, 1) and sys.argv[1] != "record":
        import gc

        sys.stdout.flush()
        sys.stderr.flush()
        gc.freeze()
        os._exit(code)
    sys.exit(code)
