"""The console script ends a `check` or an `impact` with `os._exit` once nothing is left to do
at exit (floe_lint.launch.console): what it prints, writes and exits with is what `main` gives
with the interpreter's usual exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from tests.conftest import REPO

pytestmark = pytest.mark.xdist_group("test_launch_exit")  # its module fixture, built once
USUAL = (
    "import sys\nsys.argv[0] = 'floe-lint'\nfrom floe_lint.launch import main\nsys.exit(main())\n"
)
# os._exit is wrapped to say on fd 2 (after everything else) that it ended the process
CONSOLE = (
    "import os, sys\n"
    "sys.argv[0] = 'floe-lint'\n"
    "real = os._exit\n"
    "def ended(status):\n"
    "    os.write(2, b'<os._exit>')\n"
    "    real(status)\n"
    "os._exit = ended\n"
    "from floe_lint.launch import console\n"
    "console()\n"
)


def run(code: str, args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, env=env
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tree with findings and no oci:// ref, and its enterprise manifest as it was
    (`../before.yaml`: without snowflake)."""
    corpus = generate(tmp_path_factory.mktemp("exit") / "repo", products=20, seed=1)
    before = corpus.enterprise.read_text("utf-8").replace("snowflake", "spark")
    (corpus.root.parent / "before.yaml").write_text(before, "utf-8")
    return corpus.root


IMPACT = ["impact", "platform/enterprise/manifest.yaml", "--against", "../before.yaml"]


@pytest.mark.parametrize(
    ("args", "fast"),
    [
        (["check", "."], True),  # findings: exit 1
        (["check", "--format", "json", "platform"], True),  # through argparse
        (["check", "no/such/file.yaml"], True),  # a usage error: exit 2
        # its oci:// refs load the registry client (requests, logging, urllib3), whose
        # `atexit` callbacks get the usual exit
        (["check", str(REPO / "examples" / "broken")], False),
        (IMPACT, True),  # findings that disappear, none that appear: exit 0
        ([*IMPACT, "--format", "json"], True),
        (["rules"], False),  # not `check`: the collector is back on, the usual exit
        (["--version"], False),
    ],
)
@pytest.mark.parametrize("cached", [False, True])
def test_console_prints_and_exits_as_main_does(
    corpus: Path, args: list[str], fast: bool, cached: bool, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOE_LINT_")}
    env.update({"FLOE_LINT_CACHE_DIR": str(tmp_path)} if cached else {"FLOE_LINT_NO_CACHE": "1"})
    env["PYTHONPATH"] = str(REPO)
    for _ in range(2 if cached else 1):  # cached: the run that fills it, then one replayed
        usual = run(USUAL, args, corpus, env)
        code, out, err = run(CONSOLE, args, corpus, env)
        assert err.endswith("<os._exit>") is fast, err[-300:]
        assert (code, out, err.removesuffix("<os._exit>")) == usual
    if args == ["check", "."]:
        assert usual[0] == 1 and "ERROR" in usual[1]
    if args == IMPACT:
        assert (
            "findings that disappear: " in usual[1] and "findings that disappear: 0" not in usual[1]
        )


def test_a_report_written_to_a_file_is_whole(tmp_path: Path) -> None:
    env = {**os.environ, "FLOE_LINT_NO_CACHE": "1"}
    reports = []
    for code, name in ((USUAL, "usual.sarif"), (CONSOLE, "console.sarif")):
        args = ["check", "--format", "sarif", "-o", str(tmp_path / name), "examples/mesh"]
        status, _, _ = run(code, args, REPO, env)
        assert status == 0
        reports.append((tmp_path / name).read_text())
    assert reports[0] == reports[1] and reports[0].rstrip().endswith("}")


def test_an_impact_written_to_a_file_is_whole(corpus: Path, tmp_path: Path) -> None:
    env = {**os.environ, "FLOE_LINT_NO_CACHE": "1"}
    reports = []
    for code, name in ((USUAL, "usual.json"), (CONSOLE, "console.json")):
        args = [*IMPACT, "--format", "json", "-o", str(tmp_path / name)]
        status, _, err = run(code, args, corpus, env)
        assert err.endswith("<os._exit>") is (code is CONSOLE)
        reports.append((status, (tmp_path / name).read_text()))
    assert reports[0] == reports[1] and reports[0][1].rstrip().endswith("}")


def test_an_atexit_callback_gets_the_usual_exit(tmp_path: Path) -> None:
    code = CONSOLE.replace(
        "from floe_lint.launch import console\n",
        "import atexit\natexit.register(lambda: os.write(2, b'<atexit>'))\n"
        "from floe_lint.launch import console\n",
    )
    env = {**os.environ, "FLOE_LINT_NO_CACHE": "1"}
    status, _, err = run(code, ["check", "examples/mesh"], REPO, env)
    assert status == 0 and err.endswith("<atexit>") and "<os._exit>" not in err


@pytest.mark.parametrize("closed", [1, 2])
def test_a_closed_standard_stream_is_one_clear_error(closed: int) -> None:
    """`floe-lint check . >&-` ended in `internal error: AttributeError` (standard output
    closed) or a silent exit 1 that read as findings (standard error closed)."""
    status, shown = _run_closed(closed)
    assert status == 2
    if closed == 1:  # said on standard error
        assert shown == "floe-lint: error: standard output is closed: nothing can be shown\n"
    else:  # nothing can be said; nothing is printed as if it were a report either
        assert shown == ""


FLOE_LINT = str(Path(sys.executable).with_name("floe-lint"))  # the console script of this venv


def _run_closed(fd: int) -> tuple[int, str]:
    """The console script's exit status and what it wrote on the other stream, started with
    file descriptor `fd` (1 or 2) closed."""
    reader, writer = os.pipe()
    other = {"stderr": writer} if fd == 1 else {"stdout": writer}
    process = subprocess.Popen(
        [FLOE_LINT, "check", "examples/mesh"],
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        preexec_fn=lambda: os.close(fd),
        **other,  # type: ignore[arg-type]
    )
    os.close(writer)
    with os.fdopen(reader, encoding="utf-8") as shown:
        text = shown.read()
    return process.wait(), text
