"""`floe-lint server`, driven as an editor drives it: a real process over stdio with JSON-RPC
framing (pytest-lsp's client): initialize, open, diagnostics with exact ranges, hover,
definition across files, references, code actions with their edits, a manifest edited in the
editor updating an open product's diagnostics, shutdown and exit."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

ENTERPRISE = """\
scope: enterprise
metadata: {name: acme}
governance:
  pii_encryption: required
plugins:
  compute:
    approved: [duckdb, spark, snowflake]
    default: duckdb
"""
SALES = """\
scope: domain
metadata: {name: sales}
parent_manifest: ../enterprise/manifest.yaml
plugins:
  compute:
    approved: [duckdb, Spark]
    default: duckdb
"""
ORDERS = """\
name: orders
platform: {ref: ../sales/manifest.yaml}
transforms:
  - {type: dbt, path: models/a/, compute: duckdb}
  - {type: dbt, path: models/b/, compute: snowflake}
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name, text in {
        "enterprise/manifest.yaml": ENTERPRISE,
        "sales/manifest.yaml": SALES,
        "orders/floe.yaml": ORDERS,
        "returns/floe.yaml": ORDERS.replace("orders", "returns"),
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
    await lsp_client.shutdown_session()  # shutdown, then exit


def _uri(tree: Path, name: str) -> str:
    return (tree / name).resolve().as_uri()


async def _open(client: LanguageClient, tree: Path, name: str) -> list[lsp.Diagnostic]:
    uri = _uri(tree, name)
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri, "yaml", 1, (tree / name).read_text())
        )
    )
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics[uri]


def _at(line: int, character: int) -> lsp.Position:
    return lsp.Position(line, character)


@pytest.mark.asyncio
async def test_open_publishes_diagnostics_with_the_exact_range(client: LanguageClient) -> None:
    tree: Path = client.tree  # type: ignore[attr-defined]
    [diagnostic] = await _open(client, tree, "orders/floe.yaml")
    assert diagnostic.code == "FL201"
    assert diagnostic.range == lsp.Range(_at(4, 42), _at(4, 51))  # 'snowflake', 0-based
    assert diagnostic.message.startswith(
        "transform 'models/b/' selects compute 'snowflake', which domain 'sales' does not approve"
    )
    assert diagnostic.severity == lsp.DiagnosticSeverity.Error
    assert diagnostic.source == "floe-lint"


@pytest.mark.asyncio
async def test_hover_on_a_compute_shows_which_level_approves_or_removes_it(
    client: LanguageClient,
) -> None:
    tree: Path = client.tree  # type: ignore[attr-defined]
    await _open(client, tree, "orders/floe.yaml")
    uri = _uri(tree, "orders/floe.yaml")
    hover = await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), _at(4, 45))
    )
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert hover.contents.value.splitlines() == [
        "**compute `snowflake`**: not approved at domain 'sales'",
        "",
        "- enterprise 'acme' (enterprise/manifest.yaml): approves it (enterprise/manifest.yaml:7)",
        "- domain 'sales' (sales/manifest.yaml): removes it (offered by enterprise 'acme')",
    ]
    assert hover.range == lsp.Range(_at(4, 42), _at(4, 51))


@pytest.mark.asyncio
async def test_hover_on_a_governance_value_shows_where_it_is_set(client: LanguageClient) -> None:
    tree: Path = client.tree  # type: ignore[attr-defined]
    await _open(client, tree, "enterprise/manifest.yaml")
    hover = await client.text_document_hover_async(
        lsp.HoverParams(
            lsp.TextDocumentIdentifier(_uri(tree, "enterprise/manifest.yaml")), _at(3, 20)
        )
    )
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert hover.contents.value.splitlines() == [
        "**governance `pii_encryption`**",
        "",
        "- enterprise 'acme': `required` (set here, enterprise/manifest.yaml:4)",
    ]


@pytest.mark.asyncio
async def test_definition_goes_to_the_approving_entry_and_refs_to_their_target(
    client: LanguageClient,
) -> None:
    tree: Path = client.tree  # type: ignore[attr-defined]
    await _open(client, tree, "orders/floe.yaml")
    orders = lsp.TextDocumentIdentifier(_uri(tree, "orders/floe.yaml"))
    approved = await client.text_document_definition_async(
        lsp.DefinitionParams(orders, _at(3, 44))  # compute: duckdb
    )
    assert approved == lsp.Location(
        _uri(tree, "sales/manifest.yaml"), lsp.Range(_at(5, 15), _at(5, 21))
    )
    removed = await client.text_document_definition_async(
        lsp.DefinitionParams(orders, _at(4, 45))  # snowflake: the level that removed it
    )
    assert removed == lsp.Location(
        _uri(tree, "sales/manifest.yaml"), lsp.Range(_at(5, 4), _at(5, 12))
    )
    platform = await client.text_document_definition_async(
        lsp.DefinitionParams(orders, _at(1, 20))  # platform: {ref: ../sales/manifest.yaml}
    )
    assert platform == lsp.Location(
        _uri(tree, "sales/manifest.yaml"), lsp.Range(_at(0, 0), _at(0, 0))
    )
    await _open(client, tree, "sales/manifest.yaml")
    parent = await client.text_document_definition_async(
        lsp.DefinitionParams(
            lsp.TextDocumentIdentifier(_uri(tree, "sales/manifest.yaml")), _at(2, 20)
        )
    )
    assert parent == lsp.Location(
        _uri(tree, "enterprise/manifest.yaml"), lsp.Range(_at(0, 0), _at(0, 0))
    )


