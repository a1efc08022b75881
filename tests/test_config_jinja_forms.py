"""What real profiles write around `env_var` passes compute-config and compile, and nothing that
runs more does. dbt renders every profile value as Jinja; floe-lint allows an expression made
only of `env_var('NAME'[, default])`, literals, `~` joins, parentheses and pure filters with
literal arguments (`| lower`, `| default('dev')`, `| replace('-', '_')`). Before,
`{{ env_var('DBT_SCHEMA', 'dbt_' ~ env_var('USER')) }}` and `dbt_{{ env_var('DBT_USER') | lower }}`
were findings at the value and compile refused them (false errors), while a backslash before a
quote (`'a\\'`, which Jinja reads as an escaped quote) made floe-lint and Jinja disagree about
where a string ends, so a value that calls `log(env_var('SECRET'))` passed (a forged pass).

The properties render with dbt's own environment (the sandboxed, native one dbt renders
profiles.yml with), every call, attribute, item, name and filter instrumented: whatever
floe-lint accepts calls `env_var` and the allowed filters only."""

from __future__ import annotations

import resource
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from floe_lint.compute.jinja import runs_jinja
from tests.conftest import run_cli, write_files

ENTERPRISE = """\
scope: enterprise
plugins:
  compute:
    approved: [duckdb, spark]
    default: duckdb
"""
DOMAIN = """\
scope: domain
parent_manifest: ../enterprise/manifest.yaml
plugins:
  compute:
    approved:
      - name: duckdb
        config:
          path: "VALUE"
"""
PRODUCT = """\
name: orders
version: 1.0.0
platform: {ref: ../../platform/sales/manifest.yaml}
transforms:
  - {type: dbt, path: models/a/}
"""
#: a value Jinja reads as `env_var('X', <one string>) ~ log(env_var('SECRET')) ~ (<string>)`
#: and floe-lint read as two references and plain text (the quote after `\\` ends no string)
ESCAPED = "{{ env_var('X', 'a\\') }}{{ env_var(\"') ~ log(env_var('SECRET')) ~ ('\") }}') }}"


@pytest.fixture(autouse=True)
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def tree(root: Path, value: str) -> None:
    domain = DOMAIN.replace('"VALUE"', "'" + value.replace("'", "''") + "'")
    write_files(
        root,
        {
            "platform/enterprise/manifest.yaml": ENTERPRISE,
            "platform/sales/manifest.yaml": domain,
            "products/orders/floe.yaml": PRODUCT,
        },
    )


@pytest.mark.parametrize(
    "value",
    [
        "/data/{{ env_var('DBT_SCHEMA', 'dbt_' ~ env_var('USER')) }}.duckdb",
        "/data/{{ env_var('DBT_SCHEMA', 'dbt_' ~ env_var('DBT_USER', 'dev')) }}.duckdb",
        "/data/dbt_{{ env_var('DBT_USER') | lower }}.duckdb",
        "{{ env_var('DBT_PATH') | default('/data/dev.duckdb') }}",
        "/data/{{ env_var('TARGET') ~ '_suffix' }}.duckdb",
        "{{ '/data/' ~ env_var('TARGET', 'dev') | lower ~ '.duckdb' }}",
        "/data/{{ env_var('GITHUB_HEAD_REF', 'main') | replace('/', '_') | trim }}.duckdb",
        "/data/{{ (env_var('A', 'x') ~ '_' ~ env_var('B', 'y')) | upper }}.duckdb",
    ],
)
def test_what_real_profiles_write_around_env_var_passes_check_and_compile(
    tmp_path: Path, value: str
) -> None:
    tree(tmp_path, value)
    run = run_cli("check", ".", "--format", "concise")
    assert (run.code, run.stdout) == (0, ""), run.stdout
    assert run_cli("compile", "products/orders/floe.yaml", "--out", "out").code == 0
    profiles = yaml.safe_load((tmp_path / "out" / "profiles.yml").read_text())
    assert [p["outputs"]["duckdb"]["path"] for p in profiles.values()] == [value]


