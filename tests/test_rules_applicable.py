"""A rule that can find nothing in a run is not imported (floe_lint.lint.applicable), and that
never changes what a run prints.

The file sets are drawn from every rule's docstring examples (both dialects): whole examples
side by side, and products and manifests of different examples mixed in one folder, read in
each dialect (`auto`, or pinned by the config). Each set is checked with the selection and
without it (`applicable.BY_DIALECT`); the output and exit status must be the same, and, without
the selection, no rule with a `DIALECT` may find anything on a subject whose own document is in
the other dialect, nor a rule with `KEYS` on one that holds none of them (what the selection
relies on).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.cli import main
from floe_lint.lint import applicable
from floe_lint.lint.registry import Rule, builtin_rules
from tests.conftest import write_files
from tests.test_rule_examples import examples

SCENARIOS = [files for rule in builtin_rules() for _, files, _ in examples(rule)]
PRODUCTS = sorted({t for files in SCENARIOS for n, t in files.items() if n == "floe.yaml"})
MANIFESTS = sorted({t for files in SCENARIOS for n, t in files.items() if "manifest" in n})
DIALECT_RULES = [rule for rule in builtin_rules() if rule.dialect is not None]
KEYS_RULES = [rule for rule in builtin_rules() if rule.keys is not None]
LOADER_RULES = [rule for rule in builtin_rules() if rule.from_loader]


def test_the_rules_of_the_loaders_problems_say_so() -> None:
    assert {r.name for r in LOADER_RULES} == {
        "yaml-syntax",
        "duplicate-key",
        "multiple-documents",
        "merge-key",
    }


def test_the_governance_weakening_rules_need_a_governance_key() -> None:
    ends = ("-weakened", "-added", "-dropped", "-replaced")  # FL610-FL612 weaken by lists
    weakening = {r.id for r in builtin_rules() if r.name.endswith(ends)}
    weakening.add("FL613")  # naming-pattern-invalid: custom patterns live under governance
    weakening.add("FL614")  # naming-pattern-unproven: so do the patterns it compares
    governance = {r.id for r in KEYS_RULES if r.keys == ("governance",)}
    assert weakening and weakening == governance
    # the one other rule with KEYS reads lists of its own (FL109: repeated names in them)
    others = {r.id: r.keys for r in KEYS_RULES if r.id not in governance}
    assert others == {"FL109": ("destinations", "ingestion", "artifacts")}


def test_the_rules_of_upstreams_dialect_say_so() -> None:
    """Every upstream-* rule has a DIALECT (and there are such rules to select)."""
    upstream = {r.id for r in builtin_rules() if r.name.startswith("upstream-")}
    assert upstream and upstream <= {r.id for r in DIALECT_RULES}
    assert all(r.dialect == "floe" for r in DIALECT_RULES)


def _check(root: Path, args: list[str], by_dialect: bool) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    applicable.BY_DIALECT = by_dialect
    try:
        code = main(["check", *args, "--format", "json", "--offline", "--no-cache"], out, err)
    finally:
        applicable.BY_DIALECT = True
    return code, out.getvalue(), err.getvalue().replace(str(root), "ROOT")


class _Recorder:
    """Wraps each rule with a DIALECT or KEYS: the dialects of the subjects it found anything
    on, and (`outside`) each finding on a subject whose own document holds none of its KEYS."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.found: list[tuple[str, str, str]] = []  # (rule id, its dialect, subject's)
        self.outside: list[str] = []
        self.keyed = 0  # findings of rules with KEYS (on subjects that hold one)
        self.loaded = 0  # subjects a FROM_LOADER rule found anything on
        for rule in {*DIALECT_RULES, *KEYS_RULES, *LOADER_RULES}:
            monkeypatch.setattr(rule, "_check", self._wrap(rule))

    def _wrap(self, rule: Rule):  # type: ignore[no-untyped-def]
        check = rule.check

        def recorded(subject, ctx):  # type: ignore[no-untyped-def]
            found = list(check(subject, ctx))
            if rule.from_loader:
                if found and rule.name not in {p.rule for p in subject.problems}:
                    self.outside.append(rule.id)
                self.loaded += bool(found)
                return found
            doc = subject if rule.subject == "document" else subject.doc
            if found and rule.dialect is not None:
                self.found.append((rule.id, str(rule.dialect), doc.dialect))
            if found and rule.keys is not None:
                data = doc.data if isinstance(doc.data, dict) else {}
                if not any(key in data for key in rule.keys):
                    self.outside.append(rule.id)
                self.keyed += 1
            return found

        return recorded


