#!/usr/bin/env python3
"""Mutation testing for floe-lint (not part of CI): does the suite notice a wrong line?

Each mutant is one change to one module of `rules/`, `floe_lint/model/` or `floe_lint/lint/`:

    compare   a comparison flipped (== to !=, < to >=, in to not in, is to is not, ...)
    boolop    `and` and `or` swapped
    drop      one operand of an `and`/`or` dropped (a condition removed)
    true      an `if`/`elif`/`while`/ternary condition forced true
    false     the same condition forced false
    not       a `not` removed
    const     a returned or assigned True/False flipped

The repository's tracked files are copied to a scratch folder, with the package laid out as
the wheel lays it out (`rules/` as floe_lint/rules, `plugins/` as floe_lint/plugins,
`schemas/` as floe_lint/schemas), so the setuptools `package-dir` mapping needs no editable
install; the scratch package comes first on PYTHONPATH and no bytecode is written. For each
mutant, only the relevant tests run (`pytest -x`): for a rule, its docstring examples and the
test files naming the rule; for a module of model/ or lint/, the test files naming the
module, else a core set. A mutant is killed when they fail (or time out), survives when they
pass. The score is killed / (mutants - equivalent), where `--equivalent FILE` lists mutant ids
judged equivalent (same behaviour for every input), one per line with `# why`.

    python scripts/mutation.py                       # every mutant (slow: hours on 2 cores)
    python scripts/mutation.py --sample 200 --seed 1 # a seeded random sample
    python scripts/mutation.py --only rules/default_not_approved.py --list
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGETS = ("rules", "floe_lint/model", "floe_lint/lint")
#: the kinds of change (see the docstring); `drop` is numbered by the operand it drops
OPERATORS = ("compare", "boolop", "drop", "true", "false", "not", "const")
#: where each top-level folder lives inside the installed package
PACKAGE_DIRS = {
    "floe_lint": "floe_lint",
    "rules": "floe_lint/rules",
    "plugins": "floe_lint/plugins",
    "schemas": "floe_lint/schemas",
}
CORE_TESTS = (
    "tests/test_rule_examples.py",
    "tests/test_precision.py",
    "tests/test_policy_lines.py",
    "tests/test_rule_locations.py",
    "tests/test_dependents.py",
    "tests/test_dialect_floe.py",
)
#: test files never run per mutant: they install packages, start servers or take minutes
SLOW_TESTS = frozenset(
    {
        "tests/test_plugins_entry_point.py",
        "tests/test_oci_registry.py",
        "tests/test_oci_token_auth.py",
        "tests/test_publish_dependents.py",
        "tests/test_compile_dbt_duckdb.py",
        "tests/test_compile_dbt_postgres.py",
        "tests/test_precommit_hooks.py",
        "tests/test_packaging.py",
        "tests/test_install_docs.py",
        "tests/test_perf_imports.py",
        "tests/test_perf_jobs.py",
        "tests/test_perf_fastschema.py",
        "tests/test_linear_time.py",
        "tests/test_test_command.py",
        "tests/test_action_workflow.py",
    }
)
#: modules whose tests are named for the feature, not the module
FEATURE_TESTS = {
    "replay": ("cache",),
    "context": ("cli", "fix"),
    "suppressions": ("suppress",),
    "filtering": ("config_file", "mandatory"),
    "engine": ("cli",),
    "reverse_index": ("dependents",),
    "refs": ("oci_failures", "hostile", "first_messages"),
    "upstream_enforcement": ("upstream",),
    "removals": ("git_hardening", "hook_mode", "removals"),
    "registry": ("config_file", "plugins"),
    "adr0010": ("adr_examples", "properties_dialects", "governance"),
    "level": ("governance", "own_whitelist", "properties_dialects"),
    "hierarchy": ("governance", "own_whitelist", "symlinks_out", "hostile_input"),
}
FLIP = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.GtE,
    ast.GtE: ast.Lt,
    ast.Gt: ast.LtE,
    ast.LtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


@dataclass(frozen=True)
class Mutant:
    path: str  # repository-relative
    line: int
    col: int
    end_line: int
    end_col: int
    operator: str
    replacement: str
    scope: str = ""  # the enclosing class and function, `Class.method`, or "" at module level
    original: str = ""  # the source text the mutant replaces
    nth: int = 0  # how many earlier mutants of the module have the same scope, operator, text

    @property
    def id(self) -> str:
        return f"{self.path}:{self.line}:{self.col}:{self.operator}"

    @property
    def key(self) -> str:
        """The mutant named by where it is, not by line: it survives edits elsewhere in the
        module (the line numbers of `id` move with every edit above it)."""
        text = " ".join(self.original.split())
        tail = f"#{self.nth}" if self.nth else ""
        return f"{self.path}::{self.scope}::{self.operator}::{text}{tail}"


def _segment(node: ast.AST) -> tuple[int, int, int, int]:
    line, col = getattr(node, "lineno", 1), getattr(node, "col_offset", 0)
    return line, col, getattr(node, "end_lineno", None) or line, getattr(node, "end_col_offset", 0)


def _docstring_nodes(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def mutants_of(path: Path) -> Iterator[Mutant]:
    source = path.read_text("utf-8")
    tree = ast.parse(source)
    rel = path.relative_to(REPO).as_posix()
    skip = _docstring_nodes(tree)
    # Not behaviour: decorator arguments (`@dataclass(frozen=True)`) and `if TYPE_CHECKING:`.
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            skip |= {id(n) for d in node.decorator_list for n in ast.walk(d)}
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            skip.add(id(node))

    scopes: dict[int, str] = {}

    def name_scopes(node: ast.AST, scope: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = scope
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                inner = f"{scope}.{child.name}" if scope else child.name
            scopes[id(child)] = inner
            name_scopes(child, inner)

    name_scopes(tree, "")
    seen: dict[tuple[str, str, str], int] = {}

    def make(node: ast.AST, operator: str, new: ast.AST) -> Mutant:
        line, col, end_line, end_col = _segment(node)
        original = ast.get_source_segment(source, node) or ast.unparse(node)
        scope = scopes.get(id(node), "")
        nth = seen.setdefault((scope, operator, original), 0)
        seen[(scope, operator, original)] += 1
        return Mutant(
            rel, line, col, end_line, end_col, operator, ast.unparse(new), scope, original, nth
        )

    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in FLIP:
            flipped = ast.Compare(node.left, [FLIP[type(node.ops[0])]()], node.comparators)
            yield make(node, "compare", flipped)
        elif isinstance(node, ast.BoolOp):
            other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            yield make(node, "boolop", ast.BoolOp(other, node.values))
            for index in range(len(node.values)):
                rest = node.values[:index] + node.values[index + 1 :]
                kept = rest[0] if len(rest) == 1 else ast.BoolOp(node.op, rest)
                yield make(node, f"drop{index}", kept)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield make(node, "not", node.operand)
        elif (
            isinstance(node, ast.Constant) and isinstance(node.value, bool) and id(node) not in skip
        ):
            yield make(node, "const", ast.Constant(not node.value))
        if isinstance(node, ast.If | ast.While | ast.IfExp) and id(node) not in skip:
            test = node.test
            yield make(test, "true", ast.Constant(True))
            yield make(test, "false", ast.Constant(False))


def apply(source: str, mutant: Mutant) -> str:
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line.encode("utf-8")))
    data = source.encode("utf-8")
    start = offsets[mutant.line - 1] + mutant.col
    end = offsets[mutant.end_line - 1] + mutant.end_col
    text = "(" + mutant.replacement + ")"
    return (data[:start] + text.encode("utf-8") + data[end:]).decode("utf-8")


def targets(only: list[str]) -> list[Path]:
    files = []
    for folder in TARGETS:
        files += sorted(p for p in (REPO / folder).rglob("*.py") if p.name != "__init__.py")
    files = [p for p in files if not p.name.startswith("_table")]
    if only:
        files = [
            p for p in files if any(p.relative_to(REPO).as_posix().startswith(o) for o in only)
        ]
    return files


def scratch_copy() -> Path:
    """The tracked files, with the package laid out as the wheel installs it: `floe_lint/`
    holds `rules/`, `plugins/` and `schemas/`, so the scratch copy (first on sys.path, as
    pytest puts the root of the `tests` package) is imported, never the editable install."""
    root = Path(tempfile.mkdtemp(prefix="floe-mutation-"))
    tracked = (
        subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, tracked):
        source = REPO / name
        if source.is_file() and not source.is_symlink():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    for top, inside in PACKAGE_DIRS.items():
        if top != inside:
            shutil.copytree(root / top, root / inside, dirs_exist_ok=True)
    return root


def installed_path(root: Path, rel: str) -> Path:
    top, _, rest = rel.partition("/")
    return root / PACKAGE_DIRS[top] / rest


def tests_for(rel: str, tests: dict[str, str]) -> list[str]:
    """The test files (and pytest options) relevant to a module."""
    path = REPO / rel
    if rel.startswith("rules/"):
        text = path.read_text("utf-8")
        match = re.search(r'^ID, NAME, SEVERITY, SUBJECT = "(\w+)", "([\w-]+)"', text, re.M)
        if match:
            rule_id, name = match.groups()
            files = [t for t, body in tests.items() if name in body or rule_id in body]
            files = sorted(set(files) - {"tests/test_rule_examples.py"})
            own = f"{rule_id} or not test_docstring_example"  # its own examples only
            return ["tests/test_rule_examples.py", *files, "-k", own]
    dotted = rel.removesuffix(".py").replace("/", ".")
    stem = Path(rel).stem
    files = {t for t, body in tests.items() if dotted in body or f"import {stem}" in body}
    files |= {t for t in tests if stem in Path(t).stem}  # test_baseline_file.py for baseline
    words = FEATURE_TESTS.get(stem, ())
    files |= {t for t in tests if any(word in Path(t).stem for word in words)}
    naming = [t for t, body in tests.items() if re.search(rf"\b{stem}\b", body)]
    if len(naming) <= 8:  # a word few test files use names the module's feature
        files |= set(naming)
    return sorted(files | set(CORE_TESTS))


def run_tests(root: Path, files: list[str], timeout: float, show: bool = False) -> str:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), str(root / "scripts")]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "FLOE_LINT_OFFLINE": "1",
    }
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    command += ["-p", "no:randomly", "-p", "mutation_settings", *files]
    try:
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    if show and done.returncode != 0:
        print(done.stdout.decode(errors="replace")[-4000:], file=sys.stderr)
    return "survived" if done.returncode == 0 else "killed" if done.returncode == 1 else "error"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", default=[], help="path prefix, repeatable")
    parser.add_argument("--sample", type=int, help="test a seeded random sample of N mutants")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--start",
        type=int,
        default=0,
        help="skip the first K mutants of the seeded order (a second process shares a sample)",
    )
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds per mutant")
    parser.add_argument("--equivalent", type=Path, help="file of mutant ids judged equivalent")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--minutes", type=float, help="stop testing new mutants after this long")
    parser.add_argument("--json", type=Path, help="write every result to this file")
    parser.add_argument(
        "--coverage",
        type=Path,
        help="run only the tests that execute a mutant's line, as traced once into this file "
        "(a line moved since is followed; see scripts/mutation_coverage.py)",
    )
    parser.add_argument(
        "--cap",
        type=int,
        default=0,
        help="with --coverage: run at most the N fastest tests that run the line (a first "
        "pass; its survivors are tested again by --rerun without --cap)",
    )
    parser.add_argument(
        "--rerun",
        type=Path,
        help="a --json file of an earlier run: test its survivors again, keep its other verdicts",
    )
    args = parser.parse_args(argv)

    mutants = [m for p in targets(args.only) for m in mutants_of(p)]
    total = len(mutants)
    # A seeded random order: the first k mutants tested are a random sample of size k, so a run
    # stopped early (Ctrl-C, SIGTERM, --minutes) still reports an unbiased score.
    mutants = random.Random(args.seed).sample(mutants, len(mutants))
    if args.sample is not None:
        mutants = mutants[args.start : args.start + args.sample]
    else:
        mutants = mutants[args.start :]
    earlier: list[dict[str, object]] = []
    if args.rerun:
        earlier = json.loads(args.rerun.read_text("utf-8"))
        again = {_key(r) for r in earlier if r["verdict"] in ("survived", "equivalent")}
        mutants = [m for m in mutants if m.key in again]
        # found by key (scope and text), so a survivor whose line has moved is tested again;
        # one whose code has changed or gone cannot be, and stays a survivor
        retested = {m.key for m in mutants}
        earlier = [r for r in earlier if _key(r) not in retested]
    if args.list:
        for m in mutants:
            print(m.id, "->", m.replacement, f"   [{m.key}]")
        print(f"{len(mutants)} of {total} mutants", file=sys.stderr)
        return 0
    equivalent: set[str] = set()
    if args.equivalent:
        equivalent = read_equivalent(args.equivalent)

    root = scratch_copy()
    try:
        baseline_files = sorted(set(CORE_TESTS))
        if run_tests(root, baseline_files, args.timeout * 4, show=True) != "survived":
            print("the unmutated core tests fail: fix them first", file=sys.stderr)
            return 2
        tests = {
            p.relative_to(root).as_posix(): p.read_text("utf-8")
            for p in (root / "tests").glob("test_*.py")
            if p.relative_to(root).as_posix() not in SLOW_TESTS
        }
        if args.coverage:
            args.coverage_map = _coverage(root, tests, args)
        results: list[dict[str, object]] = [
            {**r, "verdict": "equivalent"}
            if _key(r) in equivalent and r["verdict"] == "survived"
            else r
            for r in earlier
        ]
        started = time.perf_counter()
        signal.signal(signal.SIGTERM, _stop)
        try:
            _test_all(root, mutants, tests, equivalent, results, args)
        except KeyboardInterrupt:
            print("stopped early: the score below is over the mutants tested", flush=True)
        elapsed = time.perf_counter() - started
    finally:
        shutil.rmtree(root, ignore_errors=True)
    _report(results, total, elapsed, args.json)
    return 0


def _coverage(root: Path, tests: dict[str, str], args: argparse.Namespace) -> object:
    """Which test runs which line (every module's usual test files), measured now or read
    from the file `--coverage` names. In a module changed since it was measured, a line the
    change did not touch takes the tests of its old line; a mutant on a changed line runs its
    usual test files. (A stale map picks the wrong tests, so a mutant survives the covered
    run: survivors are tested again with their usual files by `--rerun` without --coverage.)"""
    import mutation_coverage

    modules = [p.relative_to(REPO).as_posix() for p in targets([])]
    saved: Path = args.coverage
    if not saved.is_file():
        files = sorted({f for m in modules for f in tests_for(m, tests) if f.endswith(".py")})
        print(f"tracing which test runs which line ({len(files)} test files)...", flush=True)
        mutation_coverage.measure(root, files, saved, args.timeout * 20)
        data = json.loads(saved.read_text("utf-8"))
        data.update(files=files, sources={m: (REPO / m).read_text("utf-8") for m in modules})
        saved.write_text(json.dumps(data), "utf-8")
    data = json.loads(saved.read_text("utf-8"))
    measured: dict[str, str] = data.get("sources", {})
    moved = {
        installed_path(root, m).relative_to(root).as_posix(): (measured.get(m, ""), text)
        for m in modules
        if measured.get(m) != (text := (REPO / m).read_text("utf-8"))
    }
    # a test file written since the trace (new, edited or merged) runs whole
    traced = saved.stat().st_mtime
    measured = {f for f in data.get("files", []) if (REPO / f).stat().st_mtime <= traced}
    return mutation_coverage.CoverageMap(data["tests"], moved, measured)


def read_equivalent(path: Path) -> set[str]:
    """The keys of a file of equivalent mutants: one `key  # why` a line (two spaces before
    the `#`, since the source text in a key may hold one), `#` lines are comments."""
    keys = set()
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keys.add(line.split("  #")[0].strip())
    return keys


def _key(result: dict[str, object]) -> str:
    return str(result.get("key") or result["id"])


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _test_all(
    root: Path,
    mutants: list[Mutant],
    tests: dict[str, str],
    equivalent: set[str],
    results: list[dict[str, object]],
    args: argparse.Namespace,
) -> None:
    started = time.perf_counter()
    for index, mutant in enumerate(mutants, 1):
        if args.minutes is not None and time.perf_counter() - started > args.minutes * 60:
            print(f"stopped after {args.minutes} minutes", flush=True)
            return
        target = installed_path(root, mutant.path)
        original = target.read_text("utf-8")
        mutated = apply(original, mutant)
        try:
            compile(mutated, str(target), "exec")
        except SyntaxError:
            continue
        target.write_text(mutated, "utf-8")
        try:
            files = tests_for(mutant.path, tests)
            verdict = ""
            if getattr(args, "coverage_map", None) is not None:
                rel = installed_path(root, mutant.path).relative_to(root).as_posix()
                chosen = args.coverage_map.covering(rel, mutant.line, mutant.end_line, files)
                chosen = chosen[: args.cap] if args.cap else chosen
                verdict = run_tests(root, chosen, args.timeout) if chosen else ""
            if verdict in ("", "error"):  # no test ran the line, or a test id went stale
                verdict = run_tests(root, files, args.timeout)
        finally:
            target.write_text(original, "utf-8")
        if mutant.key in equivalent:
            verdict = "equivalent" if verdict == "survived" else verdict
        results.append({**asdict(mutant), "id": mutant.id, "key": mutant.key, "verdict": verdict})
        print(
            f"[{index}/{len(mutants)}] {verdict:10} {mutant.id} -> {mutant.replacement}",
            flush=True,
        )
        if args.json:
            args.json.write_text(json.dumps(results, indent=1), "utf-8")


def _report(results: list[dict[str, object]], total: int, elapsed: float, out: Path | None) -> None:
    print()
    for folder in TARGETS:
        mine = [r for r in results if str(r["path"]).startswith(folder + "/")]
        judged = [r for r in mine if r["verdict"] != "equivalent"]
        killed = [r for r in judged if r["verdict"] in ("killed", "timeout", "error")]
        score = 100 * len(killed) / len(judged) if judged else 100.0
        print(
            f"{folder + '/':18} {len(killed):4} killed of {len(judged):4} non-equivalent "
            f"({len(mine) - len(judged)} equivalent): {score:5.1f}%"
        )
    judged = [r for r in results if r["verdict"] != "equivalent"]
    killed = [r for r in judged if r["verdict"] in ("killed", "timeout", "error")]
    print(
        f"{'all':18} {len(killed):4} killed of {len(judged):4}: "
        f"{100 * len(killed) / max(1, len(judged)):5.1f}% "
        f"({len(results)} of {total} mutants, {elapsed / 60:.1f} min)"
    )
    for r in results:
        if r["verdict"] == "survived":
            print(f"survived: {r['id']} -> {r['replacement']}\n    key: {_key(r)}")
    if out:
        out.write_text(json.dumps(results, indent=1), "utf-8")


if __name__ == "__main__":
    sys.exit(main())
