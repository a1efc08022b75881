"""A built-in rule with a `GUARD` imports its module only for a subject that passes the guard's
test (floe_lint.lint.applicable.guarded), and that never changes what a run prints.

Both halves, on the rules' own docstring examples (both dialects, with their configs: trusted
roots, per-environment files, credentials in refs), mixed at random, and on
examples/: with the tests off (`applicable.BY_GUARD`) every guarded rule's module is asked
about every subject, and none finds anything on a subject whose test fails; the output (text,
JSON, SARIF) and exit status are the same with the tests as without them. A fresh run over a
valid product and its two manifests imports none of the guarded modules.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.cli import main
from floe_lint.lint import applicable
from floe_lint.lint.registry import Rule, RuleError, builtin_rules, rule_from_module
from tests.conftest import REPO, write_files
from tests.test_rule_examples import examples

GUARDED = [rule for rule in builtin_rules() if rule.guard is not None]
SCENARIOS = [files for rule in builtin_rules() for _, files, _ in examples(rule)]
#: the scenarios of the guarded rules (their failing examples pass their tests)
OWN = [files for rule in GUARDED for _, files, _ in examples(rule)]


def test_the_guarded_rules() -> None:
    """The schema rules, the ref rules, untrusted-root, mixed-dialect, ref-credential,
    unpinned-ref, no-floe-document, scope-mismatch and nine compute-policy rules: each module's own first
    steps are the test its GUARD names."""
    assert {r.name: r.guard for r in GUARDED} == {
        "schema-unknown-key": "schema:unknown-key",
        "schema-type": "schema:type",
        "schema-required": "schema:required",
        "schema-enum": "schema:enum",
        "schema-empty-list": "schema:empty-list",
        "schema-invalid": "schema:invalid",
        "schema-coerced": "schema:coerced",
        "unresolved-ref": "ref-problems",
        "parent-cycle": "ref-problems",
        "ref-integrity": "ref-problems",
        "untrusted-root": "trusted-roots",
        "mixed-dialect": "mixed-dialect",
        "ref-credential": "url-credentials",
        "unpinned-ref": "oci-ref",
        "no-floe-document": "untyped-file",
        "product-not-approved": "approved-products",
        "missing-default": "no-default",
        "platform-not-checked": "unchecked-platform",
        "duplicate-compute": "repeated-compute",
        "default-not-approved": "default-unapproved",
        "approved-not-subset": "unapproved-compute",
        "unknown-compute": "unknown-compute",
        "duplicate-transform": "repeated-transform",
        "compute-not-approved": "unapproved-selection",
        "scope-mismatch": "scope-amiss",
    }


def test_the_overlay_categories_are_the_schema_rules() -> None:
    from floe_lint.rules import _schema

    from floe_lint.load.validation import CATEGORIES

    assert applicable.OVERLAY_CATEGORIES == _schema.OVERLAY_CATEGORIES
    assert {f"schema:{c}" for c in CATEGORIES} == {g for g in applicable.TESTS if "schema" in g}


def test_the_table_says_what_the_modules_say() -> None:
    import importlib

    for rule in GUARDED:
        assert rule_from_module(importlib.import_module(str(rule.module))).guard == rule.guard


class _Recorder:
    """Wraps each guarded rule's module check: (rule id, place) of each finding on a subject
    whose test fails (`outside`), and how many subjects passing it had findings."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.outside: list[tuple[str, str]] = []
        self.found = 0
        for rule in GUARDED:
            monkeypatch.setattr(rule, "_check", self._wrap(rule))

    def _wrap(self, rule: Rule):  # type: ignore[no-untyped-def]
        test = applicable.TESTS[str(rule.guard)]
        check = rule.module_check()

        def recorded(subject, ctx):  # type: ignore[no-untyped-def]
            found = list(check(subject, ctx))
            own = rule.subject in ("manifest", "product")
            doc = subject.doc if own and rule.guard not in applicable.ON_SUBJECT else subject
            if found and not test(doc, ctx):
                self.outside.extend((rule.id, str(f.location)) for f in found)
            self.found += bool(found)
            return found

        return recorded


def _check(root: Path, args: list[str], guarded: bool, fmt: str = "json") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    applicable.BY_GUARD = guarded
    try:
        code = main(["check", *args, "--format", fmt, "--offline", "--no-cache"], out, err)
    finally:
        applicable.BY_GUARD = True
    return code, out.getvalue(), err.getvalue().replace(str(root), "ROOT")


files_sets = st.one_of(
    # whole examples side by side, each in its folder (a guarded rule's own among them)
    st.lists(st.sampled_from(SCENARIOS) | st.sampled_from(OWN), min_size=1, max_size=4).map(
        lambda chosen: {f"s{i}/{n}": t for i, files in enumerate(chosen) for n, t in files.items()}
    ),
    # the files of two examples in one folder (the second's files win a name both use)
    st.tuples(st.sampled_from(OWN), st.sampled_from(SCENARIOS)).map(
        lambda pair: {**pair[0], **pair[1]}
    ),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=files_sets, whole=st.booleans())
