"""The installs the README and docs/ document work today, run as written: every pip line
(from a git URL at a commit), and pre-commit with `rev:` set to a commit. Nothing is on PyPI
and there are no tags, so no page may name a version or tag.

GitHub is not reachable from the tests, so the URL of this repository is replaced by that of
a local git server holding the working tree as one commit; the rest of each command is as
written.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, clean_checkout, write_files

# one xdist worker runs this module: its git server is built once (scripts/test, --dist loadgroup)
pytestmark = pytest.mark.xdist_group("test_install_docs")

README = (REPO / "README.md").read_text("utf-8")
# The repository's URL is written once, in pyproject.toml; every page names the same one.
URL = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["urls"]["Homepage"]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "floe-lint tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "floe-lint tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
}


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **GIT_ENV},
    )
    return done.stdout.strip()


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(the URL of a git repository holding this working tree as one commit, served over
    git's "dumb" HTTP protocol on 127.0.0.1, the commit's full SHA)."""
    root = tmp_path_factory.mktemp("git-server")
    work = root / "work"
    listed = _git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, work / name)
    _git(work, "init", "-q")
    _git(work, "add", "-A")
    _git(work, "commit", "-qm", "snapshot")
    _git(root, "clone", "-q", "--bare", str(work), "floe-lint.git")
    _git(root / "floe-lint.git", "update-server-info")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield (
        f"http://127.0.0.1:{server.server_address[1]}/floe-lint.git",
        _git(work, "rev-parse", "HEAD"),
    )
    server.shutdown()
    server.server_close()


def _as_written(text: str, url: str, commit: str) -> str:
    assert URL in text and "COMMIT" in text, text
    return text.replace(URL, url).replace("COMMIT", commit)


def _install_docs() -> dict[str, str]:
    """Every page that tells a reader how to install floe-lint, by its path."""
    pages = [
        REPO / "README.md",
        *sorted(REPO.glob("docs/**/*.md")),
        *sorted(REPO.glob("examples/*/README.md")),
        REPO / ".pre-commit-hooks.yaml",
        REPO / "action.yml",
    ]
    return {str(p.relative_to(REPO)): p.read_text("utf-8") for p in pages}


def install_lines() -> dict[str, list[str]]:
    """Each pip command that installs floe-lint from anywhere but this checkout, as written
    (without a YAML list dash or `run:`), with the pages that hold it."""
    found: dict[str, list[str]] = {}
    for page, text in _install_docs().items():
        for line in text.splitlines():
            command = re.sub(r"^\s*(?:-\s+)?(?:run:\s+)?", "", line)
            if re.match(r"(?:python3? -m )?pip install .*floe-lint", command):
                found.setdefault(command, []).append(page)
    return found


def test_every_install_line_is_the_pinned_commit() -> None:
    lines = install_lines()
    assert len([page for pages in lines.values() for page in pages]) >= 3, lines
    for command, pages in lines.items():
        pinned = re.search(rf'"floe-lint(?:\[[a-z,]+\])? @ git\+{re.escape(URL)}@COMMIT"', command)
        assert pinned, (pages, command)


def test_no_page_names_a_version_or_tag_that_does_not_exist() -> None:
    """`floe-lint==0.1.0`, `rev: v0.1.0`, `floe-lint@v0.1.0` only once such a tag exists."""
    tags = set(_git(REPO, "tag", "--list").split())
    versions = {tag.removeprefix("v") for tag in tags}
    named = re.compile(
        r"floe-lint\s*(?:==|>=|~=|<=)\s*(?P<version>[\w.]+)"
        r"|\brev:\s*(?P<rev>v?\d[\w.]*)"
        r"|floe-lint@(?P<ref>v?\d[\w.]*)"
        # a release tag anywhere, even in a comment (not an oci:// ref's tag, `platform:v1.2.3`)
        r"|(?<![\w:/.-])(?P<tag>v\d+\.\d+\.\d+)\b"
    )
    for page, text in _install_docs().items():
        for match in named.finditer(text):
            version, ref = match["version"], match["rev"] or match["ref"] or match["tag"]
            assert version is None or version in versions, f"{page}: {match[0]}: no such release"
            assert ref is None or ref in tags, f"{page}: {match[0]}: no such tag"


