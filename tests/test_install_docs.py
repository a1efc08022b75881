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
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, write_files

# one xdist worker runs this module: its git server is built once (scripts/test, --dist loadgroup)
pytestmark = pytest.mark.xdist_group("test_install_docs")

README = (REPO / "README.md").read_text("utf-8")
URL = "https://github.com/floe-dev/floe-lint"
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
        assert f'"floe-lint @ git+{URL}@COMMIT"' in command, (pages, command)


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


def test_pre_commit_with_rev_at_a_commit(snapshot: tuple[str, str], tmp_path: Path) -> None:
    [block] = [b for b in re.findall(r"```yaml\n(.*?)```", README, re.S) if "rev:" in b]
    url, commit = snapshot
    config = yaml.safe_load(_as_written(block, url, commit))
    assert config[0]["rev"] == commit
    target, home = tmp_path / "project", tmp_path / "pre-commit-home"
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
    assert "products/orders/floe.yaml:3:" in done.stdout and "FL201" in done.stdout
    assert "mutable reference" not in done.stdout + done.stderr
