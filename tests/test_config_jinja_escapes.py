"""A string literal in a config value's Jinja ends where Jinja's lexer ends it: a backslash
escapes the next character. floe-lint ended `'A\\'` at its second quote, so

    {{ env_var('A\\', ' ~ ') }}' ~ log(env_var('PW'), info=true) ~ '', 'x') }}

read as a harmless `env_var` reference followed by text, while dbt reads one reference whose
first argument runs `log(env_var('PW'), info=true)` (the password printed into dbt's log): it
passed check and compile wrote it into profiles.yml (a forged pass). The oracle is dbt's own
Jinja environment: whatever floe-lint lets through lexes there as nothing but `env_var`,
conversion filters, constants and literals."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from floe_lint.compute.jinja import runs_jinja
from tests.conftest import run_cli, write_files

FORGED = "x{{ env_var('A\\', ' ~ ') }}' ~ log(env_var('PW'), info=true) ~ '', 'x') }}"
MESSAGE = (
    "compute 'duckdb' config 'extensions[0]' holds Jinja that dbt would run when it reads "
    "profiles.yml; a config value may take Jinja only as {{ env_var('NAME') }} (a default and "
    "| as_number allowed)"
)
DOMAIN = """\
scope: domain
parent_manifest: ../enterprise/manifest.yaml
plugins:
  compute:
    approved:
      - name: duckdb
        config:
          extensions:
            - VALUE
"""


def _tree(root: Path, value: str) -> None:
    write_files(
        root,
        {
            "platform/enterprise/manifest.yaml": (
                "scope: enterprise\nplugins:\n  compute:\n"
                "    approved: [duckdb]\n    default: duckdb\n"
            ),
            "platform/sales/manifest.yaml": DOMAIN.replace("VALUE", value),
            "products/orders/floe.yaml": (
                "name: orders\nversion: 1.0.0\n"
                "platform: {ref: ../../platform/sales/manifest.yaml}\n"
                "transforms:\n  - {type: dbt, path: models/a/}\n"
            ),
        },
    )


def test_dbt_runs_the_code_inside_the_escaped_string(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reproducer is real: dbt's profile renderer calls log() with the password."""
    from dbt.config.renderer import ProfileRenderer
    from dbt_common.context import set_invocation_context

    monkeypatch.setenv("PW", "hunter2")
    set_invocation_context(dict(os.environ))
    logged: list[object] = []
    renderer = ProfileRenderer({})
    renderer.context["log"] = lambda message, info=False: logged.append(message) or ""
    assert renderer.render_value(FORGED) == "xx"
    assert logged == ["hunter2"]


def test_the_forged_reference_is_a_finding_and_compile_refuses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path, FORGED)
    run = run_cli("check", ".", "--format", "concise")
    assert (run.code, run.stdout) == (
        1,
        f"platform/sales/manifest.yaml:9:15: ERROR FL208 [compute-config] {MESSAGE}\n",
    )
    compiled = run_cli("compile", "products/orders/floe.yaml", "--out", "out")
    assert compiled.code == 1
    assert not (tmp_path / "out").exists()


def test_an_escaped_quote_inside_a_default_is_still_a_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read as Jinja reads it, an escape inside a literal is only text: no false error."""
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path, "\"{{ env_var('DUCKDB_EXT', 'it\\\\'s') }}\"")
    run = run_cli("check", ".", "--format", "concise")
    assert (run.code, run.stdout) == (0, "")


#: what dbt may meet inside a reference floe-lint lets through: env_var, the conversions, the
#: constants, literals and the punctuation of a call and a filter chain
_NAMES = {"env_var", "as_number", "as_bool", "as_text", "as_native", "int", "float", "string"}
_NAMES |= {"true", "false", "none", "True", "False", "None"}
_TOKENS = {"string", "integer", "float", "whitespace", "data", "variable_begin", "variable_end"}
_OPERATORS = {"(", ")", ",", "|", "-", "+"}


def _runs_only_references(value: str) -> bool:
    """Whether dbt's Jinja lexer reads `value` as text and env_var references only."""
    from dbt_common.clients.jinja import get_environment
    from jinja2.exceptions import TemplateSyntaxError

    try:
        tokens = list(get_environment().lex(value))
    except TemplateSyntaxError:
        return True  # dbt refuses the profile: nothing is run
    return all(
        kind in _TOKENS
        or (kind == "name" and text in _NAMES)
        or (kind == "operator" and text in _OPERATORS)
        for _, kind, text in tokens
    )


_PIECES = ["\\", "'", '"', "}}", "{{", " ~ ", "log(x)", ")", ",", " ", "A", "-"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=8).map("".join)


def _literal(quote: str) -> st.SearchStrategy[str]:
    """A quoted literal as a reading that knows no escape ends it: at its next quote."""
    pieces = [p for p in _PIECES if p != quote] + ["\\", "\\"]  # (escapes drawn often)
    inside = st.lists(st.sampled_from(pieces), max_size=6)
    return inside.map(lambda parts: quote + "".join(parts) + quote)


@st.composite
def _value(draw: st.DrawFn) -> str:
    """A reference whose literals hold quotes, backslashes and braces, text around it."""
    literal = _literal(draw(st.sampled_from(["'", '"'])))
    args = draw(literal) + "".join(f", {d}" for d in draw(st.lists(literal, max_size=1)))
    dash = draw(st.sampled_from(["", "-"]))
    return f"{draw(_TEXT)}{{{{{dash} env_var({args}) {dash}}}}}{draw(_TEXT)}"


@example(FORGED)
@example("{{env_var('\\','')}}'~log(x)~'')}}")
@settings(deadline=None, max_examples=500)
@given(_value())
def test_what_passes_runs_only_env_var_in_dbt_s_jinja(value: str) -> None:
    assert runs_jinja(value) or _runs_only_references(value), value
