"""Issue 17's cases for benchmarks/run.py: the result cache, a sibling tree, impact, memory.

Every ratio is of CPU time (user + system, median), each case measured against its reference in
the same interleaved rounds, so that a busy machine slows both alike:

  warm            `check ROOT` with the cache filled and nothing changed / the parse floor
  one edit        a domain manifest edited before each run, the rest replayed from the cache /
                  a cold check; the budget is the share of the tree that depends on it + 10%.
                  Measured twice: edited again (the edit before kept its dependents' parses)
                  and the first edit after a cold run filled an empty cache (before each run:
                  the cache emptied, filled by a check that is not timed, then the edit)
  sibling tree    `check` of a domain manifest with a same-shaped tree beside it in the
                  workspace / the same check with the tree alone
  impact          `impact` of the enterprise manifest / a cold full check

Cold runs set FLOE_LINT_NO_CACHE=1; cached runs use a cache folder of the benchmark's own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from benchmarks.corpus import Corpus, generate

COLD = {**os.environ, "FLOE_LINT_NO_CACHE": "1"}


def cached_env(work: Path, name: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "FLOE_LINT_NO_CACHE"}
    return {**env, "FLOE_LINT_CACHE_DIR": str(work / "cache" / name)}


def editor(path: Path) -> Callable[[], None]:
    """Change the file's content before each run (a comment line that counts up)."""
    original = path.read_text("utf-8")
    count = [0]

    def edit() -> None:
        count[0] += 1
        path.write_text(f"{original}# edited {count[0]}\n", "utf-8")

    return edit


def filled_then(
    edit: Callable[[], None], command: list[str], cwd: Path, env: dict[str, str]
) -> Callable[[], None]:
    """Before each run: empty the cache, fill it with `command` (not timed), then `edit`."""
    folder = Path(env["FLOE_LINT_CACHE_DIR"])

    def prepare() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        done = subprocess.run(
            command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        if done.returncode not in (0, 1):
            raise SystemExit(f"filling the cache: exit {done.returncode}: {done.stderr[-2000:]!r}")
        edit()

    return prepare


def share_of(corpus: Corpus, domain: str) -> float:
    """The files an edit of `domain`'s manifest re-checks: the domain, its products and the
    other manifests (a manifest's rules look at the whole run)."""
    products = [p for p in corpus.products if p.parent.parent.name == domain]
    return (len(products) + len(corpus.manifests)) / len(corpus.files)


def cases(case: type, corpus: Corpus, bin_dir: Path, work: Path, seed: int) -> dict[str, object]:
    """The cache and impact cases of one corpus (run from its root); the edit case edits a
    copy, so that the other cases never see its edits."""
    floe_lint, root = str(bin_dir / "floe-lint"), corpus.root
    size = len(corpus.products)
    found: dict[str, object] = {
        "warm": case(
            "warm: cache filled, nothing changed",
            [[floe_lint, "check", str(root)]],
            len(corpus.files),
            cwd=root,
            env=cached_env(work, f"warm-{size}"),
        )
    }
    if size == 1000:
        copy = generate(work / "corpus-1000-edit", 1000, seed)
        domain = sorted(copy.domains)[0]
        found["edit"] = case(
            f"warm: domain '{domain}' edited",
            [[floe_lint, "check", str(copy.root)]],
            len(copy.files),
            cwd=copy.root,
            env=cached_env(work, f"edit-{size}"),
            prepare=editor(copy.domains[domain]),
        )
        # a copy of its own: the other edit case's edits must not undo or repeat this one's
        first = generate(work / "corpus-1000-first", 1000, seed)
        command = [floe_lint, "check", str(first.root)]
        env = cached_env(work, f"first-{size}")
        found["edit_first"] = case(
            f"warm: '{domain}' edited after a fill",
            [command],
            len(first.files),
            cwd=first.root,
            env=env,
            prepare=filled_then(editor(first.domains[domain]), command, first.root, env),
        )
        old = work / "enterprise-before.yaml"
        old.write_text(corpus.enterprise.read_text("utf-8").replace("snowflake", "spark"))
        found["impact"] = case(
            "impact of the enterprise manifest",
            [[floe_lint, "impact", str(corpus.enterprise), "--against", str(old)]],
            len(corpus.files),
            cwd=root,
            env=COLD,
        )
    return found


def sibling_cases(case: type, work: Path, bin_dir: Path, seed: int) -> dict[str, object]:
    """`check` of a domain manifest of a 1,000-product tree, alone and beside a twin."""
    floe_lint = str(bin_dir / "floe-lint")
    alone = generate(work / "alone-1000" / "a", 1000, seed)
    pair = generate(work / "pair-1000" / "a", 1000, seed)
    generate(work / "pair-1000" / "b", 1000, seed)
    domain = sorted(alone.domains)[0]
    return {
        "alone": case(
            "check a domain manifest, tree alone",
            [[floe_lint, "check", "--workspace", str(alone.root), str(alone.domains[domain])]],
            len(alone.files),
            cwd=alone.root,
            env=COLD,
        ),
        "sibling": case(
            "check a domain manifest, twin beside",
            [
                [
                    floe_lint,
                    "check",
                    "--workspace",
                    str(pair.root.parent),
                    str(pair.domains[domain]),
                ]
            ],
            len(pair.files),
            cwd=pair.root.parent,
            env=COLD,
        ),
    }


def report(
    verdict: Callable[[bool], str],
    size: int,
    found: dict[str, object],
    ours: object,
    floor: object,
    corpus: Corpus,
) -> list[str]:
    """The verdicts of one size's issue-17 cases (CPU ratios)."""
    lines = []
    warm = found["warm"]
    ratio = warm.cpu / floor.cpu
    lines.append(f"  {verdict(ratio <= 0.1)} warm / floor = {ratio:.3f} (cpu; budget <= 0.1)")
    cold = ours.cpu / floor.cpu
    lines.append(f"  {verdict(cold <= 1.5)} cold / floor = {cold:.2f} (cpu; budget <= 1.5)")
    if "edit" in found:
        domain = sorted(corpus.domains)[0]
        share = share_of(corpus, domain)
        edit = found["edit"].cpu / ours.cpu
        lines.append(
            f"  {verdict(edit <= share + 0.1)} one domain edited again, warm / cold = {edit:.2f} "
            f"(cpu; budget <= its share {share:.2f} + 0.10)"
        )
        if "edit_first" in found:
            first = found["edit_first"].cpu / ours.cpu
            lines.append(
                f"  {verdict(first <= share + 0.1)} one domain edited, the first edit after a "
                f"fill, warm / cold = {first:.2f} (cpu; budget <= its share {share:.2f} + 0.10)"
            )
        impact = found["impact"].cpu / ours.cpu
        lines.append(
            f"  {verdict(impact <= 1.5)} impact / full check = {impact:.2f} (cpu; budget <= 1.5)"
        )
    return lines
