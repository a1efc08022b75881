"""A third party adds an engine and a rule: real packages, installed with pip, found through
the entry point groups `floe_lint.compute` (used by `plugins`, `check` and `compile`) and
`floe_lint.rules` (used by `rules`, `rule` and `check`).

Each package is installed with `pip install --target` into a temporary folder that only the
subprocesses of this test put on their path, so the shared environment is left alone.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
import yaml

from floe_lint.errors import ConfigError
from floe_lint.lint.registry import ENTRY_POINT_GROUP, rules_of_entry_points
from tests.conftest import REPO, write_files

# one xdist worker runs this module: its installed packages is built once (scripts/test, --dist loadgroup)
pytestmark = pytest.mark.xdist_group("test_plugins_entry_point")

DOC = REPO / "docs" / "extending.md"
FILE_BLOCK = re.compile(r"^```[a-z]*\n# file: (?P<path>\S+)\n(?P<body>.*?)^```$", re.M | re.S)


def doc_files(prefix: str) -> dict[str, str]:
    """The blocks of docs/extending.md that start with `# file: PATH`, under `prefix`."""
    text = DOC.read_text("utf-8")
    return {
        m["path"].removeprefix(prefix): f"# file: {m['path']}\n{m['body']}"
        for m in FILE_BLOCK.finditer(text)
        if m["path"].startswith(prefix)
    }


PACKAGE = doc_files("floe-compute-trino/")
RULE_PACKAGE = doc_files("floe-acme-rules/")
# The documented package, plus one entry point that does not load (the section is last).
BROKEN = 'broken = "floe_compute_trino:DoesNotExist"\n'
# A rule package whose module fails on import, with a message of two lines.
BROKEN_RULES = {
    "pyproject.toml": RULE_PACKAGE["pyproject.toml"]
    .replace("floe-acme-rules", "floe-broken-rules")
    .replace('ACME102 = "floe_acme_rules"', 'ACME103 = "floe_broken_rules"')
    .replace("floe_acme_rules", "floe_broken_rules"),
    "floe_broken_rules.py": 'raise ImportError("needs acme-sdk\\nsee the README")\n',
}


def test_the_documented_packages_are_what_this_test_installs() -> None:
    assert sorted(PACKAGE) == ["floe_compute_trino.py", "pyproject.toml"]
    assert PACKAGE["pyproject.toml"].rstrip().endswith('trino = "floe_compute_trino:TrinoPlugin"')
    assert "from floe_lint.api import" in PACKAGE["floe_compute_trino.py"]
    assert sorted(RULE_PACKAGE) == ["floe_acme_rules.py", "pyproject.toml"]
    assert (
        RULE_PACKAGE["pyproject.toml"]
        .rstrip()
        .endswith(f'[project.entry-points."{ENTRY_POINT_GROUP}"]\nACME102 = "floe_acme_rules"')
    )
    assert "from floe_lint.api import" in RULE_PACKAGE["floe_acme_rules.py"]
    assert 'ACME103 = "floe_broken_rules"' in BROKEN_RULES["pyproject.toml"]


def pip_install(files: dict[str, str], source: Path, target: Path) -> Path:
    """Write a package's files to `source` and install it with pip into `target`."""
    for name, text in files.items():
        (source / name).write_text(text, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return target


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plugin package, built and installed by pip into a folder of its own."""
    files = {**PACKAGE, "pyproject.toml": PACKAGE["pyproject.toml"] + BROKEN}
    source, target = tmp_path_factory.mktemp("floe-compute-trino"), tmp_path_factory.mktemp("site")
    pip_install(files, source, target)
    assert list(target.glob("floe_compute_trino-0.3.0.dist-info"))
    return target


@pytest.fixture(scope="module")
def rule_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rule package of docs/extending.md, installed by pip into a folder of its own."""
    source, target = tmp_path_factory.mktemp("floe-acme-rules"), tmp_path_factory.mktemp("rules")
    pip_install(RULE_PACKAGE, source, target)
    assert list(target.glob("floe_acme_rules-1.0.0.dist-info"))
    return target


def floe_lint(
    cwd: Path, *args: str, site: Path | None = None, also: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`floe-lint ARGS` in a fresh interpreter that sees the packages installed in `site`
    (and `also`)."""
    env = dict(os.environ)
    paths = [str(p) for p in (site, also) if p is not None]
    if paths:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [*paths, env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "floe_lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


@pytest.fixture
def product(tmp_path: Path) -> Path:
    write_files(
        tmp_path,
        {
            "manifest.yaml": """\
                plugins:
                  compute:
                    approved:
                      - duckdb
                      - name: trino
                        config: {host: trino.internal, catalgo: iceberg}
                    default: duckdb
            """,
            "floe.yaml": """\
                name: orders
                platform: {ref: manifest.yaml}
                transforms:
                  - {type: dbt, path: models/x/, compute: trino}
            """,
        },
    )
    return tmp_path


def test_plugins_lists_the_installed_plugin_and_reports_a_broken_one(
    site: Path, tmp_path: Path
) -> None:
    run = floe_lint(tmp_path, "plugins", site=site)
    rows = {line.split()[0]: line for line in run.stdout.splitlines()[1:]}
    assert "duckdb" in rows
    assert rows["trino"].split()[1:3] == ["0.3.0", "yes"]
    assert "floe-compute-trino (floe_compute_trino:TrinoPlugin)" in rows["trino"]
    assert rows["trino"].endswith("dbt-trino>=1.9")
    assert "broken" not in rows
    assert run.returncode == 1
    assert "plugin error: entry point 'broken'" in run.stderr


def test_without_the_package_trino_is_an_unknown_compute(product: Path) -> None:
    run = floe_lint(product, "check", ".", "--format", "json")
    names = {f["name"] for f in json.loads(run.stdout)["findings"]}
    assert "unknown-compute" in names


def test_lint_uses_the_plugin_and_its_config_schema(site: Path, product: Path) -> None:
    run = floe_lint(product, "check", ".", "--format", "json", site=site)
    findings = json.loads(run.stdout)["findings"]
    assert [(f["name"], f["line"]) for f in findings] == [("compute-config", 6)]
    assert "no config key 'catalgo'; did you mean 'catalog'?" in findings[0]["message"]


def test_compile_renders_the_third_party_profile(site: Path, product: Path) -> None:
    manifest = product / "manifest.yaml"
    manifest.write_text(manifest.read_text("utf-8").replace("catalgo", "catalog"), "utf-8")
    run = floe_lint(product, "compile", site=site)
    assert run.returncode == 0, run.stdout + run.stderr
    profiles = yaml.safe_load((product / "target/floe/profiles.yml").read_text("utf-8"))
    trino = profiles["orders"]["outputs"]["trino"]
    assert (trino["type"], trino["host"], trino["database"]) == (
        "trino",
        "trino.internal",
        "iceberg",
    )
    assert trino["password"] == "{{ env_var('TRINO_PASSWORD') }}"
    artifacts = json.loads((product / "target/floe/compiled_artifacts.json").read_text("utf-8"))
    assert artifacts["dbt_packages"] == ["dbt-trino>=1.9"]
    assert artifacts["compute_registry"]["configs"]["trino"]["plugin_version"] == "0.3.0"


def test_the_documented_rule_folder_rule_runs_with_its_config(site: Path, product: Path) -> None:
    files = doc_files("")
    for name in ("ci/floe-rules/explicit_compute.py", ".floe-lint.yaml"):
        (product / name).parent.mkdir(parents=True, exist_ok=True)
        (product / name).write_text(files[name], "utf-8")
    floe = product / "floe.yaml"
    floe.write_text(floe.read_text("utf-8") + "  - {type: dbt, path: models/y/}\n", "utf-8")
    run = floe_lint(product, "check", ".", "--format", "json", site=site)
    found = [f for f in json.loads(run.stdout)["findings"] if f["rule"] == "ACME101"]
    assert [(f["name"], f["severity"], f["file"], f["line"]) for f in found] == [
        ("explicit-compute", "warning", "floe.yaml", 5)
    ]
    assert found[0]["message"] == (
        "transform 'models/y/' relies on the platform's default compute; name it"
    )
    assert [(r["file"], r["line"]) for r in found[0]["related"]] == [("manifest.yaml", 7)]
    listed = floe_lint(product, "rules", site=site).stdout
    assert "ACME101 explicit-compute" in listed
    shown = floe_lint(product, "rule", "ACME101", site=site).stdout
    assert shown.startswith("ACME101 explicit-compute (default severity: warning)")


def test_the_installed_rule_runs_on_check_with_the_plugin(
    site: Path, rule_site: Path, product: Path
) -> None:
    run = floe_lint(product, "check", ".", "--format", "json", site=site, also=rule_site)
    findings = json.loads(run.stdout)["findings"]
    assert [(f["rule"], f["name"], f["severity"], f["file"], f["line"]) for f in findings] == [
        ("ACME102", "named-connection-secret", "error", "manifest.yaml", 5),
        ("FL208", "compute-config", "error", "manifest.yaml", 6),
    ]
    assert findings[0]["message"] == "compute 'trino' has a config but no connection_secret_ref"
    assert run.returncode == 1


def test_the_installed_rule_is_selected_and_ignored_by_id_or_name(
    site: Path, rule_site: Path, product: Path
) -> None:
    def rules_found(*args: str) -> list[str]:
        run = floe_lint(product, "check", ".", "--format", "json", *args, site=site, also=rule_site)
        assert run.returncode in (0, 1), run.stderr
        return [f["rule"] for f in json.loads(run.stdout)["findings"]]

    assert rules_found("--select", "ACME102") == ["ACME102"]
    assert rules_found("--select", "named-connection-secret") == ["ACME102"]
    assert rules_found("--ignore", "ACME102") == ["FL208"]
    assert rules_found("--ignore", "acme1") == ["FL208"]  # an id prefix, in any case
    config = product / ".floe-lint.yaml"
    config.write_text("ignore: [named-connection-secret]\n", "utf-8")
    assert rules_found() == ["FL208"]
    without = floe_lint(product, "check", ".", site=site)  # the config names an unknown rule
    assert without.returncode == 2
    assert "unknown rule 'named-connection-secret'" in without.stderr


def test_rules_and_rule_show_the_installed_rule(rule_site: Path, tmp_path: Path) -> None:
    listed = floe_lint(tmp_path, "rules", site=rule_site)
    assert listed.returncode == 0, listed.stderr
    header, *lines = listed.stdout.splitlines()
    line = next(x for x in lines if x.startswith("ACME102"))
    assert line.split()[:3] == ["ACME102", "named-connection-secret", "error"]
    columns = [header.index(title) for title in ("NAME", "SEVERITY")]
    assert all(x[c - 1] == " " and x[c] != " " for x in lines for c in columns), "aligned"
    assert line.endswith("A configured compute names its connection secret.")
    shown = floe_lint(tmp_path, "rule", "named-connection-secret", site=rule_site)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("ACME102 named-connection-secret (default severity: error)")
    assert "Why: a compute with a `config` reaches a server" in shown.stdout
    by_id = floe_lint(tmp_path, "rule", "ACME102", site=rule_site)  # as docs/extending.md says
    assert (by_id.returncode, by_id.stdout) == (0, shown.stdout)
    assert "ACME102" not in floe_lint(tmp_path, "rules").stdout


def test_a_broken_rule_entry_point_is_one_line_and_exit_2(
    tmp_path_factory: pytest.TempPathFactory, product: Path
) -> None:
    source, target = tmp_path_factory.mktemp("broken-src"), tmp_path_factory.mktemp("broken")
    pip_install(BROKEN_RULES, source, target)
    expected = (
        "floe-lint: error: rule entry point 'ACME103' = floe-broken-rules (floe_broken_rules): "
        "failed to load: ImportError: needs acme-sdk see the README\n"
    )
    for args in (["check", "."], ["rules"], ["rule", "FL101"], ["check", ".", "--select", "X"]):
        run = floe_lint(product, *args, site=target)
        assert (run.returncode, run.stderr, run.stdout) == (2, expected, ""), args


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        (
            "FL101",
            "floe_lint.rules.schema_unknown_key",
            "already taken by FL101 schema-unknown-key",
        ),
        ("ACME1", "floe_lint.rules.schema_unknown_key", "provides 'FL101'; the entry point name"),
        ("ACME1", "floe_lint.api:Finding", "names type, not a rule module"),
        ("ACME1", "floe_lint.api", "lacks ID, NAME, SEVERITY, SUBJECT, check"),
        ("ACME1", "floe_lint_no_such_module", "failed to load: ModuleNotFoundError"),
    ],
)
def test_a_rule_entry_point_is_checked_like_a_rule_folder(
    name: str, value: str, problem: str
) -> None:
    entry = EntryPoint(name, value, ENTRY_POINT_GROUP)
    with pytest.raises(ConfigError) as raised:
        rules_of_entry_points([entry])
    assert str(raised.value).startswith(f"rule entry point '{name}' = ? ({value}): ")
    assert problem in str(raised.value)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('SEVERITY = "fatal"', "has unknown SEVERITY 'fatal'"),
        ("ID = 102", "has a malformed ID 102"),
        ('NAME = "two words"', "has a malformed NAME 'two words'"),
        ("check = None", "has a check that is not a function"),
    ],
)
def test_a_rule_module_with_a_malformed_declaration_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, problem: str
) -> None:
    name = f"floe_acme_malformed_{line.split()[0].lower()}"  # one module per case
    (tmp_path / f"{name}.py").write_text(RULE_PACKAGE["floe_acme_rules.py"] + line + "\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = EntryPoint("ACME102", name, ENTRY_POINT_GROUP)
    with pytest.raises(ConfigError, match=f"rule module {name} ") as raised:
        rules_of_entry_points([entry])
    assert problem in str(raised.value)


def test_plugins_schema_prints_the_installed_plugins_config_schema(
    site: Path, tmp_path: Path
) -> None:
    """docs/extending.md's `floe-lint plugins --schema trino`, as written, once installed."""
    assert "`floe-lint plugins --schema trino`" in DOC.read_text("utf-8")
    run = floe_lint(tmp_path, "plugins", "--schema", "trino", site=site)
    schema = json.loads(run.stdout)
    assert schema["type"] == "object" and "properties" in schema
