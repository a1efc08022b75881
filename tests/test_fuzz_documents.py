"""Structure-aware fuzzing: mutated valid manifests and products never break a run.

Hypothesis starts from a valid enterprise manifest, domain manifest and product, and mutates
them the ways hostile or careless files do: retyped values, YAML tags, deep nesting, anchors
and merge keys, huge numbers, odd unicode and control characters, several documents in one
file. Whatever comes out, every run must exit 0 or 1 without an internal error, the JSON
report must be valid against schemas/report.json with every location inside its file, a
credential planted in the enterprise manifest must appear in no output format, and
`--jobs 2` must give the same report.
"""

from __future__ import annotations

import copy
import json
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_lint.load.validation import schema
from tests.conftest import run_cli

SECRET = "pl4nted-hunter2-Xq"
SECRET_PATH = ("plugins", "compute", "approved", 1, "config", "settings", "password")
BASE: dict[str, dict[str, Any]] = {
    "enterprise.manifest.yaml": {
        "scope": "enterprise",
        "metadata": {"name": "acme"},
        "plugins": {
            "compute": {
                "approved": [
                    "spark",
                    {"name": "duckdb", "config": {"settings": {"password": SECRET}}},
                ],
                "default": "duckdb",
            }
        },
    },
    "sales.manifest.yaml": {
        "scope": "domain",
        "metadata": {"name": "sales"},
        "parent_manifest": "enterprise.manifest.yaml",
        "plugins": {"compute": {"approved": ["duckdb", "spark"], "default": "duckdb"}},
    },
    "floe.yaml": {
        "name": "orders",
        "version": "1.0.0",
        "platform": {"ref": "sales.manifest.yaml"},
        "transforms": [
            {"type": "dbt", "path": "models/a/", "compute": "spark"},
            {"type": "dbt", "path": "models/b/"},
        ],
    },
}
REPORT = jsonschema.Draft202012Validator(schema("report"))
PROFILE = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure here is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(frozen=True)
class Raw:
    """A scalar written exactly as given: a tag, an alias, a number too long for JSON."""

    text: str


@dataclass(frozen=True)
class Anchored:
    name: str
    node: Any


# --- emitting YAML (block style; our own, so that tags, anchors and aliases fit in) ----------


