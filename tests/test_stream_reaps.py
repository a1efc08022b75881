"""A streamed check that parses in forked workers (floe_lint.load.bulk._forked) reaps every
worker before it returns, whatever else keeps the run's frames alive.

Found by the red-team pass: `Stream.run` returned without closing its loader and left it to be
finalized with the run's frame. Anything that keeps a traceback keeps that frame (a rule that
remembers an exception; the OCI client's failed request, whose exception sits in a reference
cycle that the console script's paused collector never frees: `check` of a copy of
examples/broken with `--jobs 3`), so the forked workers stayed zombies until the process ended,
and for good in a container whose first process reaps nothing. The output is what one process
prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_files

#: a rule-folder rule that remembers the last exception it met (a cache of failed lookups
#: does): its traceback keeps the frames that called it
REMEMBERS = '''
"""A product's name is looked up in a house registry that is not there.

Why: shows that a rule which keeps an exception keeps the run's frames.
"""

ID, NAME, SEVERITY, SUBJECT = "ACME7", "acme-registry", "warning", "product"
FAILED = []


def check(doc, ctx):
    try:
        raise LookupError("no house registry")
    except LookupError as error:
        FAILED.append(error)
    return [ctx.finding(doc, "/name", "product name is not in the house registry")]
'''

PRODUCT = """\
name: p{n}
platform: {{ref: ../manifest.yaml}}
transforms:
  - {{type: dbt, path: models/a/, compute: duckdb}}
"""


#: runs `check` as the console script does (collector paused), then says which of its children
#: ended without being waited for
RUN = """
import gc, io, os, sys
gc.disable()
from floe_lint.cli import main
out, err = io.StringIO(), io.StringIO()
code = main(sys.argv[1:], out, err)
left = []
while True:
    try:
        pid, _ = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        break
    if pid == 0:
        break
    left.append(pid)
sys.stdout.write(f"{code}\\n{left}\\n{out.getvalue()}")
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked on Linux only")
def test_streamed_check_reaps_its_workers(tmp_path: Path) -> None:
    files = {
        "rules/registry.py": REMEMBERS,
        ".floe-lint.yaml": "rule-folders: [rules]\n",
        "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
    }
    files.update({f"p{n}/floe.yaml": PRODUCT.format(n=n) for n in range(4)})
    write_files(tmp_path, files)
    forked, alone = (_check(tmp_path, jobs) for jobs in ("3", "1"))
    assert forked[:2] == ("0", "[]")
    assert forked[2] == alone[2]
    assert forked[2].startswith(
        "p0/floe.yaml:1:7: WARNING ACME7 [acme-registry] product name is not in the house "
        "registry\n"
    ), forked


def _check(tree: Path, jobs: str) -> tuple[str, str, str]:
    """`RUN`'s exit status, unreaped children and output for `check` of the four products."""
    done = subprocess.run(
        [sys.executable, "-c", RUN, "check", "p0", "p1", "p2", "p3", "--jobs", jobs],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    code, left, out = done.stdout.split("\n", 2)
    return code, left, out
