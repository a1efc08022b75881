"""Every YAML example of the design record (docs/adr/) is linted as written.

Each ```yaml block is split into the files it shows (a `# NAME.yaml (who)` line starts one,
`---` ends it); an `oci://` ref resolves to the block's file of that repository's name, else
to the block's one manifest. Each example must lint clean, or be listed below as a
deliberate violation with the exact findings it gives: a new false error on the design
record fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

ADR = REPO / "docs" / "adr"
_BLOCK = re.compile(r"^```ya?ml\n(.*?)^```$", re.M | re.S)
_HEADER = re.compile(r"^# (\S+\.ya?ml)\b")
_OCI = re.compile(r"oci://[^\s\"'}]+")

#: (ADR file, block number) -> the findings its files give, in text form. Only what the
#: design record deliberately leaves out or gets wrong belongs here; each says why.
DELIBERATE: dict[tuple[str, int], list[str]] = {
    # The first two examples show a product's platform and transforms only. A product needs a
    # name (it names the dbt profile; upstream's FloeSpec requires metadata.name too), so
    # floe-lint keeps that error rather than invent a name; the last example has one.
    ("ADR-0010-multi-compute-pipeline.md", 0): [
        "floe.yaml:1:1: ERROR FL103 [schema-required] missing required key 'name' in the "
        "document; smallest valid: name: orders"
    ],
    ("ADR-0010-multi-compute-pipeline.md", 1): [
        "floe.yaml:1:1: ERROR FL103 [schema-required] missing required key 'name' in the "
        "document; smallest valid: name: orders"
    ],
}


def blocks() -> list[tuple[str, int, dict[str, str]]]:
    found = []
    for doc in sorted(ADR.glob("*.md")):
        for number, block in enumerate(_BLOCK.findall(doc.read_text("utf-8"))):
            files: dict[str, list[str]] = {}
            current: list[str] | None = None
            for line in block.splitlines():
                header = _HEADER.match(line)
                if header:
                    current = files.setdefault(header.group(1), [])
                elif line.strip() == "---":
                    current = None
                elif current is not None:
                    current.append(line)
                else:
                    assert not line.strip(), f"{doc.name} block {number}: a line outside a file"
            named = {name: "\n".join(lines).strip("\n") + "\n" for name, lines in files.items()}
            found.append((doc.name, number, named))
    return found


BLOCKS = blocks()


def _refs(files: dict[str, str]) -> list[str]:
    """`--ref REF=FILE` for every oci:// ref of the block."""
    manifests = [name for name in files if name != "floe.yaml"]
    args = []
    for text in files.values():
        for ref in _OCI.findall(text):
            repository = re.split(r"[:@]", ref.removeprefix("oci://").split("/", 1)[1])[0]
            target = f"{repository.rsplit('/', 1)[-1]}.yaml"
            if target not in files:
                assert len(manifests) == 1, f"{ref}: which manifest?"
                target = manifests[0]
            args += ["--ref", f"{ref}={target}"]
    return args


def test_the_design_record_has_yaml_examples_and_each_names_its_files() -> None:
    assert len(BLOCKS) >= 3
    for doc, number, files in BLOCKS:
        assert files, f"{doc} block {number} names no file"


@pytest.mark.parametrize(("doc", "number", "files"), BLOCKS, ids=[f"{d}-{n}" for d, n, _ in BLOCKS])
def test_each_yaml_example_of_the_design_record_lints_as_listed(
    doc: str, number: int, files: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, "utf-8")
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", ".", "--offline", *_refs(files))
    assert run.code in (0, 1), run.stderr
    assert run.stdout.splitlines() == DELIBERATE.get((doc, number), []), run.stdout
    if "floe.yaml" in files and run.code == 0:  # what check passes, compile renders
        compiled = run_cli("compile", "floe.yaml", "--out", "out", *_refs(files))
        assert compiled.code == 0, compiled.stdout + compiled.stderr
