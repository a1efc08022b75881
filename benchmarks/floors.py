"""The floors of issue 17's two missed budgets, timed by benchmarks/run.py in the same rounds as
the cases they bound (issue 17: "report what the machine allows if a budget proves
impossible, with the profile that shows why").

One domain edited (budget: its share of the tree + 0.10 of a cold check). Any replay keyed by
content must start and import what the run needs, walk the tree, read and hash every file (to
know it is unchanged) and decode the store, then check the edited share again:

  imports only    start-up and the modules a real edited run imported (benchmarks/edit_floor.py)
  walk and read   that, the walk, and a bounded read of every file
  edit floor      that, each file hashed, and the edit case's store decoded
  cold --jobs 1   a cold check in one process (no parse worker to start)

  lower bound = edit floor + share x (cold - walk and read), where the cold check is the
  cheaper of the default and `--jobs 1`: a cold check's work beyond importing, walking and
  reading, for the share's files; the brief's form subtracts only the imports (it counts the
  walk and the share's reads twice) and is shown beside it.

A sibling tree (budget: 1.1x the check without it). An exact search must list the twin's
folders and read its files: the lower bound is (alone + twin loop - its start-up) / alone,
the loop benchmarks/sibling_floor.py, its start-up the same script with nothing to do.
"""

from __future__ import annotations

import statistics
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.budgets import COLD, share_of
from benchmarks.corpus import Corpus

HERE = Path(__file__).resolve().parent
EDIT_FLOOR = HERE / "edit_floor.py"
SIBLING_FLOOR = HERE / "sibling_floor.py"


def record(python: str, edit: Any, modules: Path) -> None:
    """Fill the edit case's cache, edit, and note what that edited run imports."""
    root = edit.cwd
    fill = subprocess.run(edit.commands[0], cwd=root, env=edit.env, capture_output=True)
    if fill.returncode not in (0, 1):
        raise SystemExit(f"filling the edit case's cache: {fill.stderr[-2000:]!r}")
    if edit.prepare is not None:
        edit.prepare()
    args = [python, str(EDIT_FLOOR), "record", str(modules), "--", *edit.commands[0][1:]]
    done = subprocess.run(args, cwd=root, env=edit.env, capture_output=True)
    if done.returncode not in (0, 1) or not modules.exists():
        raise SystemExit(f"recording an edited run's imports: {done.stderr[-2000:]!r}")


def edit_cases(case: type, found: dict[str, Any], bin_dir: Path, work: Path) -> dict[str, Any]:
    """The edit floor's cases, over the edit case's tree and cache (`found["edit"]`)."""
    edit = found["edit"]
    python, root = str(bin_dir / "python"), edit.cwd
    modules = work / "edited-run-modules.txt"
    record(python, edit, modules)
    cache = edit.env["FLOE_LINT_CACHE_DIR"]
    n = edit.files
    floor = [python, str(EDIT_FLOOR)]
    return {
        "imports_only": case(
            "imports only", [[*floor, "imports", str(modules)]], 0, cwd=root, env=edit.env
        ),
        "walk_read": case(
            "imports, walk and read",
            [[*floor, "read", str(modules), str(root)]],
            n,
            cwd=root,
            env=edit.env,
        ),
        "edit_floor": case(
            "edit floor (+ hash, decode store)",
            [[*floor, "floor", str(modules), str(root), cache]],
            n,
            cwd=root,
            env=edit.env,
        ),
        "serial_cold": case(
            "floe-lint check --jobs 1",
            [[str(bin_dir / "floe-lint"), "check", "-j", "1", str(root)]],
            n,
            cwd=root,
            env=COLD,
        ),
    }


def rounds(formula: Callable[..., float], *cases: Any) -> str:
    """`formula` of the cases' CPU times round by round (each round measured them one after
    the other): the median and the range, steadier than a formula of medians under load."""
    count = min(len(case.samples) for case in cases)
    values = sorted(formula(*(case.samples[i].cpu for case in cases)) for i in range(count))
    if not values:
        return "no rounds"
    return f"median of rounds {statistics.median(values):.3f}, {values[0]:.3f} to {values[-1]:.3f}"


