"""One selector grammar for every place that names rules: --select/--ignore, the config's
select, ignore, severity and per-path-ignores, and suppression comments.

The property test enumerates, for each rule, every string that names it (its id, its name,
each of their prefixes, with or without `*`, in any case, and ALL) independently of
`floe_lint.lint.selectors`, and checks that `--select` runs exactly the rules named that way.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.lint.registry import Rule, builtin_rules
from tests.conftest import REPO, run_cli, write_files
from tests.test_config_file import CUSTOM_RULE

RULES = builtin_rules()


def ways_of_naming(rule: Rule) -> set[str]:
    """Every selector that names `rule`, lower-cased: the grammar written out as a set."""
    ways = {"all"}
    for word in (rule.id, rule.name):
        for end in range(1, len(word) + 1):
            ways |= {word[:end].lower(), word[:end].lower() + "*"}
    return ways


def named_by(selector: str) -> set[str]:
    return {r.id for r in RULES if selector.lower() in ways_of_naming(r)}


@st.composite
def selectors_of_a_rule(draw: st.DrawFn) -> str:
    rule = draw(st.sampled_from(RULES))
    word = draw(st.sampled_from([rule.id, rule.name, "ALL"]))
    if word != "ALL":
        word = word[: draw(st.integers(1, len(word)))] if draw(st.booleans()) else word
        word += "*" if draw(st.booleans()) else ""
    casing = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(c.upper() if up else c.lower() for c, up in zip(word, casing, strict=True))


def rules_run(*args: str) -> set[str]:
    """The ids of the rules a `check` run ran (SARIF lists exactly those)."""
    run = run_cli("check", "examples/mesh", "--format", "sarif", *args)
    assert run.code == 0, run.stderr
    return {r["id"] for r in json.loads(run.stdout)["runs"][0]["tool"]["driver"]["rules"]}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(selector=selectors_of_a_rule())
def test_select_runs_exactly_the_rules_a_selector_names(selector: str) -> None:
    import os

    os.chdir(REPO)
    expected = named_by(selector)
    assert expected  # the strategy only draws selectors that name some rule
    assert rules_run("--select", selector) == expected
    assert rules_run("--ignore", selector) == {r.id for r in RULES} - expected


def test_issue_examples_select_what_they_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    assert rules_run("--select", "compute") == {"FL201", "FL208"}
    assert rules_run("--select", "Secret-Literal") == {"FL501"}
    schema_rules = {r.id for r in RULES if r.name.startswith("schema-")}
    assert rules_run("--select", "schema-") == schema_rules
    assert rules_run("--select", "schema-*") == schema_rules
    assert rules_run("--ignore", "schema") == {r.id for r in RULES} - schema_rules


def test_select_compute_finds_the_compute_findings_of_the_broken_example(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO / "examples/broken")  # its config keeps it offline (no DNS)
    run = run_cli("check", ".", "--format", "json", "--select", "compute")
    assert run.code == 1
    assert {f["name"] for f in run.findings} == {"compute-not-approved", "compute-config"}


@pytest.mark.parametrize("selector", ["bogus", "FL99", "compute-not-aproved", "*", "FLX"])
def test_a_selector_naming_no_rule_is_exit_2_on_the_command_line(
    selector: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    for option in ("--select", "--ignore"):
        run = run_cli("check", "examples/mesh", option, selector)
        assert run.code == 2, (option, selector, run.stderr)
        assert f"unknown rule '{selector}'" in run.stderr
        assert "Traceback" not in run.stderr


def test_a_misspelt_selector_gets_a_suggestion(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    run = run_cli("check", "examples/mesh", "--select", "Secret-Literl")
    assert run.code == 2 and "did you mean 'secret-literal'?" in run.stderr


@pytest.mark.parametrize(
    ("config", "line"),
    [
        ("select: [compute, bogus]\n", "1:19"),
        ("ignore:\n  - FL2\n  - FL99\n", "3:5"),
        ("severity:\n  FL201: warning\n  nope: error\n", "3:3"),
        ("per-path-ignores:\n  'legacy/*': [schema, FL99]\n", "2:24"),
    ],
)
def test_a_selector_naming_no_rule_in_the_config_is_exit_2_at_its_line(
    config: str, line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {".floe-lint.yaml": config, "manifest.yaml": _MANIFEST})
    run = run_cli("check", ".")
    assert run.code == 2, run.stderr
    assert f".floe-lint.yaml:{line}: unknown rule" in run.stderr, run.stderr


def test_config_selectors_are_checked_against_rule_folder_rules_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "rules/house.py": CUSTOM_RULE,
            ".floe-lint.yaml": "rule-folders: [rules]\nselect: [acme, FL1, bogus]\n",
            "manifest.yaml": _MANIFEST,
            "floe.yaml": _PRODUCT,
        },
    )
    run = run_cli("check", ".")
    assert run.code == 2 and ".floe-lint.yaml:2:" in run.stderr and "'bogus'" in run.stderr
    (tmp_path / ".floe-lint.yaml").write_text("rule-folders: [rules]\nselect: [ACME-*]\n")
    run = run_cli("check", ".", "--format", "json")
    assert [f["rule"] for f in run.findings] == ["ACME1"], run.stderr
    assert run_cli("check", ".", "--select", "acme1,bogus").code == 2


_MANIFEST = """\
plugins:
  compute:
    approved:
      - name: duckdb
        config: {threads: 4, memory_limt: 4GB}
    default: duckdb