@pytest.mark.asyncio
async def test_references_of_an_approved_entry_list_the_transforms_using_it(
    client: LanguageClient,
) -> None:
    tree: Path = client.tree  # type: ignore[attr-defined]
    await _open(client, tree, "sales/manifest.yaml")
    found = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=lsp.TextDocumentIdentifier(_uri(tree, "sales/manifest.yaml")),
            position=_at(5, 17),  # duckdb in the approved list
            context=lsp.ReferenceContext(include_declaration=False),
        )
    )
    assert sorted((loc.uri, loc.range.start.line, loc.range.start.character) for loc in found) == [
        (_uri(tree, "orders/floe.yaml"), 3, 42),
        (_uri(tree, "returns/floe.yaml"), 3, 42),
    ]


@pytest.mark.asyncio
async def test_code_actions_offer_the_fix_the_unsafe_one_labelled_and_a_suppression(
    client: LanguageClient,
) -> None:
    tree: Path = client.tree  # type: ignore[attr-defined]
    [diagnostic, _] = sorted(
        await _open(client, tree, "sales/manifest.yaml"), key=lambda d: str(d.code)
    )
    uri = _uri(tree, "sales/manifest.yaml")
    assert diagnostic.code == "FL202" and diagnostic.range == lsp.Range(_at(5, 23), _at(5, 28))
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri), diagnostic.range, lsp.CodeActionContext([diagnostic])
        )
    )
    assert actions is not None
    by_title = {a.title: a for a in actions if isinstance(a, lsp.CodeAction)}
    fix = by_title["FL202: write 'spark'"]
    assert fix.is_preferred and fix.edit is not None and fix.edit.changes is not None
    assert list(fix.edit.changes[uri]) == [lsp.TextEdit(lsp.Range(_at(5, 23), _at(5, 28)), "spark")]
    suppress = by_title["Suppress FL202 here (with a reason)"]
    assert suppress.edit is not None and suppress.edit.changes is not None
    assert list(suppress.edit.changes[uri]) == [
        lsp.TextEdit(
            lsp.Range(_at(5, 0), _at(5, 0)),
            "    # floe-lint: disable=FL202 -- REASON: why this is acceptable\n",
        )
    ]
    fix_all = [
        a for a in actions if isinstance(a, lsp.CodeAction) and a.kind == "source.fixAll.floe-lint"
    ]
    assert fix_all and "approved: [duckdb, spark]" in fix_all[0].edit.changes[uri][0].new_text  # type: ignore[union-attr]

    # The orders transform on snowflake: only an unsafe fix, labelled so, not in fix-all.
    orders = await _open(client, tree, "orders/floe.yaml")
    unsafe = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(_uri(tree, "orders/floe.yaml")),
            orders[0].range,
            lsp.CodeActionContext(orders),
        )
    )
    titles = [a.title for a in unsafe or []]
    assert "FL201: run it on the default compute 'duckdb' (unsafe: may change behaviour)" in titles
    assert not any("Fix all" in t for t in titles)


@pytest.mark.asyncio
async def test_editing_an_open_manifest_updates_the_open_products_below_it(
    client: LanguageClient,
) -> None:
    tree: Path = client.tree  # type: ignore[attr-defined]
    assert [d.code for d in await _open(client, tree, "orders/floe.yaml")] == ["FL201"]
    await _open(client, tree, "sales/manifest.yaml")
    sales = _uri(tree, "sales/manifest.yaml")
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=sales, version=2),
            [
                lsp.TextDocumentContentChangePartial(
                    range=lsp.Range(_at(5, 23), _at(5, 28)), text="snowflake"
                )
            ],
        )
    )
    orders = _uri(tree, "orders/floe.yaml")
    for _ in range(10):  # the manifest's diagnostics, then the product's
        if not client.diagnostics[orders]:
            break
        await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert not client.diagnostics[orders]  # snowflake is approved now (unsaved edit)
    assert (tree / "sales/manifest.yaml").read_text() == SALES  # nothing written


@pytest.mark.asyncio
async def test_save_lints_again_with_what_is_on_disk_now(client: LanguageClient) -> None:
    tree: Path = client.tree  # type: ignore[attr-defined]
    assert [d.code for d in await _open(client, tree, "orders/floe.yaml")] == ["FL201"]
    (tree / "sales/manifest.yaml").write_text(SALES.replace("Spark", "snowflake"))
    orders = _uri(tree, "orders/floe.yaml")
    client.text_document_did_save(
        lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(orders))
    )
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert not client.diagnostics[orders]
