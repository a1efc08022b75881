"""How many of the published `floe platform compile`'s refusals `floe-lint check` foresees.

Run from the repository root with the test extras installed (floe-core 0.1.0a1):

    .venv/bin/python scripts/foresight.py

The corpus: every code-dialect product of examples/ with the manifest it names; every
upstream-style FloeSpec written in the tests, under a permissive and under a strict platform;
and 200 generated products under generated governance (seeded, so the run is repeatable).
Each goes through upstream's `compile_pipeline` (in process) and through `floe-lint check`; a
refusal is foreseen when check reports an error on the product or its platform (or the
`upstream-refuses` warning, which names the refusal). Refusals that
depend on which of upstream's plugin packages are installed (a plugin "could not be resolved" or
"not found") are counted apart: nothing in the files decides them.
"""

from __future__ import annotations

import collections
import io
import json
import random
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from floe_lint.cli import main  # noqa: E402
from floe_lint.load.dialect import read  # noqa: E402
from floe_lint.load.document import load  # noqa: E402
from tests.floe_core_oracle import MANIFEST  # noqa: E402
from tests.test_floe_core_oracle import FIXTURES  # noqa: E402
from tests.upstream_compile import upstream_compile  # noqa: E402

STRICT = {
    **MANIFEST,
    "governance": {
        "policy_enforcement_level": "strict",
        "naming": {"enforcement": "strict", "pattern": "medallion"},
    },
}
NAMES = ("bronze_orders", "silver_orders", "gold_orders", "dim_customer", "stg_fees")


def reports(product: Path) -> bool:
    """An error on the product or its platform, or the warning naming upstream's refusal."""
    out = io.StringIO()
    main(["check", str(product), "--format", "json", "--offline"], out, io.StringIO())
    findings = json.loads(out.getvalue())["findings"]
    return any(f["severity"] == "error" or f["rule"] == "FL701" for f in findings)


def plugin_missing(refusal: str) -> bool:
    """Upstream could not load a plugin package: decided by its installation, not the files."""
    return "could not be resolved" in refusal or (
        re.search(r"Compute plugin '[^']+' not found", refusal) is not None
    )


def examples() -> list[tuple[str, Path, Path]]:
    found = []
    for path in sorted(ROOT.glob("examples/**/floe.yaml")):
        docs = load(path).documents
        if not docs or docs[0].kind != "floe" or read(docs[0].data, "floe")[0] != "floe":
            continue
        platform = docs[0].data.get("platform")
        ref = platform.get("manifest") if isinstance(platform, dict) else None
        manifest = path.parent / ref if isinstance(ref, str) else path.parent / "manifest.yaml"
        manifest = manifest / "manifest.yaml" if manifest.is_dir() else manifest
        if manifest.is_file():
            found.append((str(path.relative_to(ROOT)), path, manifest))
    return found


def generated(rng: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    names = rng.sample(NAMES, rng.randint(1, 4))
    transforms: list[dict[str, Any]] = []
    for name in names:
        transform: dict[str, Any] = {"name": name}
        if rng.random() < 0.5:
            transform["dependsOn"] = rng.sample([*names, "missing_model"], rng.randint(0, 2))
        transforms.append(transform)
    governance: dict[str, Any] = {"policy_enforcement_level": rng.choice(["strict", "warn", None])}
    if rng.random() < 0.5:
        governance["naming"] = {
            "enforcement": rng.choice(["strict", "warn"]),
            "pattern": rng.choice(["medallion", "kimball"]),
        }
    if rng.random() < 0.3:
        governance["quality_gates"] = {"require_descriptions": rng.random() < 0.5}
    product = {
        "apiVersion": "floe.dev/v1",
        "kind": "FloeSpec",
        "metadata": {"name": "orders", "version": "1.0.0"},
        "platform": {"manifest": "manifest.yaml"},
        "transforms": transforms,
    }
    return {**MANIFEST, "governance": governance}, product


def run() -> None:
    tally: collections.Counter[str] = collections.Counter()
    missed: list[str] = []

    def judge(label: str, spec: Path, manifest: Path) -> None:
        refusal = upstream_compile(spec, manifest)
        if refusal is None:
            tally["compiled"] += 1
        elif plugin_missing(refusal):
            tally["refused: an upstream plugin package is not installed"] += 1
        elif reports(spec):
            tally["refused, foreseen by check"] += 1
        else:
            tally["refused, not foreseen"] += 1
            missed.append(f"{label}: {refusal[:160]}")

    for label, spec, manifest in examples():
        judge(label, spec, manifest)
    with tempfile.TemporaryDirectory() as folder:
        for number, (name, text) in enumerate(FIXTURES):
            if name != "floe.yaml":
                continue
            for kind, platform in (("permissive", MANIFEST), ("strict", STRICT)):
                case = Path(folder) / f"{number}-{kind}"
                case.mkdir()
                (case / "manifest.yaml").write_text(yaml.safe_dump(platform))
                (case / "floe.yaml").write_text(text)
                judge(
                    f"tests fixture #{number} ({kind})", case / "floe.yaml", case / "manifest.yaml"
                )
        rng = random.Random(21)
        for number in range(200):
            manifest, product = generated(rng)
            case = Path(folder) / f"generated-{number}"
            case.mkdir()
            (case / "manifest.yaml").write_text(yaml.safe_dump(manifest))
            (case / "floe.yaml").write_text(yaml.safe_dump(product, sort_keys=False))
            judge(f"generated #{number}", case / "floe.yaml", case / "manifest.yaml")
    for key, count in sorted(tally.items()):
        print(f"{count:5d}  {key}")
    refused = tally["refused, foreseen by check"] + tally["refused, not foreseen"]
    foreseen = tally["refused, foreseen by check"]
    print(f"foreseen: {foreseen} of {refused} refusals decided by the files")
    for line in missed:
        print("  not foreseen:", line)


if __name__ == "__main__":
    run()
