"""The static rule table (rules/_table.py) is what the rule modules say, and start-up uses it:
selectors, `rules`, `rule` and SARIF metadata import no rule module; a rule's module is
imported when it runs."""

from __future__ import annotations

import json
import subprocess
import sys

from floe_lint.lint import rule_table
from tests.conftest import REPO


def test_the_static_rule_table_is_current() -> None:
    current = (REPO / "rules" / "_table.py").read_text("utf-8")
    assert current == rule_table.render(), (
        "rules/_table.py is stale (a rule was added, renamed or changed): regenerate it with "
        f"`{rule_table.COMMAND}` and commit the result"
    )


def test_the_table_lists_every_rule_module() -> None:
    from floe_lint.lint.registry import _table_rules

    table = _table_rules()
    assert table is not None, f"rules/_table.py is stale: run `{rule_table.COMMAND}`"
    assert sorted(r.module.rsplit(".", 1)[-1] for r in table if r.module) == (
        rule_table.rule_modules()
    )


def _modules_after(code: str, tmp: str) -> list[str]:
    """The floe_lint.rules.* modules a fresh interpreter has imported after `code`."""
    script = (
        "import sys\n"
        f"{code}\n"
        "print(__import__('json').dumps(sorted(m for m in sys.modules "
        "if m.startswith('floe_lint.rules.'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp, capture_output=True, text=True, check=True
    ).stdout
    loaded: list[str] = json.loads(out.splitlines()[-1])
    return loaded


def test_listing_and_selecting_rules_imports_no_rule_module(tmp_path) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import io\n"
        "from floe_lint.cli import main\n"
        "main(['rules'], io.StringIO(), io.StringIO())\n"
        "from floe_lint.lint.registry import installed_rules\n"
        "from floe_lint.reporters import sarif\n"
        "log = sarif.build([], list(installed_rules()), lines_of=lambda _: [], severity={})\n"
        "assert len(log['runs'][0]['tool']['driver']['rules']) == len(installed_rules())\n"
        "from floe_lint.lint.registry import enabled_rules\n"
        "assert [r.id for r in enabled_rules(['FL2'], ['FL201'])][:1] == ['FL202']\n"
    )
    assert _modules_after(code, str(tmp_path)) == ["floe_lint.rules._table"]
    # `rule FL201` shows that rule's fixes, from its module: that one module, no other
    code += "main(['rule', 'FL201'], io.StringIO(), io.StringIO())\n"
    assert _modules_after(code, str(tmp_path)) == [
        "floe_lint.rules._table",
        "floe_lint.rules.compute_not_approved",
    ]


def test_a_check_imports_the_rules_that_run_and_only_those(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "floe.yaml").write_text(
        "name: orders\nplatform: {ref: manifest.yaml}\n"
        "transforms: [{path: models/x/, compute: spark}]\n"
    )
    (tmp_path / "manifest.yaml").write_text(
        "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
    )
    code = (
        "import io\n"
        "from floe_lint.cli import main\n"
        "status = main(['check', '--select', 'FL201,yaml-syntax', 'floe.yaml'], "
        "io.StringIO(), io.StringIO())\n"
        "assert status == 1, status\n"
    )
    # (yaml-syntax is selected too, but reports only what the loader noted, and it noted
    # nothing in these files; compute-not-approved's module is imported because a transform
    # selects a compute the platform does not approve: floe_lint.lint.applicable)
    assert _modules_after(code, str(tmp_path)) == [
        "floe_lint.rules._table",
        "floe_lint.rules.compute_not_approved",
    ]
