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

import gc
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

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


def test_a_refused_registry_keeps_no_frame_of_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The OCI client's request runs in a thread (`Client._within_budget`); the error it hands
    back was raised from a frame that held it (frame -> error -> traceback -> frame), a cycle
    only the collector frees, which `check` pauses: every frame of the run, up to
    `Stream.run` and its parse workers, stayed alive until the process ended."""
    write_files(
        tmp_path,
        {
            "p/floe.yaml": 'name: p\nplatform: {ref: "oci://127.0.0.1:9/floe/platform:1"}\n'
            "transforms:\n  - {type: dbt, path: models/a/, compute: duckdb}\n"
        },
    )
    monkeypatch.chdir(tmp_path)
    enabled = gc.isenabled()
    gc.collect()  # what earlier tests left in cycles is not this run's
    gc.disable()  # as floe_lint.launch runs `check`
    try:
        run = run_cli("check", "p")
        kept = {
            (o.f_code.co_filename.rsplit("/", 1)[-1], o.f_code.co_name)
            for o in gc.get_objects()
            if isinstance(o, types.FrameType)
        }
    finally:
        if enabled:
            gc.enable()
    assert run.code == 1
    assert run.stdout.startswith(
        "p/floe.yaml:2:17: ERROR FL301 [unresolved-ref] cannot resolve platform.ref "
        "'oci://127.0.0.1:9/floe/platform:1': registry https://127.0.0.1:9 is unreachable"
    ), run.stdout
    assert not kept & {("stream.py", "run"), ("engine.py", "run"), ("hierarchy.py", "_follow")}