@pytest.mark.parametrize(
    "value",
    [
        ESCAPED,
        "{{ env_var('X') | attr('__class__') }}",
        "{{ env_var(env_var('X')) }}",
        "{{ env_var('X', var('y')) }}",
        "{{ env_var('X') | default(modules.os) }}",
        "{{ env_var('X') ~ y }}",
        "{{ env_var('X') | map('upper') | join }}",
        "{{ 'a'.upper() }}",
        "{{ env_var('X', 'a\\' ~ log(1) ~ '') }}",
    ],
)
def test_anything_that_runs_more_is_a_finding_at_the_value(tmp_path: Path, value: str) -> None:
    tree(tmp_path, value)
    run = run_cli("check", ".", "--format", "concise")
    assert run.code == 1
    assert run.stdout == (
        "platform/sales/manifest.yaml:8:17: ERROR FL208 [compute-config] compute 'duckdb' "
        "config 'path' holds Jinja that dbt would run when it reads profiles.yml; a config value "
        "may take Jinja only as {{ env_var('NAME') }} (a default and | as_number allowed)\n"
    )
    assert "SECRET" not in run.stdout


# --- dbt's own environment, instrumented ---------------------------------------------------

#: filters whose arguments the grammar below gives (the rest take none)
_ALLOWED = {
    "as_number",
    "as_bool",
    "as_text",
    "as_native",
    "int",
    "float",
    "string",
    "default",
    "d",
    "lower",
    "upper",
    "trim",
    "title",
    "capitalize",
    "replace",
}


class Ran(AssertionError):
    """What the template did beyond env_var and the allowed filters."""


def _Unknown(*args: Any, **kwargs: Any) -> Any:
    """Jinja's undefined value, made on reading a name nothing defines: that is a finding."""
    raise Ran(f"read an undefined name ({kwargs.get('name', args[1] if len(args) > 1 else '')})")


def render(value: str) -> list[str]:
    """What rendering `value` with dbt's profile environment calls, in order; raises Ran when
    it reads a name, an attribute or an item, or calls anything but env_var."""
    from dbt_common.clients.jinja import get_environment
    from jinja2 import TemplateSyntaxError

    env = get_environment(None, capture_macros=False, native=True)
    calls: list[str] = []

    def env_var(name: str, default: Any = None) -> Any:
        return "v" if default is None else default

    def call(context: Any, obj: Any, *args: Any, **kwargs: Any) -> Any:
        if obj is not env_var:
            raise Ran(f"called {obj!r}")
        calls.append("env_var")
        return context.call(obj, *args, **kwargs)

    def wrapped(name: str, real: Any) -> Any:
        def filter_(*args: Any, **kwargs: Any) -> Any:
            if name not in _ALLOWED:
                raise Ran(f"filter {name}")
            calls.append(name)
            return real(*args, **kwargs)

        for mark in ("jinja_pass_arg",):  # what Jinja reads to pass the context or env
            if hasattr(real, mark):
                setattr(filter_, mark, getattr(real, mark))
        return filter_

    def lookup(obj: Any, attribute: Any) -> Any:
        raise Ran(f"looked up {attribute!r}")

    env.call = call  # type: ignore[method-assign]
    env.getattr = lookup  # type: ignore[method-assign]
    env.getitem = lookup  # type: ignore[method-assign]
    env.filters = {name: wrapped(name, f) for name, f in env.filters.items()}
    env.tests = {}
    env.globals = {}
    env.undefined = _Unknown
    try:
        template = env.from_string(value, globals={"env_var": env_var})  # as dbt renders
    except TemplateSyntaxError:
        return calls  # dbt refuses to render it: nothing runs
    try:
        template.render({"env_var": env_var})
    except Ran:
        raise
    except Exception:  # a conversion of "v" may fail: only what ran matters
        pass
    return calls


_NAME = st.from_regex(r"[A-Z_][A-Z0-9_]{0,6}", fullmatch=True)
_BLANK = st.sampled_from(["", " ", "  ", "\t"])
_CHARS = st.text(alphabet="ab_-/.: {}|~%#\\'\"\n", max_size=6)


@st.composite
def _string(draw: st.DrawFn) -> str:
    """A Jinja string literal, its quote and backslashes escaped as Jinja reads them."""
    quote = draw(st.sampled_from(["'", '"']))
    body = draw(_CHARS).replace("\\", "\\\\").replace(quote, "\\" + quote)
    return f"{quote}{body}{quote}"


_LITERAL = _string() | st.sampled_from(
    ["4", "-1", "+5432", "2.5", "0", "true", "False", "none", "None"]
)