files_sets = st.one_of(
    # whole examples side by side, each in its folder
    st.lists(st.sampled_from(SCENARIOS), min_size=1, max_size=4).map(
        lambda chosen: {f"s{i}/{n}": t for i, files in enumerate(chosen) for n, t in files.items()}
    ),
    # a product and a manifest of different examples in one folder (mixed dialects)
    st.builds(
        lambda product, manifest, parent: {
            "floe.yaml": product,
            "manifest.yaml": manifest,
            **({"enterprise.manifest.yaml": parent} if parent is not None else {}),
        },
        st.sampled_from(PRODUCTS),
        st.sampled_from(MANIFESTS),
        st.none() | st.sampled_from(MANIFESTS),
    ),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=files_sets, dialect=st.sampled_from([None, "adr-0010", "floe"]), whole=st.booleans())
def test_selecting_rules_by_dialect_changes_no_output(
    files: dict[str, str],
    dialect: str | None,
    whole: bool,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = tmp_path_factory.mktemp("applicable")
    write_files(root, files)
    if dialect is not None:
        (root / ".floe-lint.yaml").write_text(f"dialect: {dialect}\n")
    monkeypatch.chdir(root)
    # the folder (a streamed run), or its files named one by one (the engine holds them all)
    args = ["."] if whole else ["--no-dependents", *sorted(files)]
    recorder = _Recorder(monkeypatch)
    without = _check(root, args, by_dialect=False)
    assert all(own == theirs for _, own, theirs in recorder.found), recorder.found
    assert not recorder.outside, recorder.outside
    assert _check(root, args, by_dialect=True) == without


@pytest.mark.parametrize("dialect", [None, "adr-0010", "floe"])
def test_every_example_side_by_side_prints_the_same_with_and_without_the_selection(
    dialect: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every example of every rule, each in its folder, in one run: a rule's failing example
    (which test_rule_examples proves it fires on) is among them, whatever its dialect."""
    write_files(tmp_path, {f"s{i}/{n}": t for i, f in enumerate(SCENARIOS) for n, t in f.items()})
    if dialect is not None:
        (tmp_path / ".floe-lint.yaml").write_text(f"dialect: {dialect}\n")
    monkeypatch.chdir(tmp_path)
    recorder = _Recorder(monkeypatch)
    without = _check(tmp_path, ["."], by_dialect=False)
    assert json.loads(without[1])["findings"]
    assert all(own == theirs for _, own, theirs in recorder.found), recorder.found
    assert recorder.keyed and recorder.loaded and not recorder.outside, recorder.outside
    assert _check(tmp_path, ["."], by_dialect=True) == without


def test_every_example_read_in_the_other_dialect_gives_a_dialect_rule_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each example of each rule with a DIALECT, pinned to the other dialect: nothing found by
    those rules (their failing examples find something in their own, test_rule_examples)."""
    recorder = _Recorder(monkeypatch)
    for n, files in enumerate(files for r in DIALECT_RULES for _, files, _ in examples(r)):
        for dialect in ("adr-0010", "floe"):
            root = tmp_path / f"{n}-{dialect}"
            write_files(root, {**files, ".floe-lint.yaml": f"dialect: {dialect}\n"})
            monkeypatch.chdir(root)
            _check(root, ["."], by_dialect=False)
    assert recorder.found  # the failing examples, read in upstream's dialect
    assert all(own == theirs for _, own, theirs in recorder.found), recorder.found


PROBE = """
import io, json, sys
from floe_lint.cli import main
main(["check", "--no-cache", *sys.argv[1:]], io.StringIO(), io.StringIO())
print(json.dumps(sorted(m for m in sys.modules if m.startswith("floe_lint.rules."))))
"""


def test_a_run_in_one_dialect_does_not_import_the_others_rules(tmp_path: Path) -> None:
    """ADR-0010 files import no upstream-* rule, a run without suppressions neither
    suppression rule, manifests without governance no *-weakened rule; an upstream file
    imports the upstream-* rules."""
    write_files(
        tmp_path,
        {
            "adr/manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "adr/floe.yaml": (
                "name: orders\nplatform: {ref: manifest.yaml}\n"
                "transforms: [{type: dbt, path: models/x/}]\n"
            ),
            "up/manifest.yaml": (
                "apiVersion: floe.dev/v1\nkind: Manifest\n"
                "metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}\n"
                "plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}\n"
            ),
        },
    )

    def imported(*args: str) -> set[str]:
        result = subprocess.run(
            [sys.executable, "-c", PROBE, *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        return {m.rpartition(".")[2] for m in json.loads(result.stdout.splitlines()[-1])}

    adr = imported("adr/floe.yaml", "adr/manifest.yaml")
    assert "secret_literal" in adr  # it did check
    assert not {m for m in adr if m.startswith("upstream_")}, adr
    assert not adr & {"unused_suppression", "suppression_not_allowed"}, adr
    assert not {m for m in adr if m.endswith("_weakened")}, adr  # no governance: no KEYS
    upstream = imported("up/manifest.yaml")
    assert {"upstream_duckdb_path", "upstream_storage_config"} <= upstream, upstream


FOLDER_RULE = '''"""Counts its calls.

Why: a test.

Fails:
    x: 1
Passes:
    x: 2
"""

ID, NAME, SEVERITY, SUBJECT = "ACME1", "counted", "warning", "{subject}"
{condition}
CALLS = []


def check(subject, ctx):
    CALLS.append(subject)
    return iter(())
'''


def _counted(root: Path) -> Any:
    """The folder rule's module as the last run loaded it (each run loads it afresh)."""
    return next(
        m
        for m in list(sys.modules.values())
        if getattr(m, "__file__", None) == str(root / "ci" / "rules" / "counted.py")
    )


@pytest.mark.parametrize(
    ("subject", "dialect", "error"),
    [
        ("product", "floe", None),
        ("product", "adr", "has unknown DIALECT 'adr' (one of: adr-0010, floe)"),
        ("file", "floe", "has a DIALECT, which only a rule of document, product, manifest"),
        ("product", "keys:governance", None),
        ("product", "keys:", "has malformed KEYS ()"),
        ("file", "keys:governance", "has KEYS, which only a rule of document, product, manifest"),
        ("file", "loader", None),
        ("product", "loader", "has FROM_LOADER True: only True, on a rule of file"),
    ],
)
def test_a_rule_folders_dialect(
    subject: str, dialect: str, error: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder's rule with a DIALECT is not asked about ADR-0010 files, one with KEYS about
    documents without them; a DIALECT that is not a dialect, KEYS that are not a tuple of keys,
    or either on a subject without a document of its own, is refused (exit 2)."""
    write_files(
        tmp_path,
        {
            "ci/rules/counted.py": FOLDER_RULE.format(
                subject=subject,
                condition=(
                    f"KEYS = {tuple(k for k in dialect[5:].split(',') if k)!r}"
                    if dialect.startswith("keys:")
                    else "FROM_LOADER = True"
                    if dialect == "loader"
                    else f"DIALECT = {dialect!r}"
                ),
            ),
            ".floe-lint.yaml": "rule-folders: [ci/rules]\n",
            "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "floe.yaml": "name: orders\nplatform: {ref: manifest.yaml}\ntransforms: []\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    code, out, err = _check(tmp_path, ["."], by_dialect=True)
    if error is not None:
        assert code == 2 and error in err, err
        return
    assert code in (0, 1), err
    counted = _counted(tmp_path)
    assert counted.CALLS == []
    assert _check(tmp_path, ["."], by_dialect=False) == (code, out, err)
    counted = _counted(tmp_path)
    assert counted.CALLS  # without the selection, it is asked (and finds nothing)
