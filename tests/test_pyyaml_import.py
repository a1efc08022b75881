"""PyYAML is imported through `floe_lint.load.pyyaml`, which spares the compile of its
pure-Python reader's pattern (issue 17: ~5% of an edited run's instructions) and changes
nothing that pattern matches."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from floe_lint.load import pyyaml
from tests.conftest import REPO
from tests.test_import_layers import modules

#: every code point, in order
EVERY = "".join(map(chr, range(0x110000)))


def test_the_seeded_pattern_matches_what_pyyaml_spells_at_every_code_point() -> None:
    # (a spelling of its own, so that `re` compiles PyYAML's class and not the seeded one)
    spelt = re.compile(f"(?:{pyyaml.SPELT})")
    same = re.compile(pyyaml.SAME)
    matched = [m.start() for m in same.finditer(EVERY)]
    assert matched == [m.start() for m in spelt.finditer(EVERY)], (
        "the patterns match other code points"
    )
    assert len(spelt.findall(EVERY)) == 2111  # (the test itself is not vacuous)


def test_pyyaml_reader_uses_the_seeded_pattern() -> None:
    """In a fresh process: in this one, another test may have imported PyYAML first. The
    patterns are compared as `ascii()` text, since a failure message holding their lone
    surrogates cannot be sent back by pytest-xdist (it stopped the whole run once)."""
    probe = (
        "import floe_lint.load.pyyaml as p, yaml.reader; "
        "print(ascii(yaml.reader.Reader.NON_PRINTABLE.pattern) == ascii(p.SAME))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.strip() == "True", ascii(done.stdout + done.stderr)


@pytest.mark.parametrize(
    "module", ["floe_lint.config", "floe_lint.load.document", "floe_lint.commands.check"]
)
def test_a_fresh_import_does_not_compile_pyyaml_s_own_spelling(module: str) -> None:
    probe = (
        f"import {module}, yaml.reader; "
        "print(yaml.reader.Reader.NON_PRINTABLE.pattern.startswith('[^'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.strip() == "False", ascii(done.stdout + done.stderr)


def test_pure_python_reader_reports_a_control_character_where_it_is() -> None:
    import yaml

    with pytest.raises(yaml.reader.ReaderError) as caught:
        yaml.load("a: b\nc: \x07d\n", Loader=yaml.SafeLoader)
    assert "#x0007" in str(caught.value)
    assert caught.value.position == 8


def test_every_module_imports_pyyaml_through_the_seed() -> None:
    """`import yaml` anywhere else could come first and compile PyYAML's spelling."""
    offenders = []
    for name, path in modules().items():
        if name == "floe_lint.load.pyyaml":
            continue
        seeded_at = None
        for node in sorted(
            (n for n in ast.walk(ast.parse(path.read_text("utf-8"))) if hasattr(n, "lineno")),
            key=lambda n: n.lineno,
        ):
            if isinstance(node, ast.ImportFrom) and node.module == "floe_lint.load.pyyaml":
                seeded_at = seeded_at or node.lineno
            elif (
                isinstance(node, ast.Import)
                and any(a.name == "yaml" or a.name.startswith("yaml.") for a in node.names)
            ) or (
                isinstance(node, ast.ImportFrom)
                and (node.module or "").split(".")[0] == "yaml"
                and seeded_at is None
            ):
                offenders.append(f"{name}:{node.lineno}")
    assert offenders == []


def test_a_check_compiles_neither_spelling(tmp_path: Path) -> None:
    """floe-lint reads through libyaml: the seeded pattern is compiled only when PyYAML's
    pure-Python reader first reads (3.9 M instructions of every run, issue 17), then it is
    PyYAML's class attribute and `re`'s cached pattern itself."""
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text("apiVersion: floe.dev/v1\nkind: Manifest\nscope: enterprise\n", "utf-8")
    probe = (
        "import io, re, sys\n"
        "from floe_lint.cli import main\n"
        "try:\n"
        "    main(['check', '--no-cache', sys.argv[1]], stdout=io.StringIO(), stderr=io.StringIO())\n"
        "except SystemExit:\n"
        "    pass\n"
        "import yaml, yaml.reader\n"
        "from floe_lint.load.pyyaml import SAME, SPELT\n"
        "seeded = yaml.reader.Reader.__dict__['NON_PRINTABLE']\n"
        "compiled = [p for p in list(re._cache.values()) if type(p) is re.Pattern\n"
        "            and p.pattern in (SAME, SPELT)]\n"
        "print(type(seeded).__name__, len(compiled))\n"
        "yaml.load('a: b', Loader=yaml.SafeLoader)\n"
        "made = yaml.reader.Reader.__dict__['NON_PRINTABLE']\n"
        "print(type(made).__name__, made.pattern == SAME, re.compile(SPELT) is made)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(manifest)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    assert done.stdout.split("\n")[:2] == ["Later 0", "Pattern True True"], ascii(done.stdout)