def edit_report(found: dict[str, Any], corpus: Corpus) -> list[str]:
    """The edit floor against the budget (CPU, as ratios of the cold check's)."""
    if "edit_floor" not in found:
        return []
    share = share_of(corpus, sorted(corpus.domains)[0])
    budget = share + 0.10
    cold = found["ours"].cpu
    work = min(cold, found["serial_cold"].cpu)
    floor, imports, walk_read = (found[k].cpu for k in ("edit_floor", "imports_only", "walk_read"))
    bound = (floor + share * (work - walk_read)) / cold
    brief = (floor + share * (cold - imports)) / cold

    def lower(floor: float, walk_read: float, cold: float, serial: float) -> float:
        return (floor + share * (min(cold, serial) - walk_read)) / cold

    keys = ("edit_floor", "walk_read", "ours", "serial_cold")
    lines = [
        f"  edit floor / cold = {floor / cold:.3f} (imports only {imports / cold:.3f}, "
        f"+ walk and read {walk_read / cold:.3f}; cold --jobs 1 / cold "
        f"{found['serial_cold'].cpu / cold:.2f})",
        f"  lower bound of a content-hashed replay = {bound:.3f} of cold: edit floor + share "
        f"{share:.2f} x (cold - walk and read) (with cold - imports only: {brief:.3f}); "
        f"budget {budget:.2f}",
        f"    the lower bound round by round: {rounds(lower, *(found[k] for k in keys))}",
    ]
    for key, name in (("edit", "edited again"), ("edit_first", "first edit after a fill")):
        if key in found:
            lines.append(
                f"  {name} / cold = {found[key].cpu / cold:.3f} "
                f"({rounds(lambda a, b: a / b, found[key], found['ours'])})"
            )
    if bound > budget:
        lines.append(
            f"  out of reach on this machine: the lower bound {bound:.3f} > budget {budget:.2f}"
        )
    else:
        lines.append(f"  not proven out of reach: lower bound {bound:.3f} <= budget {budget:.2f}")
    return lines


def sibling_cases(case: type, twin: dict[str, Any], bin_dir: Path, needle: str) -> dict[str, Any]:
    """The twin read loop (over the twin `b` beside the checked tree) and its start-up."""
    python, top = str(bin_dir / "python"), twin["sibling"].cwd
    loop = [python, str(SIBLING_FLOOR)]
    files = twin["alone"].files
    return {
        "twin_loop": case(
            "twin read loop", [[*loop, str(top / "b"), needle]], files, cwd=top, env=COLD
        ),
        "twin_start": case("twin read loop: start-up", [loop], 0, cwd=top, env=COLD),
    }


def sibling_report(twin: dict[str, Any]) -> list[str]:
    keys = ("alone", "twin_loop", "twin_start")
    alone = twin["alone"].cpu
    measured = twin["sibling"].cpu / alone
    loop = twin["twin_loop"].cpu - twin["twin_start"].cpu
    bound = (alone + loop) / alone
    lines = [
        f"  sibling lower bound = (alone + twin read loop) / alone = {bound:.3f} (the loop "
        f"{loop * 1000:.1f} ms, {loop / alone:.3f} of alone); measured {measured:.3f}; "
        "budget 1.10",
        "    round by round: lower bound "
        + rounds(lambda a, loop, start: (a + loop - start) / a, *(twin[k] for k in keys))
        + "; measured "
        + rounds(lambda s, a: s / a, twin["sibling"], twin["alone"]),
    ]
    if bound > 1.1:
        lines.append(f"  out of reach on this machine: the lower bound {bound:.3f} > 1.10")
    else:
        lines.append(f"  not proven out of reach: lower bound {bound:.3f} <= 1.10")
    return lines