"""
_PRODUCT = """\
name: p
platform: {ref: manifest.yaml}
transforms:
  - {type: dbt, path: models/a/, compute: spark}
"""


def test_config_select_severity_and_per_path_ignores_use_the_same_grammar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"manifest.yaml": _MANIFEST, "floe.yaml": _PRODUCT})

    def findings(config: str) -> dict[str, str]:
        (tmp_path / ".floe-lint.yaml").write_text(config, "utf-8")
        run = run_cli("check", ".", "--format", "json")
        assert run.code in (0, 1), run.stderr
        return {f["name"]: f["severity"] for f in run.findings}

    both = {"compute-not-approved": "error", "compute-config": "error"}
    assert findings("select: [compute]\n") == both
    assert findings("select: [Compute-*]\n") == both
    assert findings("ignore: [COMPUTE]\n") == {}
    # the most precise selector wins: an exact name over a prefix, whatever the order
    assert findings("select: [compute]\nseverity: {compute-config: error, compute: warning}\n") == {
        "compute-not-approved": "warning",
        "compute-config": "error",
    }
    assert findings("select: [compute]\nseverity: {compute-n: note, FL2: warning}\n") == {
        "compute-not-approved": "note",
        "compute-config": "warning",
    }
    assert findings("per-path-ignores: {'manifest.yaml': [compute]}\n") == {
        "compute-not-approved": "error"
    }


def test_suppression_comments_use_the_same_grammar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for code in ("compute", "Compute-Not-Approved", "fl2", "compute-*", "comput", "ALL"):
        product = _PRODUCT.replace(
            "compute: spark}", f"compute: spark}}  # floe-lint: disable={code} -- pilot"
        )
        write_files(tmp_path, {"manifest.yaml": _MANIFEST, "floe.yaml": product})
        run = run_cli("check", ".", "--format", "json", "--select", "FL201,FL901")
        assert run.findings == [], (code, run.findings)
    product = _PRODUCT.replace("compute: spark}", "compute: spark}  # floe-lint: disable=compte")
    write_files(tmp_path, {"floe.yaml": product})
    run = run_cli("check", ".", "--format", "json", "--select", "FL201,FL901")
    unknown = run.named("unused-suppression")
    assert unknown and "names no known rule 'compte'" in unknown[0]["message"]
    assert "did you mean 'compute" in unknown[0]["message"]


@settings(max_examples=300, deadline=None)
@given(
    selector=st.one_of(selectors_of_a_rule(), st.text(max_size=12)),
    chosen=st.lists(st.sampled_from(RULES), max_size=6),
)
def test_the_prefix_set_answers_as_matching_every_rule_does(
    selector: str, chosen: list[Rule]
) -> None:
    """`names_any` over `prefixes(rules)` (one set lookup per code of a suppression comment,
    which may name twenty thousand) agrees with matching each rule, for any text and any rule
    set, the empty one included (where even ALL names nothing)."""
    from floe_lint.lint import selectors

    for rules in (RULES, chosen):
        expected = selectors.names_a_rule(selector, rules)
        assert selectors.names_any(selector, selectors.prefixes(rules)) == expected
