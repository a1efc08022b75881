"""A line break inside a Jinja string literal is a character of the string: Jinja's lexer
reads strings with `re.S`, and dbt renders `{{ env_var('A', 'x<line break>y') }}` to the
two lines. The config reader (floe_lint.compute.jinja) refused it, so such a value, written
with a YAML block scalar or a `\\n` escape, was a compute-config error (FL208) and compile
refused it: a false error. A line break hides nothing: what follows the string is still read."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from floe_lint.compute.jinja import runs_jinja
from tests.conftest import run_cli, write_files
from tests.test_config_jinja_forms import ENTERPRISE, PRODUCT, render

DOMAIN = """\
scope: domain
parent_manifest: ../enterprise/manifest.yaml
plugins:
  compute:
    approved:
      - name: duckdb
        config:
          path: VALUE
"""
BLOCK = "|-\n            /data/{{ env_var('DB', 'dev\n            db') }}.duckdb"
ESCAPED = '"/data/{{ env_var(\'DB\', \\"dev\\ndb\\") }}.duckdb"'


@pytest.fixture(autouse=True)
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def tree(root: Path, written: str) -> None:
    write_files(
        root,
        {
            "platform/enterprise/manifest.yaml": ENTERPRISE,
            "platform/sales/manifest.yaml": DOMAIN.replace("VALUE", written),
            "products/orders/floe.yaml": PRODUCT,
        },
    )


@pytest.mark.parametrize(
    ("written", "value"),
    [
        (BLOCK, "/data/{{ env_var('DB', 'dev\ndb') }}.duckdb"),
        (ESCAPED, "/data/{{ env_var('DB', \"dev\ndb\") }}.duckdb"),
    ],
)
def test_a_line_break_in_a_string_passes_check_and_compile(
    tmp_path: Path, written: str, value: str
) -> None:
    tree(tmp_path, written)
    run = run_cli("check", ".", "--format", "concise")
    assert (run.code, run.stdout) == (0, ""), run.stdout
    assert run_cli("compile", "products/orders/floe.yaml", "--out", "out").code == 0
    profiles = yaml.safe_load((tmp_path / "out" / "profiles.yml").read_text())
    assert [p["outputs"]["duckdb"]["path"] for p in profiles.values()] == [value]
    assert render(value) == ["env_var"]  # dbt's own environment renders it, calling env_var


def test_what_follows_a_string_with_a_line_break_is_still_read(tmp_path: Path) -> None:
    tree(tmp_path, "|-\n            {{ env_var('DB', 'dev\n            ') ~ log(1) }}")
    run = run_cli("check", ".", "--format", "concise")
    assert (run.code, run.stdout) == (
        1,
        "platform/sales/manifest.yaml:8:17: ERROR FL208 [compute-config] compute 'duckdb' "
        "config 'path' holds Jinja that dbt would run when it reads profiles.yml; a config value "
        "may take Jinja only as {{ env_var('NAME') }} (a default and | as_number allowed)\n",
    )


@pytest.mark.parametrize(
    "value",
    ["{{ env_var('A', 'x\ny') }}", '{{ env_var("A\r\nB") }}', "{{ 'a\\\nb' | lower }}"],
)
def test_the_reader_takes_a_line_break_as_a_string_character(value: str) -> None:
    assert not runs_jinja(value)
    assert set(render(value)) <= {"env_var", "lower"}