def scalar(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        return (".inf" if value > 0 else "-.inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # JSON strings are YAML strings


def emit(node: Any, indent: int = 0) -> tuple[str | None, list[str]]:
    """(inline text, or None and the block lines) of a node."""
    pad = " " * indent
    anchor = ""
    if isinstance(node, Anchored):
        anchor, node = f"&{node.name} ", node.node
    if isinstance(node, dict) and node:
        lines = [f"{pad}{anchor.strip()}"] if anchor else []
        for key, value in node.items():
            inline, block = emit(value, indent + 2)
            head = f"{pad}{scalar(key)}:"
            lines += [f"{head} {inline}"] if inline is not None else [head, *block]
        return None, lines
    if isinstance(node, list) and node:
        if anchor:  # an anchored block sequence goes after its key, as `key: &a` + items
            return None, [f"{pad}{anchor.strip()}", *emit(node, indent)[1]]
        lines = []
        for item in node:
            inline, block = emit(item, indent + 2)
            lines += [f"{pad}- {inline}"] if inline is not None else [f"{pad}-", *block]
        return None, lines
    if isinstance(node, dict):
        return f"{anchor}{{}}", []
    if isinstance(node, list):
        return f"{anchor}[]", []
    return f"{anchor}{scalar(node)}", []


def document(data: Any) -> str:
    inline, block = emit(data)
    return (inline if inline is not None else "\n".join(block)) + "\n"


# --- mutations ---------------------------------------------------------------------------------

ODD_PIECES = [
    *"ab:{}[]#&*!|>'\"-?,% \t",
    *("\x00", "\x07", "\x1b[2K", "\x7f", "\x85", "\u2028", "\u200b", "\u202e"),
    *("\ufeff", "é", "ß", "日本", "\U0001f600", "\u0301", "\r", "\n"),
]
ODD_TEXT = st.lists(st.sampled_from(ODD_PIECES), max_size=8).map("".join)
TAGGED = st.sampled_from(
    [
        "!!int domain",
        "!!int 0x1F",
        "!!float x",
        "!!float 1e999",
        "!!bool maybe",
        "!!bool yes",
        "!!null ''",
        "!!str 5",
        "!!binary aGk=",
        "!!timestamp 2001-12-14",
        "!custom value",
        "!!map {}",
        "!!seq []",
    ]
).map(Raw)
HUGE = st.one_of(
    st.integers(4290, 4400).map(lambda n: Raw("9" * n)),
    st.integers(1000, 6000).map(lambda n: Raw("0x" + "f" * n)),
    st.sampled_from(["1e400", "-1e400", ".nan", "-.inf", "1_000_000", "0o777", "190:20:30"]).map(
        Raw
    ),
    st.integers(-(2**64), 2**64),
    st.floats(allow_nan=True, allow_infinity=True),
)


def deep(depth: int, kind: str) -> Any:
    node: Any = 1
    for _ in range(depth):
        node = {"a": node} if kind == "map" else [node]
    return node


LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    ODD_TEXT,
    TAGGED,
    HUGE,
    st.just([]),
    st.just({}),
    st.builds(deep, st.integers(1, 130), st.sampled_from(["map", "seq"])),
    st.lists(ODD_TEXT, max_size=3),
    st.dictionaries(ODD_TEXT, st.one_of(ODD_TEXT, st.integers()), max_size=3),
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path in a tree, parents before children."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


def guards_the_secret(name: str, path: tuple[Any, ...]) -> bool:
    """A path on the way to the planted secret: replacing it would drop the secret's key."""
    return name == "enterprise.manifest.yaml" and SECRET_PATH[: len(path)] == path


def replace(tree: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = tree
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return tree


@st.composite
def mutated_files(draw: st.DrawFn) -> dict[str, str]:
    files: dict[str, str] = {}
    for name, base in BASE.items():
        tree = copy.deepcopy(base)
        for _ in range(draw(st.integers(0, 3))):
            candidates = [p for p in paths(tree) if p and not guards_the_secret(name, p)]
            target = draw(st.sampled_from(candidates))
            if draw(st.integers(0, 4)) == 0 and isinstance(tree, dict):
                # anchors and merge keys: a base mapping merged into another mapping
                tree = {"x-base": Anchored("b", {"default": draw(LEAVES), "k": 1}), **tree}
                holder = [p for p in paths(tree) if isinstance(_at(tree, p), dict)]
                merge_into = draw(st.sampled_from(holder))
                _at(tree, merge_into)[Raw("<<")] = Raw("*b")
            else:
                tree = replace(tree, target, draw(LEAVES))
        text = document(tree)
        extra = draw(st.sampled_from(["", "documents", "comment", "bom"]))
        if extra == "documents":
            text += "---\n" + document(draw(LEAVES)) + "...\n--- !!str 5\n"
        elif extra == "comment" and name != "enterprise.manifest.yaml":
            text += "# " + draw(ODD_TEXT).replace("\n", " ").replace("\r", " ") + "\n"
        elif extra == "bom":
            text = "\ufeff" + text
        files[name] = text
    return files


def _at(tree: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        tree = tree[step]
    return tree


# --- the checks ---------------------------------------------------------------------------------


def assert_inside(finding: dict[str, Any], root: Path) -> None:
    """A location names a file that exists, with its span within the file's lines."""
    path = root / finding["file"]
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    lines = text.splitlines() or [""]
    where = f"{finding['file']}:{finding['line']}:{finding['column']} ({finding['name']})"
    assert 1 <= finding["line"] <= finding["end_line"] <= len(lines), where
    assert finding["column"] <= len(lines[finding["line"] - 1]) + 1, where
    assert finding["end_column"] <= len(lines[finding["end_line"] - 1]) + 1, where


@PROFILE
@given(files=mutated_files())
def test_mutated_documents_never_break_a_run(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        root = Path(folder)
        for name, text in files.items():
            (root / name).write_text(text, encoding="utf-8")
        patch.chdir(root)
        patch.setenv("FLOE_LINT_CACHE_DIR", str(root / ".cache"))
        check_every_output(root)


def check_every_output(root: Path) -> None:
    runs = {
        fmt: run_cli("check", ".", "--format", fmt, "--show-source", "--offline")
        for fmt in ("json", "text", "sarif", "github")
    }
    for fmt, run in runs.items():
        output = run.stdout + run.stderr
        assert run.code in (0, 1), f"{fmt}: exit {run.code}: {run.stderr}"
        assert "internal error" not in output and "Traceback" not in output, output
        assert SECRET not in output, f"{fmt} printed the planted secret"
    report = runs["json"].report
    REPORT.validate(report)
    for finding in report["findings"]:
        assert_inside(finding, root)
        for related in finding["related"]:
            assert_inside({**related, "name": finding["name"]}, root)
    parallel = run_cli("check", ".", "--format", "json", "--offline", "--jobs", "2")
    assert parallel.stdout == runs["json"].stdout