@st.composite
def _filter(draw: st.DrawFn) -> str:
    b = draw(_BLANK)
    name = draw(st.sampled_from(sorted(_ALLOWED)))
    args = ""
    if name in ("default", "d", "replace", "trim", "int", "float") and draw(st.booleans()):
        literals = draw(st.lists(_LITERAL, min_size=0, max_size=2))
        args = f"{b}({b}{f',{b}'.join(literals)}{b})"
    return f"{b}|{b}{name}{args}"


def _expressions(operand: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda parts, b: f"{b}~{b}".join(parts), st.lists(operand, min_size=1, max_size=3), _BLANK
    )


def _operands(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    @st.composite
    def operand(draw: st.DrawFn) -> str:
        b = draw(_BLANK)
        kind = draw(st.sampled_from(["env_var", "default", "literal", "parens"]))
        if kind == "env_var":
            primary = f"env_var({b}'{draw(_NAME)}'{b})"
        elif kind == "default":
            primary = f"env_var('{draw(_NAME)}',{b}{draw(_expressions(inner))}{b})"
        elif kind == "parens":
            primary = f"({b}{draw(_expressions(inner))}{b})"
        else:
            primary = draw(_LITERAL)
        return primary + "".join(draw(st.lists(_filter(), max_size=2)))

    return operand()


_OPERAND = st.recursive(_LITERAL, _operands, max_leaves=6)


@st.composite
def _value(draw: st.DrawFn) -> str:
    parts = []
    for expression in draw(st.lists(_expressions(_OPERAND), min_size=1, max_size=3)):
        left = draw(st.sampled_from(["{{", "{{-"]))
        right = draw(st.sampled_from(["}}", "-}}"]))
        b = draw(_BLANK)
        parts.append(f"{draw(_CHARS.filter(_plain))}{left}{b}{expression}{b}{right}")
    return "".join(parts)


def _plain(text: str) -> bool:
    """Text between references that opens no Jinja of its own (nor with what follows)."""
    return "{" not in text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_value())
@example("dbt_{{ env_var('DBT_USER') | lower }}")
@example("{{ env_var('DBT_SCHEMA', 'dbt_' ~ env_var('USER', 'dev')) }}")
@example("{{ env_var('X', 'a\\'b') }}")
def test_the_allowed_forms_pass_and_call_only_env_var_and_pure_filters(value: str) -> None:
    assert not runs_jinja(value), value
    assert set(render(value)) <= {"env_var", *_ALLOWED}


_TOKENS = st.sampled_from(
    [
        "{{", "}}", "{{-", "-}}", "{%", "{#", "{", "}", "env_var", "(", ")", ",", "~", "|",
        "'A'", '"B"', "'a\\'", "\\", "'", '"', "lower", "default", "attr", "map", "'__class__'",
        ".", "__class__", "log", "var", "modules", "x", "1", "none", "[", "]", " ", "+", "-",
        "*", "=", "info", ":", "is", "defined", "if", "else", "\n", "'a\nb'",
    ]
)  # fmt: skip


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TOKENS, max_size=24).map("".join))
@example(ESCAPED)
@example("{{ env_var('X', 'a\\' ~ log(1) ~ '') }}")
def test_whatever_floe_lint_accepts_dbt_renders_calling_only_env_var(value: str) -> None:
    """No forged pass: any text floe-lint lets through, dbt renders calling nothing else."""
    if not runs_jinja(value):
        assert set(render(value)) <= {"env_var", *_ALLOWED}, value


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@pytest.mark.parametrize(
    "value",
    [
        "{{ env_var('A') }}" * 40_000,  # took 24 s before: each reference searched the rest
        "{{ env_var('A', 'b' ~ env_var('C') | lower) ~ 'x' }}" * 20_000,
        "{{ env_var('A') | lower" * 20_000,
        "{{ " + "(" * 50_000 + "1" + ")" * 50_000 + " }}",
        "{{ 'a\\'" * 50_000,
    ],
)
def test_the_reading_is_linear_in_the_value(value: str) -> None:
    """A value of ~1 MB (the reading bound is 5 MB) is read in well under a second of CPU."""
    start = _cpu()
    runs_jinja(value)
    assert _cpu() - start < 1.0
