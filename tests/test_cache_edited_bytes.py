"""Files saved while a first cached run checks them: an entry must hold the hash of the bytes
its findings came from, never of a version saved after the run read it.

tests/test_cache_edited_during_run.py covers a product's text; these cover what comparing texts
alone missed: a file with no text (empty, or not UTF-8, whose finding names the byte where it
stops being UTF-8), and floe.lock, which no parse reads (the lock-stale rule does). Each file
is really saved by a rule of the run's rule folder (the run's own steps, nothing replaced).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from floe_lint.cli import main
from floe_lint.lint import cache
from tests.conftest import ENTERPRISE, write_files
from tests.oci_support import Registry, isolate
from tests.test_cache import tree

pytestmark = pytest.mark.xdist_group("test_cache_edited_bytes")

#: a rule-folder rule that, when it checks product p0, saves `TARGET` as the bytes of `AFTER`
#: unless they are there already (as an editor would while the run goes on)
SAVER_RULE = '''
"""Saves a file while the run checks product p0.

Why: a test of the result cache.
"""
from pathlib import Path

ID, NAME, SEVERITY, SUBJECT = "ZZ901", "saves-while-checked", "warning", "product"


def check(product, ctx):
    if Path(product.doc.path).parent.name == "p0":
        target, after = Path(TARGET), Path(AFTER).read_bytes()
        if target.read_bytes() != after:
            target.write_bytes(after)
    return iter(())
'''


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _saver(root: Path, target: Path, after: bytes) -> None:
    """The rule folder ci/rules with SAVER_RULE saving `after` over `target`."""
    (root / "after.bin").write_bytes(after)
    rule = SAVER_RULE.replace("TARGET", repr(str(target))).replace(
        "AFTER", repr(str(root / "after.bin"))
    )
    write_files(root, {"ci/rules/saver.py": rule})


def _first_cold_warm(
    monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[tuple[int, str, str], ...]:
    """A first run with an empty cache (it saves the file), a cold run, then a warm one."""
    first = run(*args)
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    cold = run(*args)
    monkeypatch.delenv(cache.DISABLE_ENV)
    return first, cold, run(*args)


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(
    ("before", "after", "first", "cold"),
    [
        (
            b"",
            b"\xff\xfe",
            "products/p9/floe.yaml:1:1: ERROR FL003 [no-floe-document] floe.yaml is empty: "
            "expected a manifest (plugins:, scope:) or a product (name:, platform:, transforms:)",
            "products/p9/floe.yaml:1:1: ERROR FL001 [yaml-syntax] file is not valid UTF-8",
        ),
        (
            b"name: p9\n\xff\n",
            b"\xff\n",
            "products/p9/floe.yaml:2:1: ERROR FL001 [yaml-syntax] file is not valid UTF-8",
            "products/p9/floe.yaml:1:1: ERROR FL001 [yaml-syntax] file is not valid UTF-8",
        ),
    ],
    ids=["empty-then-not-utf8", "not-utf8-at-another-byte"],
)
def test_a_file_without_text_saved_during_a_run_is_not_stored_as_its_new_bytes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    jobs: str,
    before: bytes,
    after: bytes,
    first: str,
    cold: str,
) -> None:
    """Both versions have no text (what a parse keeps of them is ""), but not the same
    findings: the run's entry must not pair the first version's with the second's bytes."""
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    workspace = tmp_path / "ws"
    workspace.mkdir()
    monkeypatch.chdir(workspace)
    write_files(workspace, tree())
    target = workspace / "products/p9/floe.yaml"
    target.parent.mkdir()
    target.write_bytes(before)
    _saver(tmp_path, target, after)
    (workspace / ".floe-lint.yaml").write_text(f"rule-folders: [{tmp_path}/ci/rules]\n", "utf-8")
    ran, cold_run, warm = _first_cold_warm(monkeypatch, "check", "--jobs", jobs, ".")
    assert ran[1].splitlines() == [first]  # what the first run parsed
    assert target.read_bytes() == after
    assert cold_run[1].splitlines() == [cold]
    assert warm == cold_run


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    reg = Registry(tmp_path_factory.mktemp("edited-registry")).start()
    yield reg
    reg.stop()


