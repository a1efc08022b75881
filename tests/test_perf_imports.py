"""Start-up is the pre-commit hook's cost: heavy libraries are imported only when needed.

Each case runs in a fresh interpreter and reports which top-level packages it imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from tests.conftest import REPO, write_files

# one xdist worker runs this module: its corpus is built once (scripts/test, --dist loadgroup)
pytestmark = pytest.mark.xdist_group("test_perf_imports")

HEAVY = ("jsonschema", "pydantic", "oras", "sarif_om", "requests", "dbt")
PROBE = """
import io, json, sys
from floe_lint.cli import main
try:
    main(sys.argv[1:], stdout=io.StringIO(), stderr=io.StringIO())
except SystemExit:
    pass
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def imported(*args: str, cwd: Path = REPO) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["check", "--help"]])
def test_version_and_help_import_nothing_heavy(args: list[str]) -> None:
    modules = imported(*args)
    assert not modules & {*HEAVY, "yaml"}, modules & {*HEAVY, "yaml"}


@pytest.fixture(scope="module")
def trio(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """A valid product and its two parent manifests: what a pre-commit hook is given."""
    corpus = generate(tmp_path_factory.mktemp("imports") / "repo", products=20, seed=1)
    product = next(p for p in corpus.products if p not in corpus.violations)
    return [str(p) for p in (product, *corpus.parents(product))]


def test_checking_valid_files_does_not_import_jsonschema(trio: list[str]) -> None:
    modules = imported("check", *trio)
    assert not modules & set(HEAVY), modules & set(HEAVY)


def test_an_invalid_file_is_explained_without_jsonschema(tmp_path: Path, trio: list[str]) -> None:
    """A common mistake gets the message jsonschema's error would give (floe_lint/load/
    schema_errors.py, compared with jsonschema in tests/test_schema_errors.py) without it;
    what schema_errors does not judge still goes to jsonschema."""
    bad = tmp_path / "floe.yaml"
    bad.write_text(Path(trio[0]).read_text() + "colour: blue\n")  # not in the schema
    modules = imported("check", str(bad), *trio[1:])
    assert "jsonschema" not in modules
    out = subprocess.run(
        [sys.executable, "-m", "floe_lint", "check", "--no-cache", str(bad), *trio[1:]],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert "unknown key 'colour' in the document" in out
    odd = tmp_path / "odd" / "floe.yaml"
    odd.parent.mkdir()
    odd.write_text(Path(trio[0]).read_text() + "1: blue\n")  # a key that is not text
    assert "jsonschema" in imported("check", str(odd), *trio[1:])


# A plugin that declares a required key (no built-in one does since 6a9310c: their connection
# details may come from the environment). Found as a real installed package is: a dist-info
# folder with its entry point, on sys.path as the working folder.
ACME_PLUGIN = """
from floe_lint.api import (
    REMOTE_RESOURCES,
    ComputePlugin,
    ConnectionResult,
    config_schema,
    profile_schema,
)


class AcmePlugin(ComputePlugin):
    name = "acme"
    version = "1.0.0"
    is_self_hosted = False
    config_schema = config_schema(
        "Acme compute config",
        {"account": {"type": "string"}, "database": {"type": "string"}},
        required=("database",),
    )
    profile_schema = profile_schema("acme", {}, ())
    resources = REMOTE_RESOURCES

    def generate_dbt_profile(self, config):
        return {"type": "acme"}

    def get_required_dbt_packages(self):
        return []

    def validate_connection(self, config):
        return ConnectionResult(False, "not checked: acme", checked=False)
"""


def test_a_config_missing_only_a_required_key_does_not_import_jsonschema(tmp_path: Path) -> None:
    """compute-config leaves missing keys to compile (another level may supply them)."""
    (tmp_path / "floe_compute_acme.py").write_text(ACME_PLUGIN)
    dist = tmp_path / "floe_compute_acme-1.0.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: floe-compute-acme\nVersion: 1.0.0\n"
    )
    (dist / "entry_points.txt").write_text(
        "[floe_lint.compute]\nacme = floe_compute_acme:AcmePlugin\n"
    )
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(
        "plugins:\n  compute:\n    approved:\n"
        "      - {name: acme, config: {account: acme}}\n"
        "    default: acme\n"
    )
    probe = PROBE.replace(
        "print(json.dumps(",
        "from floe_lint.compute.plugin import registry\n"
        "assert registry().plugins['acme'].config_schema['required'] == ['database']\n"
        "print(json.dumps(",
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, "check", "manifest.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "jsonschema" not in json.loads(result.stdout.splitlines()[-1])


def floe_lint_modules(*args: str) -> set[str]:
    """The floe_lint modules a fresh `floe-lint ARGS` imports."""
    probe = PROBE.replace(
        'name.split(".")[0] for name in sys.modules', "name for name in sys.modules"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *args], cwd=REPO, capture_output=True, text=True, check=True
    )
    return {m for m in json.loads(result.stdout.splitlines()[-1]) if m.startswith("floe_lint")}


def test_version_imports_only_the_command_line() -> None:
    assert floe_lint_modules("--version") == {
        "floe_lint",
        "floe_lint.cli",
        "floe_lint.commands",
        "floe_lint.commands.usage",
    }


def test_check_imports_no_other_command_and_nothing_of_compile_or_publish(
    trio: list[str],
) -> None:
    modules = floe_lint_modules("check", *trio)
    assert "floe_lint.commands.check" in modules
    commands = {m for m in modules if m.startswith("floe_lint.commands.")}
    assert commands == {
        "floe_lint.commands.check",
        "floe_lint.commands.dispatch",
        "floe_lint.commands.fetching",
        "floe_lint.commands.quick",
        "floe_lint.commands.usage",
    }
    unused = {"floe_lint.compute.compiler", "floe_lint.compute.artifacts", "floe_lint.oci.push"}
    # without an oci:// ref only the config's oci settings are read: the fetcher, its cache and
    # the floe.lock reader are made when a ref needs them (commands.fetching.Deferred)
    unused |= {"floe_lint.oci.transport", "floe_lint.oci.credentials", "floe_lint.oci.artifact"}
    unused |= {"floe_lint.oci.pull", "floe_lint.oci.cache", "floe_lint.oci.lockfile"}
    unused |= {"floe_lint.lint.baseline"}  # no baseline was given
    unused |= {"floe_lint.load.schema_errors"}  # every document is proved valid
    unused |= {"floe_lint.model.trust"}  # no trusted root was given
    # no finding: no message to suggest a name in, no text report to write nor mask
    unused |= {"floe_lint.suggest", "floe_lint.reporters.text", "floe_lint.masking"}
    # ADR-0010 files without governance: upstream's reader, and what only the upstream-* and
    # *-weakened rules (not run: floe_lint.lint.applicable) ask of floe_lint.api
    unused |= {"floe_lint.model.dialects.floe", "floe_lint.model.upstream_enforcement"}
    unused |= {"floe_lint.lint.governance"}
    # rules whose GUARD valid files without trusted roots, oci:// refs, ref problems or broken
    # compute policy fail
    # (floe_lint.lint.applicable.guarded; tests/test_rule_guards.py)
    guarded = "_schema schema_type schema_enum schema_required schema_unknown_key schema_invalid"
    guarded += " schema_empty_list schema_coerced unresolved_ref ref_integrity parent_cycle"
    guarded += " untrusted_root mixed_dialect unpinned_ref no_floe_document product_not_approved"
    guarded += " missing_default platform_not_checked duplicate_compute default_not_approved"
    guarded += " approved_not_subset unknown_compute duplicate_transform compute_not_approved"
    guarded += " scope_mismatch"
    unused |= {f"floe_lint.rules.{name}" for name in guarded.split()}
    assert not modules & unused, modules & unused
    # no compute plugin: the configs are checked against the generated table of the built-in
    # plugins' schemas (floe_lint.compute.schema_table; tests/test_plugin_schema_table.py)
    plugins = {m.rpartition(".")[2] for m in modules if m.startswith("floe_lint.plugins.")}
    assert plugins == {"_schemas"}, plugins


#: What the console script no longer loads for the pre-commit hook's check (issue 17): each was
#: a measured part of its start-up. dataclasses (and inspect, ast, dis, tokenize with it):
#: floe_lint.record's plain classes; argparse (and gettext, locale, shutil): a plain `check`
#: line is read by floe_lint.commands.quick; pkgutil: the plugins folder is listed; hashlib:
#: only an oci:// trusted root hashes a file (the cache takes blake2b from `_blake2`, without
#: hashlib's OpenSSL); urllib.parse and ipaddress: pathlib is imported without them
#: (floe_lint.launch._import_pathlib).
OFF_THE_HOOK_PATH = {
    "dataclasses",
    "inspect",
    "ast",
    "dis",
    "tokenize",
    "argparse",
    "gettext",
    "locale",
    "shutil",
    "pkgutil",
    "hashlib",
    "_hashlib",
    "signal",  # only a run with parse workers kills them (floe_lint/load/bulk.py)
    "urllib.parse",
    "ipaddress",
    # contextlib: floe-lint's own modules use try/except; the cache finds its key's libraries
    # without importlib.util, which imports it
    "contextlib",
    "importlib.util",
    # files are decoded by floe_lint.load.reading.utf8_text, not through the utf-8-sig codec
    # (a Python module, and a Python function a call)
    "encodings.utf_8_sig",
}
LAUNCH_PROBE = """
import json, sys
before = set(sys.modules)
sys.argv = ["floe-lint", *sys.argv[1:]]
from floe_lint.launch import main
status = main()
print(json.dumps([status, sorted(set(sys.modules) - before)]))
"""


@pytest.mark.parametrize("flag", ["--hook", "--no-dependents"])
@pytest.mark.parametrize("cached", [False, True])
def test_the_hooks_check_loads_neither_dataclasses_nor_argparse(
    trio: list[str], flag: str, cached: bool, tmp_path: Path
) -> None:
    """The console script's `check` of a product and its manifests, as pre-commit runs it
    (and as benchmarks/run.py times it, without the cache), in a fresh interpreter: what it
    imported beyond what the interpreter had already loaded."""
    cache = {"FLOE_LINT_CACHE_DIR": str(tmp_path)} if cached else {"FLOE_LINT_NO_CACHE": "1"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOE_LINT_")}
    for _ in range(2 if cached else 1):  # cached: the run that fills it, then one replayed
        result = subprocess.run(
            [sys.executable, "-c", LAUNCH_PROBE, "check", flag, *trio],
            cwd=REPO,
            capture_output=True,
            text=True,
            env={**env, **cache},
        )
        assert result.returncode == 0, result.stderr
        status, loaded = json.loads(result.stdout.splitlines()[-1])
        assert status == 0
        assert "floe_lint.commands.check" in loaded  # it did check
        off = set(OFF_THE_HOOK_PATH)
        if not cached:  # the bundled schemas are Python data (floe_lint.load.schema_data)
            off.add("json")
            # heapq: only the result cache merges sorted runs (floe_lint.lint.cache) or a run
            # its kept files (floe_lint.load.key_order); array: only a folder of many names is
            # kept as the hashes of its names (floe_lint.load.walk)
            off |= {"heapq", "_heapq", "array"}
        if flag == "--hook":
            off.discard("locale")  # it asks git for the staged deletions: subprocess imports it
            off.discard("signal")  # and signal
            off.discard("contextlib")  # and contextlib
        assert not off & set(loaded), off & set(loaded)
        assert "floe_lint.cli" not in loaded  # the plain line is run by commands.quick
    env = {**env, "FLOE_LINT_NO_CACHE": "1"}
    # the same line written otherwise goes to argparse, which is still there for it
    result = subprocess.run(
        [sys.executable, "-c", LAUNCH_PROBE, "check", *trio, flag],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
    )
    assert {"argparse", "floe_lint.cli"} <= set(json.loads(result.stdout.splitlines()[-1])[1])


@pytest.mark.parametrize("flag", ["--hook", "--no-dependents"])
@pytest.mark.parametrize("cached", [False, True])
def test_the_hooks_check_does_not_import_typing(
    trio: list[str], flag: str, cached: bool, tmp_path: Path
) -> None:
    """typing (3 ms of the hook's start-up): floe-lint's names of it are imported for the type
    checker only (`TYPE_CHECKING = False`, then `if TYPE_CHECKING:`), a `NamedTuple` is
    floe_lint.named_tuple's, floe_lint.api makes `Severity` and `SchemaCategory` when asked.
    Run where the benchmark runs it, the corpus root: a pyproject.toml read for the config
    (as in this repository) imports it, through tomllib. `--hook` is given the staged product
    alone, as pre-commit does when only it changed (a staged manifest brings its dependents,
    whose machinery still imports typing)."""
    if flag == "--hook":
        trio = trio[:1]
    root = Path(trio[0]).parents[3]
    assert (root / "platform").is_dir() and not (root / "pyproject.toml").exists()
    cache = {"FLOE_LINT_CACHE_DIR": str(tmp_path)} if cached else {"FLOE_LINT_NO_CACHE": "1"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOE_LINT_")}
    for _ in range(2 if cached else 1):  # cached: the run that fills it, then one replayed
        result = subprocess.run(
            [sys.executable, "-c", LAUNCH_PROBE, "check", flag, *trio],
            cwd=root,
            capture_output=True,
            text=True,
            env={**env, **cache, "PYTHONPATH": str(REPO)},
        )
        assert result.returncode == 0, result.stderr
        status, loaded = json.loads(result.stdout.splitlines()[-1])
        assert status == 0 and "floe_lint.commands.check" in loaded
        assert "typing" not in loaded


def test_an_impact_without_oci_refs_makes_no_fetcher(trio: list[str]) -> None:
    """As `check`'s: the fetcher, its cache and the floe.lock reader (shutil, bz2 and lzma
    among their imports) are made when an oci:// ref first needs them; `impact` made them
    at every start."""
    manifest = trio[-1]  # the enterprise manifest of a 20-product tree, compared with itself
    modules = floe_lint_modules("impact", manifest, "--against", manifest)
    assert "floe_lint.lint.impact" in modules
    assert not modules & {"floe_lint.oci.pull", "floe_lint.oci.cache", "floe_lint.oci.lockfile"}


def test_only_check_and_impact_run_without_the_garbage_collector() -> None:
    """The console script turns the collector off for start-up; every command but `check` and
    `impact` (the language server runs for hours) turns it back on. After them, what is left is
    frozen, so that the interpreter's exit does not walk it again (6 ms of the hook's 60, 100 ms
    of the impact of a 1,000-product tree's enterprise manifest)."""
    enterprise = "examples/mesh/platform/enterprise/manifest.yaml"
    impact = ["impact", enterprise, "--against", enterprise]
    probe = LAUNCH_PROBE.replace(
        "print(json.dumps([",
        "import gc\nprint(json.dumps([gc.isenabled(), gc.get_freeze_count() > 0, ",
    )
    for args, enabled in (
        (["rules"], True),
        (["check", "--no-cache", "examples/broken"], False),
        (impact, False),
    ):
        result = subprocess.run(
            [sys.executable, "-c", probe, *args], cwd=REPO, capture_output=True, text=True
        )
        on, frozen = json.loads(result.stdout.splitlines()[-1])[:2]
        assert on is enabled, (args, result.stderr)
        assert frozen is not enabled, (args, result.stderr)


def test_without_plugins_importlib_metadata_is_never_imported(trio: list[str]) -> None:
    """Entry points of both groups are looked up by a scan of entry_points.txt first. (The
    test extras install upstream's floe-compute-duckdb, a `floe.computes` plugin, which only
    `plugins` and `compile` load: `check` and `rules` never do, nor import floe-core.)"""
    probe = PROBE.replace(
        'name.split(".")[0] for name in sys.modules', "name for name in sys.modules"
    )
    for args in (["check", *trio], ["rules"]):
        result = subprocess.run(
            [sys.executable, "-c", probe, *args], cwd=REPO, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        modules = json.loads(result.stdout.splitlines()[-1])
        assert "importlib.metadata" not in modules, args
        assert not [m for m in modules if m.startswith("floe_core")], args


FULL_PROBE = PROBE.replace(
    'print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))',
    "print(json.dumps(sorted(sys.modules)))",
)


def test_a_run_that_cannot_have_dependents_loads_none_of_their_machinery(
    trio: list[str],
) -> None:
    """A product changed (nothing depends on a product): no reverse index, no lock reading."""
    product = trio[0]
    result = subprocess.run(
        [sys.executable, "-c", FULL_PROBE, "check", product],
        cwd=Path(product).parent,
        capture_output=True,
        text=True,
        check=True,
    )
    modules = set(json.loads(result.stdout.splitlines()[-1]))
    assert "floe_lint.lint.engine" in modules
    dependents = {"floe_lint.lint.dependents", "floe_lint.model.reverse_index"}
    assert not modules & dependents, modules & dependents


def test_the_version_script_imports_no_floe_lint_module_but_the_package() -> None:
    code = (
        "import io, json, sys, contextlib\n"
        "sys.argv = ['floe-lint', '--version']\n"
        "from floe_lint.launch import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    assert main() == 0\n"
        "assert out.getvalue().startswith('floe-lint '), out.getvalue()\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('floe_lint'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout.splitlines()[-1]) == ["floe_lint", "floe_lint.launch"]


def test_a_finding_with_a_fix_loads_no_dataclasses(tmp_path: Path) -> None:
    """A fixable finding (its edits are floe_lint.fix.text's Splices) and the fix summary cost
    the run no dataclasses (nor inspect, ast, dis, tokenize with it)."""
    write_files(
        tmp_path,
        {
            "platform/manifest.yaml": (
                "scope: enterprise\nmetadata: {name: acme}\n"
                "plugins:\n  compute:\n    approved: [duckdb]\n    default: duckdb\n"
            ),
            "products/p/floe.yaml": (
                "name: p\nplatform: {ref: ../../platform/manifest.yaml}\n"
                "transforms:\n  - {type: dbt, path: models/a/, compute: spark}\n"
            ),
        },
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOE_LINT_")}
    result = subprocess.run(
        [sys.executable, "-c", LAUNCH_PROBE, "check", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**env, "FLOE_LINT_NO_CACHE": "1", "PYTHONPATH": str(REPO)},
    )
    assert "products/p/floe.yaml:4:43: ERROR FL201 [compute-not-approved]" in result.stdout
    assert "1 more with --unsafe-fixes" in result.stderr, result.stderr
    status, loaded = json.loads(result.stdout.splitlines()[-1])
    assert status == 1
    assert "floe_lint.fix.text" in loaded  # the fix was made
    assert not {"dataclasses", "inspect", "ast", "dis", "tokenize"} & set(loaded)


def test_a_check_the_cache_replays_imports_no_schema_check(trio: list[str], tmp_path: Path) -> None:
    """Every file replayed from the result cache: nothing is validated, so neither the schema
    checks nor the compute plugins are imported (floe_lint.lint.context imports them when a
    document is first validated); the cold run that filled the cache imported them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOE_LINT_")}
    env["FLOE_LINT_CACHE_DIR"] = str(tmp_path)
    checks = {"floe_lint.load.validation", "floe_lint.load.fastschema", "floe_lint.compute.plugin"}
    for replayed in (False, True):
        result = subprocess.run(
            [sys.executable, "-c", LAUNCH_PROBE, "check", "--no-dependents", *trio],
            cwd=REPO,
            capture_output=True,
            text=True,
            env=env,
        )
        status, loaded = json.loads(result.stdout.splitlines()[-1])
        assert status == 0, result.stderr
        assert (checks & set(loaded)) == (set() if replayed else checks), checks & set(loaded)


def test_the_hooks_check_compiles_no_pattern_of_its_own(trio: list[str]) -> None:
    """`re`'s compiler is Python (0.4 to 1.8 M instructions a pattern): the values of a product
    and its manifests are checked by plain tests (floe_lint.load.plain_patterns, the key and
    reference readers of floe_lint.secrets); only PyYAML's own patterns, compiled when it is
    imported, are in `re`'s cache after the run."""
    probe = LAUNCH_PROBE.replace(
        "from floe_lint.launch import main",
        "import re, yaml\nyamls = set(re._cache)\nfrom floe_lint.launch import main",
    ).replace(
        "print(json.dumps([status, ",
        "print(json.dumps([status, sorted(str(k[1]) for k in set(re._cache) - yamls), ",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOE_LINT_")}
    result = subprocess.run(
        [sys.executable, "-c", probe, "check", "--no-dependents", *trio],
        cwd=Path(trio[0]).parents[3],  # the corpus root, as benchmarks/run.py runs it (no
        capture_output=True,  # pyproject.toml: tomllib compiles patterns of its own)
        text=True,
        env={**env, "FLOE_LINT_NO_CACHE": "1", "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr
    status, compiled = json.loads(result.stdout.splitlines()[-1])[:2]
    assert status == 0
    assert compiled == [], compiled
