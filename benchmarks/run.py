"""Time floe-lint against check-jsonschema and the YAML-parse floor, in one run, on the same files.

    python benchmarks/run.py [--sizes 100,1000,10000] [--repeat 5] [--python PY] [--json OUT]

For each size N it writes a synthetic monorepo (benchmarks/corpus.py) and times, as separate
processes, interleaved round-robin so that a busy machine slows every command alike:

  floe-lint       `floe-lint check ROOT` (default --jobs) and `--jobs 1`
  check-jsonschema `--schemafile schemas/floe.json` on the products plus
                  `--schemafile schemas/manifest.json` on the manifests (schema only)
  floor           one Python process that reads and parses the same files with CSafeLoader

and, for 1,000 products, a manifest change as the pre-commit hook checks it (with its dependents):
the enterprise manifest staged alone (every domain and product depends on it) and a domain
manifest that nothing depends on, each against the full check;

and, once: the pre-commit case (one product and its two parent manifests, `--no-dependents`:
what it cost before dependents were re-checked; check-jsonschema needs one hook per schema,
so two processes), `floe-lint --version` and `--help`, and
`python -c pass` (the interpreter's own start-up). It reports medians of wall time and CPU
time (user + system, steadier on a shared machine), files/s, peak RSS and the ratios of the
budgets in issue 6.

With 1,000 products it also times the floors of issue 17's two missed budgets in the same
rounds (benchmarks/floors.py): what any content-keyed replay of one edited domain must do
before checking anything, and a bare loop that lists and reads a sibling tree; each reported
as a lower bound beside the measured ratio and its budget.

By default the tools run from a throwaway virtualenv with a regular (non-editable) install of
this checkout plus the `bench` extra, as a pre-commit hook would install them; `--python`
uses an existing environment instead.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import budgets, floors
from benchmarks.budgets import COLD
from benchmarks.corpus import Corpus, generate

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "schemas"
FLOOR = REPO / "benchmarks" / "floor.py"


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float


@dataclass
class Case:
    """One measured thing: one or more commands run back to back (times add up)."""

    name: str
    commands: list[list[str]]
    files: int
    samples: list[Sample] = field(default_factory=list)
    #: where it runs: its corpus's root, so that the workspace (the dependents search) is that
    #: corpus alone, not the folder holding every corpus side by side
    cwd: Path | None = None
    #: the environment (floe-lint cases: the cache off, or a cache folder of their own)
    env: dict[str, str] | None = field(default_factory=lambda: dict(COLD))
    #: run before each sample (say, editing a file), not timed
    prepare: Callable[[], None] | None = None

    def run(self, cwd: Path) -> None:
        cwd = self.cwd or cwd
        if self.prepare is not None:
            self.prepare()
        wall = cpu = rss = 0.0
        for command in self.commands:
            with tempfile.TemporaryFile() as errors:
                start = time.perf_counter()
                process = subprocess.Popen(
                    command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors, env=self.env
                )
                _, status, usage = os.wait4(process.pid, 0)
                wall += time.perf_counter() - start
                process.returncode = os.waitstatus_to_exitcode(status)
                if process.returncode not in (0, 1):
                    errors.seek(0)
                    text = errors.read().decode(errors="replace")[-2000:]
                    raise SystemExit(f"{self.name}: exit {process.returncode}: {text}")
            cpu += usage.ru_utime + usage.ru_stime
            rss = max(rss, usage.ru_maxrss / 1024)
        self.samples.append(Sample(wall, cpu, rss))

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss(self) -> float:
        return max(s.rss_mb for s in self.samples)

    def row(self) -> str:
        rate = f"{self.files / self.wall:10,.0f}" if self.files else f"{'':>10}"
        return (
            f"  {self.name:<34} {self.wall * 1000:10,.1f} {self.cpu * 1000:10,.1f} "
            f"{rate} {self.rss:8.1f}"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "wall_ms": round(self.wall * 1000, 2),
            "cpu_ms": round(self.cpu * 1000, 2),
            "peak_rss_mb": round(self.rss, 1),
            "runs": len(self.samples),
        }


def measure(cases: list[Case], repeat: int, cwd: Path, warmup: bool) -> None:
    if warmup:
        for case in cases:
            case.run(cwd)
            case.samples.clear()
    for _ in range(repeat):
        for case in cases:
            case.run(cwd)


def tools(args: argparse.Namespace, work: Path) -> Path:
    """The bin folder holding python, floe-lint and check-jsonschema."""
    if args.python:
        return Path(os.path.abspath(args.python)).parent
    venv = work / "venv"
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    pip.append("--disable-pip-version-check")
    if not (venv / "bin" / "python").exists():
        print(f"creating {venv} with floe-lint[bench] ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([*pip, f"{REPO}[bench]"], check=True)
    # A current pip, as the virtualenv that pre-commit installs hooks with seeds (pip 26): its
    # console script does not `import re` (5 ms of `--version`), which the pip of
    # `python -m venv` on Python 3.11 (23.2) still writes.
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "--no-deps", "--force-reinstall", str(REPO)], check=True)
    return venv / "bin"


def listing(work: Path, name: str, paths: list[Path]) -> Path:
    path = work / f"{name}.txt"
    path.write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")
    return path


def corpus_cases(corpus: Corpus, bin_dir: Path, work: Path) -> dict[str, Case]:
    n = len(corpus.files)
    floe_lint, python = str(bin_dir / "floe-lint"), str(bin_dir / "python")
    cj = str(bin_dir / "check-jsonschema")
    return {
        "ours": Case(
            "floe-lint check", [[floe_lint, "check", str(corpus.root)]], n, cwd=corpus.root
        ),
        "serial": Case(
            "floe-lint check --jobs 1",
            [[floe_lint, "check", "-j", "1", str(corpus.root)]],
            n,
            cwd=corpus.root,
        ),
        "cj": Case(
            "check-jsonschema (2 schemas)",
            [
                [cj, "--schemafile", str(SCHEMAS / "floe.json"), *map(str, corpus.products)],
                [cj, "--schemafile", str(SCHEMAS / "manifest.json"), *map(str, corpus.manifests)],
            ],
            n,
        ),
        "floor": Case(
            "floor: CSafeLoader parse",
            [[python, str(FLOOR), str(listing(work, "all", corpus.files))]],
            n,
        ),
    }


LONE_MANIFEST = """\
scope: domain
metadata: {name: sandbox}
parent_manifest: ../../enterprise/manifest.yaml
plugins: {compute: {approved: [duckdb], default: duckdb}}
"""


def dependents_cases(corpus: Corpus, bin_dir: Path) -> dict[str, Case]:
    """A staged manifest, checked with its dependents: the enterprise, and one without any."""
    lone = corpus.root / "platform" / "domains" / "sandbox" / "manifest.yaml"
    lone.parent.mkdir(parents=True, exist_ok=True)
    lone.write_text(LONE_MANIFEST, encoding="utf-8")
    floe_lint, root = str(bin_dir / "floe-lint"), str(corpus.root)
    return {
        "staged_enterprise": Case(
            "staged enterprise + dependents",
            [[floe_lint, "check", "--workspace", root, str(corpus.enterprise)]],
            len(corpus.files),
            cwd=corpus.root,
        ),
        "staged_lone": Case(
            "staged manifest, no dependents",
            [[floe_lint, "check", "--workspace", root, str(lone)]],
            1,
            cwd=corpus.root,
        ),
    }


def startup_cases(corpus: Corpus, bin_dir: Path, work: Path) -> dict[str, Case]:
    product = next(p for p in corpus.products if p not in corpus.violations)
    trio = [product, *corpus.parents(product)]
    floe_lint, python = str(bin_dir / "floe-lint"), str(bin_dir / "python")
    cj = str(bin_dir / "check-jsonschema")
    floe_schema, manifest_schema = str(SCHEMAS / "floe.json"), str(SCHEMAS / "manifest.json")
    return {
        "hook": Case(
            "pre-commit: floe-lint check",
            [[floe_lint, "check", "--no-dependents", *map(str, trio)]],
            3,
            cwd=corpus.root,
        ),
        "hook_cj": Case(
            "pre-commit: check-jsonschema x2",
            [
                [cj, "--schemafile", floe_schema, str(product)],
                [cj, "--schemafile", manifest_schema, *map(str, trio[1:])],
            ],
            3,
        ),
        "hook_cj1": Case(
            "pre-commit: check-jsonschema x1",
            [[cj, "--schemafile", floe_schema, str(product)]],
            1,
        ),
        "hook_floor": Case(
            "pre-commit: floor",
            [[python, str(FLOOR), str(listing(work, "hook", trio))]],
            3,
        ),
        "version": Case("floe-lint --version", [[floe_lint, "--version"]], 0),
        "help": Case("floe-lint --help", [[floe_lint, "--help"]], 0),
        "cj_version": Case("check-jsonschema --version", [[cj, "--version"]], 0),
        "python": Case("python -c pass", [[python, "-c", "pass"]], 0),
    }


def verdict(ok: bool) -> str:
    return "ok  " if ok else "MISS"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="products per corpus")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per command")
    parser.add_argument("--startup-repeat", type=int, default=30, help="runs for tiny commands")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--python", help="interpreter of an environment with both tools")
    parser.add_argument("--work", type=Path, help="folder for the venv and corpora")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--only",
        choices=("startup", "cache"),
        help="startup: only the start-up and pre-commit cases (as --sizes ''); cache: only the "
        "result cache's cases (warm, one domain edited, impact, the sibling tree) with their "
        "references (the floor, a cold check)",
    )
    args = parser.parse_args()
    only_cache = args.only == "cache"
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()] if args.only != "startup" else []
    work = args.work or Path(tempfile.gettempdir()) / "floe-lint-bench"
    work.mkdir(parents=True, exist_ok=True)
    bin_dir = tools(args, work)
    results: dict[str, object] = {"cores": os.cpu_count(), "sizes": {}}
    header = f"  {'':<34} {'wall ms':>10} {'cpu ms':>10} {'files/s':>10} {'RSS MB':>8}"

    if only_cache:
        cache_only(args, sizes, work, bin_dir, results)
        return
    small = generate(work / "corpus-hook", 20, args.seed)
    start = startup_cases(small, bin_dir, work)
    measure(list(start.values()), args.startup_repeat, work, warmup=True)
    print(f"start-up and pre-commit case ({args.startup_repeat} runs, medians)\n{header}")
    for case in start.values():
        print(case.row())
    hook, hook_cj = start["hook"], start["hook_cj"]
    print(
        f"  {verdict(hook.wall <= 0.120)} pre-commit median {hook.wall * 1000:.0f} ms "
        "(budget <= 120 ms)\n"
        f"  {verdict(hook.wall <= 0.5 * hook_cj.wall)} pre-commit / check-jsonschema x2 = "
        f"{hook.wall / hook_cj.wall:.2f} (budget <= 0.5); "
        f"/ check-jsonschema x1 = {hook.wall / start['hook_cj1'].wall:.2f}; "
        f"/ floor = {hook.wall / start['hook_floor'].wall:.2f}\n"
        f"  {verdict(start['version'].wall <= 0.040)} --version {start['version'].wall * 1000:.0f}"
        f" ms (budget <= 40 ms); python -c pass {start['python'].wall * 1000:.0f} ms\n"
        f"  {verdict(start['help'].wall <= 0.080)} --help {start['help'].wall * 1000:.0f} ms"
        " (budget <= 80 ms)"
    )
    version_ratio = start["version"].cpu / start["python"].cpu
    hook_ratio = hook.cpu / start["hook_floor"].cpu
    print(
        f"  {verdict(hook_ratio <= 1.5)} pre-commit / parse floor = {hook_ratio:.2f} "
        "(cpu; budget <= 1.5)\n"
        f"  {verdict(version_ratio <= 1.5)} --version / python -c pass = {version_ratio:.2f} "
        "(cpu; budget <= 1.5)"
    )
    results["startup"] = {k: c.as_dict() for k, c in start.items()}

    per_file: dict[int, float] = {}
    sizes_out: dict[str, object] = {}
    for size in sizes:
        corpus = generate(work / f"corpus-{size}", size, args.seed)
        cases = corpus_cases(corpus, bin_dir, work)
        if size == 1000:
            cases.update(dependents_cases(corpus, bin_dir))
        if size >= 1000:
            cases.update(budgets.cases(Case, corpus, bin_dir, work, args.seed))
            cases["warm"].run(work)  # fill the cache (and the edit case's) before timing
            cases["warm"].samples.clear()
            if "edit" in cases:
                cases.update(floors.edit_cases(Case, cases, bin_dir, work))
        repeat = args.repeat if size < 10_000 else max(1, min(args.repeat, 3))
        measure(list(cases.values()), repeat, work, warmup=size < 10_000)
        ours, serial, cj, floor = cases["ours"], cases["serial"], cases["cj"], cases["floor"]
        print(
            f"\n{size} products, {len(corpus.files)} files, "
            f"{len(corpus.violations)} with a violation ({repeat} runs, medians)\n{header}"
        )
        for case in cases.values():
            print(case.row())
        per_file[size] = ours.wall / len(corpus.files)
        print(
            f"  floe-lint / check-jsonschema = {ours.wall / cj.wall:.3f}, i.e. "
            f"{cj.wall / ours.wall:.1f}x faster (--jobs 1: {cj.wall / serial.wall:.1f}x)\n"
            f"  floe-lint / floor = {ours.wall / floor.wall:.2f} "
            f"(--jobs 1: {serial.wall / floor.wall:.2f}; cpu: {ours.cpu / floor.cpu:.2f})"
        )
        if size == 1000:
            print(
                f"  {verdict(ours.wall <= 2 * floor.wall)} floe-lint <= 2x floor\n"
                f"  {verdict(cj.wall >= 5 * ours.wall)} >= 5x faster than check-jsonschema"
            )
            staged, lone = cases["staged_enterprise"], cases["staged_lone"]
            print(
                f"  {verdict(staged.wall <= 2 * ours.wall)} staged enterprise manifest / full "
                f"check = {staged.wall / ours.wall:.2f} (budget <= 2; cpu "
                f"{staged.cpu / ours.cpu:.2f})\n"
                f"  {verdict(lone.wall <= ours.wall)} staged manifest without dependents / full "
                f"check = {lone.wall / ours.wall:.2f} (budget <= 1; cpu {lone.cpu / ours.cpu:.2f})"
            )
        if size >= 1000:
            print("\n".join(budgets.report(verdict, size, cases, ours, floor, corpus)))
            print("\n".join(floors.edit_report(cases, corpus)))
            print(f"  peak RSS {ours.rss:.0f} MB (budget at 10,000 products <= 150 MB)")
        if size >= 10_000 and 1000 in per_file:
            growth = per_file[size] / per_file[1000]
            print(
                f"  {verdict(growth <= 1.2)} time per file vs 1,000 products: {growth:.2f} "
                f"(budget <= 1.20)\n"
                f"  {verdict(ours.rss <= 400)} peak RSS {ours.rss:.0f} MB (budget <= 400 MB)"
            )
        sizes_out[str(size)] = {k: c.as_dict() for k, c in cases.items()}
    results["sizes"] = sizes_out
    if 1000 in sizes:
        sibling(args, work, bin_dir, results, header)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def sibling(
    args: argparse.Namespace, work: Path, bin_dir: Path, results: dict[str, object], header: str
) -> None:
    twin = budgets.sibling_cases(Case, work, bin_dir, args.seed)
    needle = Path(twin["alone"].commands[0][-1]).parent.name  # (the domain checked)
    twin.update(floors.sibling_cases(Case, twin, bin_dir, needle))
    measure(list(twin.values()), args.repeat, work, warmup=True)
    print(f"\na domain manifest checked with its dependents ({args.repeat} runs)\n{header}")
    for case in twin.values():
        print(case.row())
    ratio = twin["sibling"].cpu / twin["alone"].cpu
    print(f"  {verdict(ratio <= 1.1)} twin beside / alone = {ratio:.2f} (cpu; budget <= 1.1)")
    print("\n".join(floors.sibling_report(twin)))
    results["sibling"] = {k: c.as_dict() for k, c in twin.items()}


def cache_only(
    args: argparse.Namespace,
    sizes: list[int],
    work: Path,
    bin_dir: Path,
    results: dict[str, object],
) -> None:
    """`--only cache`: per size, the parse floor, a cold check and the result cache's cases."""
    header = f"  {'':<34} {'wall ms':>10} {'cpu ms':>10} {'files/s':>10} {'RSS MB':>8}"
    sizes_out: dict[str, object] = {}
    for size in sizes:
        corpus = generate(work / f"corpus-{size}", size, args.seed)
        base = corpus_cases(corpus, bin_dir, work)
        cases = {"ours": base["ours"], "floor": base["floor"]}
        cases.update(budgets.cases(Case, corpus, bin_dir, work, args.seed))
        cases["warm"].run(work)  # fill the cache (and the edit case's) before timing
        cases["warm"].samples.clear()
        if "edit" in cases:
            cases.update(floors.edit_cases(Case, cases, bin_dir, work))
        measure(list(cases.values()), args.repeat, work, warmup=True)
        print(f"\n{size} products, {len(corpus.files)} files ({args.repeat} runs)\n{header}")
        for case in cases.values():
            print(case.row())
        ours, floor = cases["ours"], cases["floor"]
        print("\n".join(budgets.report(verdict, size, cases, ours, floor, corpus)))
        print("\n".join(floors.edit_report(cases, corpus)))
        sizes_out[str(size)] = {k: c.as_dict() for k, c in cases.items()}
    results["sizes"] = sizes_out
    if 1000 in sizes:
        sibling(args, work, bin_dir, results, header)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