def test_guarding_rules_changes_no_output(
    files: dict[str, str],
    whole: bool,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = tmp_path_factory.mktemp("guards")
    write_files(root, files)
    monkeypatch.chdir(root)
    # the folder (a streamed run), or its files named one by one (the engine holds them all)
    names = sorted(n for n in files if n.endswith((".yaml", ".yml")))
    args = ["."] if whole or not names else ["--no-dependents", *names]
    recorder = _Recorder(monkeypatch)
    without = _check(root, args, guarded=False)
    assert not recorder.outside, recorder.outside
    monkeypatch.undo()
    monkeypatch.chdir(root)
    assert _check(root, args, guarded=True) == without


def test_every_example_side_by_side_prints_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every example of every rule, each in its folder, in one run (each guarded rule's failing
    example among them: the recorder sees its findings), in text, JSON and SARIF."""
    write_files(tmp_path, {f"s{i}/{n}": t for i, f in enumerate(SCENARIOS) for n, t in f.items()})
    monkeypatch.chdir(tmp_path)
    recorder = _Recorder(monkeypatch)
    without = {fmt: _check(tmp_path, ["."], False, fmt) for fmt in ("json", "full", "sarif")}
    assert not recorder.outside, recorder.outside
    # (those whose example needs its config, trusted roots or an OCI cache: the test below)
    fired = {f["rule"] for f in json.loads(without["json"][1])["findings"]}
    assert {r.id for r in GUARDED} - fired == {"FL305", "FL310"}
    assert recorder.found
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    for fmt, printed in without.items():
        assert _check(tmp_path, ["."], True, fmt) == printed, fmt


@pytest.mark.parametrize(
    ("rule", "kind", "files"),
    [
        pytest.param(rule, kind, files, id=f"{rule.id}-{kind}-{n}")
        for rule in GUARDED
        for n, (kind, files, _) in enumerate(examples(rule))
    ],
)
def test_each_guarded_rules_examples_print_the_same(
    rule: Rule, kind: str, files: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each example of a guarded rule alone, in its folder with its config: its failing
    example's findings (test_rule_examples says which) come through the test."""
    write_files(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    recorder = _Recorder(monkeypatch)
    without = {fmt: _check(tmp_path, ["."], False, fmt) for fmt in ("json", "sarif")}
    assert not recorder.outside, recorder.outside
    fired = {f["rule"] for f in json.loads(without["json"][1])["findings"]}
    assert (rule.id in fired) == (kind == "Fails"), fired
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    for fmt, printed in without.items():
        assert _check(tmp_path, ["."], True, fmt) == printed, fmt


@pytest.mark.parametrize("example", sorted(p.name for p in (REPO / "examples").iterdir()))
def test_the_examples_print_the_same(example: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root = REPO / "examples" / example
    monkeypatch.chdir(root)
    recorder = _Recorder(monkeypatch)
    without = {fmt: _check(root, ["."], False, fmt) for fmt in ("json", "full", "sarif")}
    assert not recorder.outside, recorder.outside
    monkeypatch.undo()
    monkeypatch.chdir(root)
    for fmt, printed in without.items():
        assert _check(root, ["."], True, fmt) == printed, fmt


PROBE = """
import io, json, sys
from floe_lint.cli import main
main(["check", "--no-cache", *sys.argv[1:]], io.StringIO(), io.StringIO())
print(json.dumps(sorted(m for m in sys.modules if m.startswith("floe_lint.rules."))))
"""


def _imported(root: Path, *args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=root, capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_valid_files_import_no_guarded_rule(tmp_path: Path) -> None:
    """A valid product and its manifest (no schema or ref problem, no trusted roots, one
    dialect, no URL with a password, no oci:// ref, no compute policy or scope broken): none of the 25
    guarded modules, nor rules/_schema.py; a schema problem imports the schema rule of its
    category and no other."""
    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "floe.yaml": (
                "name: orders\nplatform: {ref: manifest.yaml}\n"
                "transforms: [{type: dbt, path: models/x/}]\n"
            ),
        },
    )
    modules = _imported(tmp_path, "floe.yaml", "manifest.yaml")
    assert "floe_lint.rules.secret_literal" in modules  # it did check
    guarded = {str(r.module) for r in GUARDED} | {"floe_lint.rules._schema"}
    assert not modules & guarded, modules & guarded
    (tmp_path / "floe.yaml").write_text(
        "name: orders\nplatform: {ref: manifest.yaml}\ntransforms: [{type: dbt, path: 7}]\n"
    )
    modules = _imported(tmp_path, "floe.yaml", "manifest.yaml")
    assert modules & guarded == {"floe_lint.rules.schema_type", "floe_lint.rules._schema"}


RULE = '''"""A folder's rule.

Why: a test.

Fails:
    x: 1
Passes:
    x: 2
"""

ID, NAME, SEVERITY, SUBJECT = "ACME1", "acme", "warning", "{subject}"
GUARD = {guard!r}


def check(subject, ctx):
    return iter(())
'''


@pytest.mark.parametrize(
    ("subject", "guard", "error"),
    [
        ("document", "ref-problems", None),
        ("document", "refs", "has unknown GUARD 'refs' (one of: approved-products, default-"),
        ("file", "ref-problems", "has GUARD 'ref-problems', which only a rule of document, "),
        ("manifest", "schema:type", "has GUARD 'schema:type', which only a rule of document"),
    ],
)
def test_a_modules_guard_is_checked(
    subject: str, guard: str, error: str | None, tmp_path: Path
) -> None:
    import importlib.util

    path = tmp_path / "acme.py"
    path.write_text(RULE.format(subject=subject, guard=guard))
    spec = importlib.util.spec_from_file_location("acme_guard_rule", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if error is None:
        assert rule_from_module(module).guard == guard
        return
    with pytest.raises(RuleError) as raised:
        rule_from_module(module)
    assert error in str(raised.value), raised.value
