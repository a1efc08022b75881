"""The wheel carries rules, plugins and schemas, and works installed in a fresh venv."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

from tests.conftest import EXAMPLES, REPO, clean_checkout


def test_wheel_installs_into_a_fresh_venv_and_lints_from_another_directory(tmp_path: Path) -> None:
    # Build from a clean copy: setuptools keeps a build/ folder whose stale files could ship.
    source = clean_checkout(tmp_path / "source")
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(source)],
        check=True,
        capture_output=True,
    )
    [wheel] = dist.glob("floe_lint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "floe_lint/rules/compute_not_approved.py" in names
    assert "floe_lint/schemas/manifest.json" in names
    assert not any(n.startswith(("rules/", "plugins/", "schemas/", "tests/")) for n in names)

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    workdir = tmp_path / "elsewhere"
    shutil.copytree(EXAMPLES, workdir)
    exe = str(env_dir / "bin" / "floe-lint")
    clean = subprocess.run(
        [exe, "check", "mesh"], cwd=workdir, capture_output=True, text=True, check=False
    )
    assert clean.returncode == 0, clean.stdout + clean.stderr
    broken = subprocess.run(  # from its folder: its config keeps it offline
        [exe, "check"], cwd=workdir / "broken", capture_output=True, text=True, check=False
    )
    assert broken.returncode == 1 and "FL201" in broken.stdout
    schema = subprocess.run(
        [exe, "schema", "manifest"], cwd=workdir, capture_output=True, text=True, check=True
    )
    assert '"$schema"' in schema.stdout


RELEASE = REPO / ".github" / "workflows" / "release.yml"


def _release_script() -> str:
    import yaml

    workflow = yaml.safe_load(RELEASE.read_text("utf-8"))
    [step] = [
        s for s in workflow["jobs"]["build"]["steps"] if s.get("name", "").startswith("Build")
    ]
    assert step["env"] == {"TAG": "${{ github.ref_name }}"}
    script: str = step["run"]
    return script


def _clean_copy(tmp_path: Path) -> Path:
    source = clean_checkout(tmp_path / "source")
    return source


def _run_release(source: Path, tag: str) -> subprocess.CompletedProcess[str]:
    """The release workflow's build step, as a runner runs it: `python` is this venv's."""
    import os

    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _release_script()],
        cwd=source,
        env={**os.environ, "PATH": path, "TAG": tag},
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def test_the_version_is_written_once() -> None:
    import tomllib

    from floe_lint import __version__

    text = (REPO / "pyproject.toml").read_text("utf-8")
    pyproject = tomllib.loads(text)
    assert pyproject["project"]["dynamic"] == ["version"]
    assert "version" not in pyproject["project"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "floe_lint.__version__"
    }
    assert __version__ and f'"{__version__}"' not in text


def test_a_release_tag_builds_an_sdist_and_a_wheel_that_twine_accepts(tmp_path: Path) -> None:
    """What the release workflow does when vX.Y.Z is pushed, with CHANGELOG.md's section for
    that version written as a release commit writes it."""
    from floe_lint import __version__

    source = _clean_copy(tmp_path)
    changelog = source / "CHANGELOG.md"
    text = changelog.read_text("utf-8")
    assert "\n## Unreleased\n" in text  # nothing released yet
    changelog.write_text(text.replace("\n## Unreleased\n", f"\n## {__version__} (2026-12-06)\n"))
    done = _run_release(source, f"v{__version__}")
    assert done.returncode == 0, done.stdout + done.stderr
    dist = sorted(p.name for p in (source / "dist").iterdir())
    assert dist == [f"floe_lint-{__version__}-py3-none-any.whl", f"floe_lint-{__version__}.tar.gz"]
    import re

    plain = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout)  # twine colours even a pipe
    checked = [line for line in plain.splitlines() if line.startswith("Checking dist/")]
    assert [line.split()[1] for line in checked] == [f"dist/{name}:" for name in dist]
    assert all(line.endswith("PASSED") for line in checked), checked
    with zipfile.ZipFile(source / "dist" / dist[0]) as wheel:
        metadata = wheel.read(f"floe_lint-{__version__}.dist-info/METADATA").decode()
    assert f"\nVersion: {__version__}\n" in metadata
    assert "\nLicense-Expression: Apache-2.0\n" in metadata


def test_a_tag_that_is_not_the_version_or_not_in_the_changelog_is_refused(tmp_path: Path) -> None:
    from floe_lint import __version__

    source = _clean_copy(tmp_path)
    wrong = _run_release(source, "v99.0.0")
    assert (wrong.returncode, wrong.stderr) == (
        1,
        f"tag v99.0.0 does not match floe_lint.__version__ {__version__}\n",
    )
    unlisted = _run_release(source, f"v{__version__}")
    assert (unlisted.returncode, unlisted.stderr) == (
        1,
        f"CHANGELOG.md has no section '## {__version__} (date)'\n",
    )
    assert not (source / "dist").exists()


def test_the_release_workflow_publishes_on_a_tag_with_trusted_publishing() -> None:
    import yaml

    workflow = yaml.safe_load(RELEASE.read_text("utf-8"))
    assert workflow[True] == {"push": {"tags": ["v*"]}}  # YAML 1.1 reads `on:` as True
    assert workflow["permissions"] == {"contents": "read"}
    publish = workflow["jobs"]["publish"]
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    [upload] = [s for s in publish["steps"] if "pypi-publish" in s.get("uses", "")]
    assert upload["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert "with" not in upload  # no password, no token: PyPI trusts the workflow (OIDC)
    assert "secrets." not in RELEASE.read_text("utf-8")