@pytest.mark.parametrize("command", sorted(install_lines()))
def test_each_install_line_installs_from_a_git_url_at_a_commit(
    snapshot: tuple[str, str], tmp_path: Path, command: str
) -> None:
    url, commit = snapshot
    words = shlex.split(_as_written(command, url, commit))
    pip = words.index("pip")
    assert words[pip + 1] == "install", command
    target = tmp_path / "site"
    # --no-deps --target: the dependencies are those of this venv; the package is what pip
    # built from the commit, imported ahead of this checkout
    done = subprocess.run(
        [sys.executable, "-m", "pip", *words[pip + 1 :], "--no-deps", "--target", str(target)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    check = subprocess.run(
        [sys.executable, "-c", "import floe_lint, sys; print(floe_lint.__file__)"],
        env={**os.environ, "PYTHONPATH": str(target)},
        cwd=tmp_path,  # not the checkout: its floe_lint would be imported first
        capture_output=True,
        text=True,
        check=True,
    )
    assert check.stdout.startswith(str(target))
    direct_url = next(target.glob("floe_lint-*.dist-info")) / "direct_url.json"
    assert commit in direct_url.read_text("utf-8")


def quick_start() -> str:
    """The README's section "Lint your repository in two minutes"."""
    return README.split("## Lint your repository in two minutes\n", 1)[1].split("\n## ", 1)[0]


def quick_start_files(url: str = URL, commit: str = "COMMIT") -> dict[str, str]:
    """The files of the quick start: its yaml blocks that begin with `# file: PATH`."""
    files = {}
    for block in re.findall(r"```yaml\n(.*?)```", quick_start(), re.S):
        head, _, body = block.partition("\n")
        assert head.startswith("# file: "), head
        files[head.removeprefix("# file: ")] = body.replace(URL, url).replace("COMMIT", commit)
    return files


def shown_output(command: str) -> str:
    """What the README's first screen or its quick start shows `command` printing, in a block
    that starts with `$ COMMAND`."""
    text = README.split("## Two commands")[0] + quick_start()
    [block] = re.findall(rf"```\n\$ {re.escape(command)}\n(.*?)```", text, re.S)
    return block


def on_terminal(argv: list[str], cwd: Path) -> tuple[int, str]:
    """Exit status and what a terminal shows (stdout and stderr, without colour: NO_COLOR)."""
    import pty

    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(
            argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, env=env
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        code = proc.wait(timeout=120)
    finally:
        os.close(leader)
    return code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_the_quick_start_prints_what_the_readme_shows(tmp_path: Path) -> None:
    """Its files written, its commands run as written from the repository's root, on a
    terminal; `floe-lint check` prints the run shown on the README's first screen."""
    write_files(tmp_path, quick_start_files())
    [commands] = re.findall(r"```sh\n(.*?)```", quick_start(), re.S)
    install, *lint = commands.splitlines()
    assert install in install_lines()  # run as written by the install-line test above
    assert lint == ["floe-lint check", "floe-lint explain products/orders/floe.yaml"]
    exe = shutil.which("floe-lint", path=str(Path(sys.executable).parent))
    assert exe
    expected = {"floe-lint check": 1, "floe-lint explain products/orders/floe.yaml": 0}
    for command in lint:
        code, shown = on_terminal([exe, *shlex.split(command)[1:]], tmp_path)
        assert (code, shown) == (expected[command], shown_output(command)), command
    first_screen = README.split("\n## ", 2)[1]  # the intro and the two commands
    assert "$ floe-lint check\n" in README.split("## Two commands")[0]
    assert "```sh\n./scripts/test\n```" in first_screen


def test_the_quick_start_action_annotates_the_pull_request(tmp_path: Path) -> None:
    """The workflow's floe-lint step, run with the action's own steps as a runner runs them."""
    from tests.test_action_workflow import ACTION, _run_step

    workflow = yaml.safe_load(quick_start_files()[".github/workflows/floe-lint.yml"])
    [step] = [
        s for s in workflow["jobs"]["floe-lint"]["steps"] if "floe-lint@" in s.get("uses", "")
    ]
    assert step["uses"] == "floe-dev/floe-lint@COMMIT"
    assert set(step["with"]) <= set(ACTION["inputs"])
    repo = tmp_path / "repo"
    write_files(repo, quick_start_files())
    context = {
        "github.action_path": str(clean_checkout(tmp_path / "action")),
        "steps.python.outputs.python-path": shutil.which("python3") or "python3",
    }
    for name, spec in ACTION["inputs"].items():
        context[f"inputs.{name}"] = str(step["with"].get(name, spec["default"]))
    codes = [_run_step(s, context, repo, tmp_path) for s in ACTION["runs"]["steps"] if "run" in s]
    assert codes == [0, 0, 1]  # installed, linted, and the job fails on the finding
    assert (
        context["stdout.lint"]
        .splitlines()[0]
        .startswith(
            "::error file=products/orders/floe.yaml,line=6,col=47,endLine=6,endColumn=56,"
            "title=FL201 compute-not-approved::transform 'models/marts/' selects compute 'snowflake'"
        )
    )
    assert context["steps.lint.outputs.sarif-file"] == ""


@pytest.mark.parametrize("which", ["quick start", "CI and pre-commit"])
def test_pre_commit_with_rev_at_a_commit(
    snapshot: tuple[str, str], tmp_path: Path, which: str
) -> None:
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", README, re.S) if "rev:" in b]
    assert len(blocks) == 2
    url, commit = snapshot
    target, home = tmp_path / "project", tmp_path / "pre-commit-home"
    if which == "quick start":
        write_files(target, quick_start_files(url, commit))
        config = yaml.safe_load((target / ".pre-commit-config.yaml").read_text("utf-8"))
        assert config["repos"][0]["rev"] == commit
        line = "products/orders/floe.yaml:6:47: ERROR FL201 [compute-not-approved] "
    else:
        [block] = [b for b in blocks if not b.startswith("# file: ")]
        config = yaml.safe_load(_as_written(block, url, commit))
        assert config[0]["rev"] == commit
        write_files(
            target,
            {
                ".pre-commit-config.yaml": yaml.safe_dump({"repos": config}),
                "platform/manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
                "products/orders/floe.yaml": "name: orders\n"
                "platform: {ref: ../../platform/manifest.yaml}\n"
                "transforms: [{type: dbt, path: models/x/, compute: snowflake}]\n",
            },
        )
        line = "products/orders/floe.yaml:3:"
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    assert pre_commit
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    done = subprocess.run(
        [pre_commit, "run", "floe-lint", "--all-files", "--color", "never"],
        cwd=target,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    # the hook installed from the commit ran and found the product's error
    assert done.returncode == 1, done.stdout + done.stderr
    assert line in done.stdout and "FL201" in done.stdout
    assert "mutable reference" not in done.stdout + done.stderr


def test_every_page_names_the_repository_of_pyproject() -> None:
    """One URL everywhere (pages, the hooks file, the action's `uses:` slug), so that the day
    it changes, one edit of pyproject.toml and these pages is checked whole."""
    slug = URL.removeprefix("https://github.com/")
    for page, text in _install_docs().items():
        for found in re.findall(r"github\.com/([\w.-]+/floe-lint)\b", text):
            assert found == slug, f"{page}: github.com/{found}"
        for found in re.findall(r"uses:\s*([\w.-]+/floe-lint)@", text):
            assert found == slug, f"{page}: uses: {found}"