def test_a_floe_lock_saved_during_a_run_is_not_stored_as_the_version_it_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, registry: Registry
) -> None:
    """The lock-stale rule reads products/p0's floe.lock (it lacks the ref), then the lock is
    saved cut short: the entry must not store the cut lock's hash with the first version's
    finding (the next run would replay it instead of the cut lock's)."""
    isolate(tmp_path, monkeypatch)
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    # outside the workspace (tmp_path, the config's folder): a result cache inside it is unused
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path.parent / f"{tmp_path.name}-cache"))
    host = registry.host
    write_files(
        tmp_path,
        {
            ".floe-lint.yaml": "oci:\n  insecure: ['127.0.0.1']\n",
            "pub/enterprise.manifest.yaml": ENTERPRISE,
        },
    )
    code, _, err = run("publish", "pub/enterprise.manifest.yaml", f"oci://{host}/x/ent:v1")
    assert code == 0, err
    product = f"name: p0\nplatform: {{ref: 'oci://{host}/x/ent:v1'}}\n"
    product += "transforms: [{type: dbt, path: models/x/, compute: spark}]\n"
    lock = tmp_path / "ws/products/p0/floe.lock"
    write_files(tmp_path, {"ws/products/p0/floe.yaml": product})
    lock.write_text('{"version": 1, "refs": {}}\n', "utf-8")
    _saver(tmp_path, lock, b'{"version": 1, "refs": {')
    config = "rule-folders: [ci/rules]\noci:\n  insecure: ['127.0.0.1']\n"
    (tmp_path / ".floe-lint.yaml").write_text(config, "utf-8")
    first, cold, warm = _first_cold_warm(monkeypatch, "check", "ws")
    where = "ws/products/p0/floe.yaml:2:17: ERROR FL306 [lock-stale]"
    assert first[1].splitlines() == [
        f"{where} 'oci://{host}/x/ent:v1' has no entry in floe.lock; run `floe-lint lock` to "
        "record it"
    ]
    assert lock.read_bytes() == b'{"version": 1, "refs": {'
    assert cold[1].splitlines() == [
        f"{where} ws/products/p0/floe.lock: not valid JSON (Expecting property name enclosed "
        "in double quotes: line 1 column 25 (char 24)); rerun `floe-lint lock`"
    ]
    assert warm == cold


def test_a_baseline_saved_during_a_run_is_not_stored_as_the_one_it_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first run applies a baseline that accepts p0's error, then the baseline is saved
    empty: the run must not be stored whole under the empty baseline's hash (the next run
    would print "no problems" where a cold one reports the error)."""
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    workspace = tmp_path / "ws"
    workspace.mkdir()
    monkeypatch.chdir(workspace)
    write_files(workspace, tree())
    product = workspace / "products/p0/floe.yaml"
    product.write_text(product.read_text("utf-8").replace("spark", "snowflake"), "utf-8")
    baseline = tmp_path / "baseline.json"
    assert run("check", "--no-cache", "--write-baseline", str(baseline), ".")[0] == 0
    accepted = json.loads(baseline.read_text("utf-8"))
    assert len(accepted["findings"]) == 1
    _saver(tmp_path, baseline, json.dumps({**accepted, "findings": []}).encode())
    (workspace / ".floe-lint.yaml").write_text(f"rule-folders: [{tmp_path}/ci/rules]\n", "utf-8")
    first, cold, warm = _first_cold_warm(monkeypatch, "check", "--baseline", str(baseline), ".")
    assert first[:2] == (0, "")  # the baseline it applied accepts the error
    assert cold[1].splitlines() == [
        "products/p0/floe.yaml:5:43: ERROR FL201 [compute-not-approved] transform 'models/b/' "
        "selects compute 'snowflake', which domain 'sales' does not approve (enterprise 'acme' "
        "approves it, but domain 'sales' removed it); approved: duckdb, spark"
    ]
    assert warm == cold


#: a rule module that, as it is run, saves a new version of itself (as an editor would just
#: after floe-lint read it): the run runs the old version
SELF_SAVING_RULE = '''
"""Says which version of it ran, and saves the next one as it is run.

Why: a test of the result cache.
"""
from pathlib import Path

ID, NAME, SEVERITY, SUBJECT = "ZZ100", "says-its-version", "warning", "product"
VERSION = "old"

_ME = Path(__file__)
_TEXT = _ME.read_text("utf-8")
if 'VERSION = "old"' in _TEXT:
    _ME.write_text(_TEXT.replace('VERSION = "old"', 'VERSION = "new"'), "utf-8")


def check(product, ctx):
    yield ctx.finding(product.platform_node, f"rule version {VERSION}")
'''


def test_a_rule_module_saved_as_it_is_run_keys_the_run_by_the_version_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run's key holds the hash of the rule module's bytes that ran, not of the file as
    read after: the next run, which runs the new version, must not replay the old one's."""
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    workspace = tmp_path / "ws"
    workspace.mkdir()
    monkeypatch.chdir(workspace)
    write_files(workspace, {"products/p0/floe.yaml": tree()["products/p0/floe.yaml"]})
    write_files(workspace, {k: v for k, v in tree().items() if k.startswith("platform/")})
    write_files(tmp_path, {"ci/rules/version.py": SELF_SAVING_RULE})
    (workspace / ".floe-lint.yaml").write_text(f"rule-folders: [{tmp_path}/ci/rules]\n", "utf-8")
    first = run("check", "products")
    assert 'VERSION = "new"' in (tmp_path / "ci/rules/version.py").read_text("utf-8")
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    cold = run("check", "products")
    monkeypatch.delenv(cache.DISABLE_ENV)
    warm = run("check", "products")
    where = "products/p0/floe.yaml:2:17: WARNING ZZ100 [says-its-version]"
    assert first[1].splitlines() == [f"{where} rule version old"]
    assert cold[1].splitlines() == [f"{where} rule version new"]
    assert warm == cold
