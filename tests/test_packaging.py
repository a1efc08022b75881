"""The wheel carries rules, plugins and schemas, and works installed in a fresh venv."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

from tests.conftest import EXAMPLES, REPO


def test_wheel_installs_into_a_fresh_venv_and_lints_from_another_directory(tmp_path: Path) -> None:
    # Build from a clean copy: setuptools keeps a build/ folder whose stale files could ship.
    source = tmp_path / "source"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(".venv", ".git", ".cache", "build", "*.egg-info", "target"),
    )
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
