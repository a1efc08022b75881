"""The floor of a sibling tree: list a tree and read its files as an exact dependents search
must, and nothing else, for issue 17's sibling budget (benchmarks/floors.py times it).

    python benchmarks/sibling_floor.py [TOP NEEDLE]

With no arguments it only starts and stops (the same interpreter and imports: its CPU is
subtracted from the loop's, so that the loop's cost is what a check pays for the tree).

An exact search for the files that name a changed manifest (floe_lint.model.dependents_scan's
first pass) must list every folder floe-lint's walk lists (hidden folders and SKIP_DIRS left
out, links to folders not followed) and read every YAML file, and every JSON file that
declares Floe's API version, to look for the manifest's name. The loop does that with the
first pass's own three system calls a file (an open that follows no link and cannot block,
one read of up to 64 KB, a close) and one `find` of the needle in the bytes read; no sort, no
name built twice, nothing kept.
"""

import os
import sys

CHUNK = 1 << 16
SKIP_DIRS = frozenset(
    {"node_modules", "target", "dbt_packages", "__pycache__", "venv", "site-packages"}
)
_JSON_MARKER = b'"floe.dev/v1"'
_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOFOLLOW", 0)
)


def loop(top: str, needle: bytes) -> tuple[int, int]:
    """List `top` and read its files; (files read, files holding `needle`)."""
    opening, reading, closing, scandir = os.open, os.read, os.close, os.scandir
    stack = [os.path.join(top, "")]
    read = holding = 0
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
                    continue
                json = name.endswith(".json")
                if not (json or name.endswith((".yaml", ".yml"))):
                    continue
                try:
                    fd = opening(folder + name, _FLAGS)
                except OSError:
                    continue
                try:
                    raw = reading(fd, CHUNK)
                except OSError:
                    continue
                finally:
                    closing(fd)
                if json and _JSON_MARKER not in raw[:4096]:
                    continue
                read += 1
                if raw.find(needle) >= 0:
                    holding += 1
    return read, holding


def main() -> int:
    if len(sys.argv) == 3:
        read, _ = loop(sys.argv[1], sys.argv[2].encode())
        if not read:
            sys.stderr.write("sibling_floor: no file read\n")
            return 3
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)
