"""Hover text is Markdown built from what the files say: every name, label, value and path taken
from them is escaped, so it shows as written and never becomes a link, HTML or emphasis; and a
level that selects from a whitelist above it "does not select" a compute it leaves out (it
removes nothing). Driven through the real server over stdio, as an editor drives it."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from floe_lint.reporters import markdown_code, markdown_text
from tests.test_server_lsp import _at, _open, _uri

ENTERPRISE = """\
scope: enterprise
metadata: {name: "*acme* [x](http://evil.example) <b>"}
plugins:
  compute:
    approved: [duckdb, __spark__]
    default: duckdb
"""
SALES = """\
scope: domain
metadata: {name: sales_eu_}
parent_manifest: ../enterprise/manifest.yaml
plugins:
  compute:
    approved: [duckdb]
"""
ORDERS = """\
name: orders
platform: {ref: ../sales/manifest.yaml}
transforms:
  - {type: dbt, path: models/a/, compute: __spark__}
"""
UPSTREAM_ENTERPRISE = {
    "apiVersion": "floe.dev/v1",
    "kind": "Manifest",
    "metadata": {"name": "northwind", "version": "2.0.0", "owner": "platform@nw.example"},
    "scope": "enterprise",
    "plugins": {"compute": {"type": "duckdb"}, "orchestrator": {"type": "dagster"}},
    "approved_plugins": {"compute": ["duckdb", "spark"]},
}
UPSTREAM_SALES = """\
apiVersion: floe.dev/v1
kind: Manifest
metadata: {name: sales, version: 1.0.0, owner: sales@nw.example}
scope: domain
parent_manifest: ../upstream/manifest.json
plugins:
  compute: {type: spark}
  orchestrator: {type: dagster}
"""
INVOICES = """\
apiVersion: floe.dev/v1
kind: FloeSpec
metadata: {name: invoices, version: 1.0.0, owner: billing@nw.example}
platform: {manifest: ../manifest.yaml}
transforms:
  - {name: fct_invoices, compute: duckdb}
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name, text in {
        "enterprise/manifest.yaml": ENTERPRISE,
        "sales/manifest.yaml": SALES,
        "orders/floe.yaml": ORDERS,
        "upstream/manifest.json": json.dumps(UPSTREAM_ENTERPRISE),
        "upstream-sales/manifest.yaml": UPSTREAM_SALES,
        "upstream-sales/invoices/floe.yaml": INVOICES,
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text))
    return tmp_path


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "floe_lint", "server"])
)
async def client(lsp_client: LanguageClient, tree: Path):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(
        lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=tree.as_uri())
    )
    lsp_client.tree = tree  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def _hover(client: LanguageClient, name: str, line: int, col: int) -> list[str]:
    tree: Path = client.tree  # type: ignore[attr-defined]
    await _open(client, tree, name)
    hover = await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(_uri(tree, name)), _at(line, col))
    )
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert hover.contents.kind == lsp.MarkupKind.Markdown
    return hover.contents.value.splitlines()


@pytest.mark.asyncio
async def test_hover_escapes_names_and_labels_from_the_files(client: LanguageClient) -> None:
    enterprise = r"enterprise '\*acme\* \[x\](http://evil.example) \<b\>'"
    assert await _hover(client, "orders/floe.yaml", 3, 42) == [
        r"**compute `__spark__`**: not approved at domain 'sales\_eu\_'",
        "",
        f"- {enterprise} (enterprise/manifest.yaml): approves it (enterprise/manifest.yaml:5)",
        rf"- domain 'sales\_eu\_' (sales/manifest.yaml): removes it (offered by {enterprise})",
    ]


@pytest.mark.asyncio
async def test_hover_says_a_whitelist_level_does_not_select_what_it_leaves_out(
    client: LanguageClient,
) -> None:
    assert await _hover(client, "upstream-sales/invoices/floe.yaml", 5, 35) == [
        "**compute `duckdb`**: not approved at domain 'sales'",
        "",
        "- enterprise 'northwind' (upstream/manifest.json): approves it "
        "(upstream/manifest.json:1); default (set by itself, upstream/manifest.json:1)",
        "- domain 'sales' (upstream-sales/manifest.yaml): does not select it "
        "(allowed by enterprise 'northwind')",
    ]


@pytest.mark.parametrize(
    "text",
    ["plain", "a`b", "`x", "x`", "a``b", " lead", "trail ", "", "two\nlines", "*[x](y)*"],
)
def test_a_code_span_holds_any_text_literally(text: str) -> None:
    """CommonMark: a code span's content is what lies between equal backtick runs, with one
    space stripped from each side when both sides have one."""
    span = markdown_code(text)
    assert "\n" not in span
    if not text:
        assert span == "` `"  # CommonMark has no empty code span
        return
    fence = len(span) - len(span.lstrip("`"))
    inner = span[fence:-fence]
    assert "`" * fence not in inner
    if inner.startswith(" ") and inner.endswith(" ") and inner.strip():
        inner = inner[1:-1]
    assert inner == text.replace("\n", "\\n")


def test_markdown_text_escapes_every_active_character() -> None:
    assert markdown_text("*a* _b_ [c](d) <e> `f` #g |h| !i ~j \\") == (
        r"\*a\* \_b\_ \[c\](d) \<e\> \`f\` \#g \|h\| \!i \~j \\"
    )
