"""Properties of `check --fix` on generated hierarchies: what it fixes stays fixed, nothing new
appears, every byte outside the edited spans is kept, and a second run changes nothing."""

from __future__ import annotations

import io
import itertools
import json
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.cli import main
from floe_lint.commands import fixing
from floe_lint.config import load_config
from floe_lint.fix import runner
from floe_lint.fix.text import join
from floe_lint.lint import engine

# Computes whose plugins require no config: approving one by fixing its spelling must not make
# compute-config ask for settings that nobody had to write while it was misspelt (that finding
# would be new, though right). "spork" is approved by no plugin at all.
NAMES = ["duckdb", "spark", "spork"]
# A name as someone might write it: exact, in another case, with spaces inside quotes.
spelled = st.tuples(st.sampled_from(NAMES), st.sampled_from(["", "upper", "title", "spaced"]))


def _written(name: str, how: str) -> str:
    if how == "upper":
        return name.upper()
    if how == "title":
        return name.title()
    if how == "spaced":
        return f'" {name}"'
    return name


def _listing(items: list[str], flow: bool, comment: bool, indent: str) -> str:
    note = "  # note" if comment else ""
    if flow:
        return f"[{', '.join(items)}]{note}\n"
    lines = "".join(f"{indent}  - {item}{note}\n" for item in items)
    return "\n" + lines


@st.composite
def hierarchies(draw: st.DrawFn) -> dict[str, str]:
    flow = draw(st.booleans())
    comment = draw(st.booleans())
    top = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5))
    domain = [_written(*draw(spelled)) for _ in range(draw(st.integers(1, 4)))]
    computes = [_written(*draw(spelled)) for _ in range(draw(st.integers(1, 4)))]
    transforms = "".join(
        f"  - {{type: dbt, path: models/m{i}/, compute: {c}}}\n" for i, c in enumerate(computes)
    )
    if draw(st.booleans()):  # the enterprise in JSON: fixed in place, still JSON
        listing = ", ".join(json.dumps(name) for name in top)
        enterprise = (
            "enterprise/manifest.json",
            '{\n  "apiVersion": "floe.dev/v1",\n  "scope": "enterprise",\n'
            f'  "plugins": {{"compute": {{"approved": [{listing}],\n'
            f'                          "default": "{top[0]}"}}}}\n}}\n',
        )
    else:
        enterprise = (
            "enterprise/manifest.yaml",
            "# the enterprise\nscope: enterprise\nplugins:\n  compute:\n"
            f"    approved: {_listing(top, flow, comment, '    ')}    default: {top[0]}\n",
        )
    return {
        enterprise[0]: enterprise[1],
        "sales/manifest.yaml": "scope: domain\n"
        f"parent_manifest: ../{enterprise[0]}\n"
        f"plugins:\n  compute:\n    approved: {_listing(domain, not flow, comment, '    ')}",
        "orders/floe.yaml": "name: orders  # the product\nplatform: {ref: ../sales/manifest.yaml}\n"
        f"transforms:\n{transforms}",
    }


def _check(root: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", str(root), "--fix", "--no-dependents"], out, err)
    return code, err.getvalue()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=hierarchies(), unsafe=st.booleans())
def test_fixing_keeps_what_it_does_not_fix_and_fixes_for_good(
    files: dict[str, str], unsafe: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        config = load_config(None, root)

        def lint(sources: dict[Path, bytes]) -> engine.Result:
            return engine.run([root], config, sources=sources)

        args = _namespace(root, unsafe)
        outcome = runner.run(lint, fixing.policy(args, config))

        # Every pass changed only the bytes of its edits, which never overlap.
        for step in outcome.passes:
            ends = [(s.start, s.end) for s in step.splices]
            assert all(a[1] <= b[0] for a, b in itertools.pairwise(ends))
            assert join(step.before, step.splices) == _after(outcome, step)
        fixing.write(outcome, args, io.StringIO())

        before = Counter((f.path.resolve(), f.rule_id) for f in outcome.initial.findings)
        fixed = Counter(
            (f.path.resolve(), f.rule_id) for f in outcome.fixed if f in outcome.initial.findings
        )
        recheck = lint({})
        after = Counter((f.path.resolve(), f.rule_id) for f in recheck.findings)
        assert not after - before, "a fix made a new finding appear"
        assert not after - (before - fixed), "a fixed finding is still reported"
        policy = fixing.policy(args, config)
        assert not [f for f in recheck.findings if policy.applies(f)], "something left to fix"

        for path in root.rglob("*.json"):
            json.loads(path.read_text())  # still JSON

        # A second --fix changes nothing.
        texts = {p: p.read_bytes() for p in root.rglob("*.*")}
        _check(root)
        assert {p: p.read_bytes() for p in root.rglob("*.*")} == texts


def _after(outcome: runner.Outcome, step: runner.Pass) -> str:
    """The text the pass after `step` started from (or the final text)."""
    later = [p for p in outcome.passes if p.path.resolve() == step.path.resolve()]
    index = later.index(step)
    if index + 1 < len(later):
        return later[index + 1].before
    return outcome.files[step.path.resolve()].text


def _namespace(root: Path, unsafe: bool) -> object:
    import argparse

    return argparse.Namespace(
        paths=[root], unsafe_fixes=unsafe, diff=False, fix=True, output=None, write_baseline=None
    )
