"""The console script imports pathlib without urllib.parse (floe_lint.launch._import_pathlib):
everything that pathlib and urllib.parse do afterwards is what they do when imported as usual.

The probes run with `python -S`: an editable install's import finder (a .pth file, as this
test environment has) imports pathlib before anything else; a regular install, as pre-commit
makes, does not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import REPO

PROBE = """
import json, sys
from floe_lint.launch import _import_pathlib
_import_pathlib()
lean = "urllib.parse" not in sys.modules and "ipaddress" not in sys.modules
from pathlib import Path, PurePosixPath, PureWindowsPath
paths = json.loads(sys.argv[1])
uris = [Path(p).as_uri() for p in paths]
uris += [PurePosixPath(p).as_uri() for p in paths]
uris += [PureWindowsPath("c:" + p).as_uri() for p in paths]
import urllib.parse
real = urllib.parse.urlsplit("https://h:5000/x?q=1").port == 5000
print(json.dumps([lean, real, type(urllib.parse).__name__, uris]))
"""


#: the interpreter without site-packages, and floe_lint.launch from this checkout
BARE = [sys.executable, "-S"]
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def lean_uris(paths: list[str]) -> list[object]:
    result = subprocess.run(
        [*BARE, "-c", PROBE, json.dumps(paths)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env=ENV,
    )
    answer: list[object] = json.loads(result.stdout)
    return answer


def usual_uris(paths: list[str]) -> list[str]:
    from pathlib import PurePosixPath, PureWindowsPath

    uris = [Path(p).as_uri() for p in paths]
    uris += [PurePosixPath(p).as_uri() for p in paths]
    return uris + [PureWindowsPath("c:" + p).as_uri() for p in paths]


names = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0/"), min_size=1)


@settings(max_examples=10, deadline=None)
@given(st.lists(st.lists(names, min_size=1, max_size=4).map("/".join), min_size=1, max_size=8))
def test_as_uri_is_the_same_without_urllib_at_import(parts: list[str]) -> None:
    """Path.as_uri, the one user of what pathlib takes from urllib.parse, quotes as usual
    (spaces, percent signs, non-ASCII); afterwards urllib.parse is the real module."""
    paths = ["/" + p for p in parts]
    lean, real, kind, uris = lean_uris(paths)
    assert lean is True  # pathlib came without urllib.parse and ipaddress
    assert real is True and kind == "module"
    assert uris == usual_uris(paths)


def test_a_pathlib_that_needs_more_of_urllib_is_imported_as_usual(tmp_path: Path) -> None:
    """A pathlib (another Python's) that takes something else from urllib.parse does not meet
    the stand-in's missing names: it is imported again with the real module."""
    (tmp_path / "pathlib.py").write_text(
        "from urllib.parse import quote_from_bytes, urlsplit\n"
        "def as_uri(p):\n    return 'file://' + quote_from_bytes(p.encode())\n"
    )
    probe = (
        "import sys\nsys.path.insert(0, sys.argv[2])\n"
        "from floe_lint.launch import _import_pathlib\n_import_pathlib()\n"
        "import pathlib, urllib.parse\n"
        "assert pathlib.__file__.startswith(sys.argv[2]), pathlib.__file__\n"
        "assert pathlib.urlsplit is urllib.parse.urlsplit\n"
        "print(pathlib.as_uri('/a b'))\n"
    )
    result = subprocess.run(
        [*BARE, "-c", probe, "[]", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "file:///a%20b\n"
