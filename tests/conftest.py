"""Shared helpers: write YAML files into a temporary folder and lint it in-process."""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from floe_lint.cli import main

REPO = Path(__file__).resolve().parent.parent

# The result cache: never the user's (a folder of this session), and off unless a test turns it
# on (tests/test_cache.py), so that no output of the suite depends on an earlier run. Set in the
# environment, so that floe-lint processes the tests start see it too.
os.environ["FLOE_LINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="floe-lint-test-cache-")
os.environ["FLOE_LINT_NO_CACHE"] = "1"
# Hypothesis without its time-based checks (as scripts/mutation_settings.py for mutants): a
# property's example past the default 200 ms deadline, or data slow to generate, on a loaded
# 2-core CI machine failed the run though every assertion held (test_generated_bidi's
# profiles.yml read-back was seen so). Assertions and every other health check are unchanged.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
if "mutation_settings" not in sys.modules:  # (a mutation run's plugin loaded its own)
    settings.load_profile("suite")
# An enterprise manifest that many tests build hierarchies under.
ENTERPRISE = """
scope: enterprise
metadata: {name: acme}
plugins:
  compute:
    approved: [duckdb, spark, snowflake]
    default: duckdb
"""

EXAMPLES = REPO / "examples"


def clean_checkout(destination: Path) -> Path:
    """A copy of this checkout as a fresh clone would hold it (no venv, caches or build output).
    pip builds a local folder in place (setuptools writes build/ and *.egg-info there), so tests
    that install the checkout install a copy: two xdist workers never build in one folder, and
    no stale build/ file can ship."""
    import shutil

    shutil.copytree(
        REPO,
        destination,
        ignore=shutil.ignore_patterns(".venv", ".git", ".cache", "build", "*.egg-info", "target"),
    )
    return destination


@pytest.fixture(autouse=True)
def no_dns(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test may depend on DNS: results would change with the network (and its speed).

    Every in-process name lookup other than an IP address or localhost fails the test.
    Registry tests use 127.0.0.1 or `oci.mirrors`; the lookup failures floe-lint reports
    are produced by tests/test_oci_failures.py's stand-in resolver.
    """
    import ipaddress
    import socket

    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if isinstance(name, str) and not _local(name, ipaddress):
            asked.append(name)
            raise AssertionError(f"a test looked up '{name}' through DNS")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield
    assert not asked, f"names looked up through DNS: {sorted(set(asked))}"


def _local(name: str, ipaddress: Any) -> bool:
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def report(self) -> dict[str, Any]:
        return json.loads(self.stdout)

    @property
    def findings(self) -> list[dict[str, Any]]:
        return self.report["findings"]

    def named(self, name: str) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["name"] == name]


def check(*args: str) -> tuple[int, str, str]:
    """`floe-lint check ARGS` in this process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def steady_installation(monkeypatch: pytest.MonkeyPatch) -> None:
    """floe-lint's own files as the test's first run lists them, for every run of the test.

    The cache's key holds the size and time of each of them (floe_lint.lint.cache: a
    development checkout changes them without a new version), so a file of the checkout saved
    while a test runs (an editor, a rebase or a merge in the checkout under test) makes its
    next run miss the store: a test that counts what a replay decodes, parses or holds then
    fails for no fault of the cache (seen on a loaded machine). tests/test_cache_libraries.py
    proves that a changed file does re-check everything."""
    from floe_lint.lint import cache

    listed = cache._list_installation()
    monkeypatch.setattr(cache, "_list_installation", lambda: listed)


def run_cli(*args: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    if code == 0 and args and args[0] == "check":
        compile_where_check_passed(list(args))
    return Run(code, out.getvalue(), err.getvalue())


#: Products that `compile_where_check_passed` compiled during this test session.
COMPILED: list[Path] = []


def names_no_platform(product: Path, options: list[str]) -> bool:
    """Whether check warns that a product names no platform at all (nothing governs it)."""
    out = io.StringIO()
    main(["check", str(product), "--format", "json", *options], out, io.StringIO())
    return any(f["name"] == "platform-not-checked" for f in json.loads(out.getvalue())["findings"])


def compile_where_check_passed(args: list[str]) -> None:
    """check/compile parity over the whole suite: every product of every test tree and example
    that `check` passes (exit 0) must also compile. Runs that lint less than compile does
    (--select, --ignore, --exit-zero, a baseline, a config that turns rules off or down, a
    suppression comment) prove nothing about compile and are skipped.
    """
    import tempfile

    from floe_lint.cli import _parser
    from floe_lint.config import load_config
    from floe_lint.lint.engine import is_env_variant
    from floe_lint.load.document import load
    from floe_lint.load.workspace import discover

    ns = _parser(args[0]).parse_args(args)
    if ns.select or ns.ignore or ns.exit_zero or ns.baseline or ns.write_baseline:
        return
    if getattr(ns, "trusted_root", None):  # replaces the config's, which compile reads
        return
    config = load_config(ns.config, Path.cwd(), targets=ns.paths)
    if config.baseline or config.select or config.ignore or config.per_path_ignores:
        return
    if config.exceptions:  # an exception excuses findings that compile would refuse
        return
    if any(level != "error" for level in config.severity.values()):
        return
    from floe_lint.lint.filtering import selected

    sources = [load(path) for path, _ in discover(ns.paths) if selected(path, config)]
    if any("floe-lint: disable" in source.text for source in sources):
        return
    products = [
        source.path
        for source in sources
        if any(d.kind == "floe" and not is_env_variant(d) for d in source.documents)
    ]
    options = [f"--ref={ref}" for ref in ns.ref]
    if ns.config is not None:
        options.append(f"--config={ns.config}")
    if ns.manifest is not None:
        options.append(f"--manifest={ns.manifest}")
    for product in products:
        if names_no_platform(product, options):
            continue  # check reported it (platform-not-checked, a warning): nothing to compile
        with tempfile.TemporaryDirectory() as out_dir:
            out, err = io.StringIO(), io.StringIO()
            code = main(["compile", str(product), "--out", out_dir, *options], out, err)
            assert code == 0, (
                f"check passed but compile refused {product}:\n{out.getvalue()}{err.getvalue()}"
            )
        COMPILED.append(product)


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


@pytest.fixture
def lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """lint({"floe.yaml": "...", ...}, *extra_args) -> Run with a JSON report, cwd = tmp_path."""
    monkeypatch.chdir(tmp_path)

    def _lint(files: dict[str, str], *args: str) -> Run:
        write_files(tmp_path, files)
        return run_cli("check", ".", "--format", "json", *args)

    return _lint
