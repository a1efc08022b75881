"""What the server's navigation reads, in upstream Floe's dialect too, and what its session
may reach: no network unless the config allows it."""

from __future__ import annotations

from pathlib import Path

from floe_lint.findings import Span
from floe_lint.server import navigate
from floe_lint.server.session import Session
from tests.conftest import EXAMPLES, write_files

UPSTREAM = EXAMPLES / "floe-upstream-style"


def test_platform_manifest_of_upstream_leads_to_the_manifest_and_explains_it() -> None:
    session = Session(UPSTREAM)
    orders = UPSTREAM / "orders/floe.yaml"
    subject = navigate.subject_at(session.model(orders), 10, 14)  # manifest: ../manifest.yaml
    assert subject is not None and subject.kind == "ref"
    assert navigate.definition(subject) == navigate.Place(
        UPSTREAM / "orders/../manifest.yaml", Span(1, 1, 1, 1)
    )
    assert (
        navigate.hover(subject, UPSTREAM).splitlines()[0]
        == "**`../manifest.yaml`** → manifest.yaml"
    )


def test_an_upstream_compute_goes_to_the_platform_selection_that_approves_it() -> None:
    session = Session(UPSTREAM)
    subject = navigate.subject_at(session.model(UPSTREAM / "orders/floe.yaml"), 16, 14)
    assert subject is not None and (subject.kind, subject.name) == ("compute", "duckdb")
    place = navigate.definition(subject)
    assert place is not None and place.path.name == "manifest.yaml"
    assert place.span.start_line == 13  # plugins.compute.type: duckdb


def test_unsaved_text_is_what_the_session_lints(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "floe.yaml": "name: x\nplatform: {ref: manifest.yaml}\n"
            "transforms: [{path: m/, compute: duckdb}]\n",
        },
    )
    session = Session(tmp_path)
    product = tmp_path / "floe.yaml"
    assert session.lint(product) == []
    session.open(
        tmp_path / "manifest.yaml", "plugins: {compute: {approved: [spark], default: spark}}\n"
    )
    assert [(f.rule_id, f.location.span) for f in session.lint(product)] == [
        ("FL201", Span(3, 34, 3, 40))
    ]
    assert session.below(tmp_path / "manifest.yaml") == []  # the product is not open
    session.open(product, product.read_text())
    session.lint(product)
    assert session.below(tmp_path / "manifest.yaml") == [product]


def test_the_session_never_goes_online_unless_the_config_says_so(tmp_path: Path) -> None:
    assert Session(tmp_path).fetch.offline
    (tmp_path / ".floe-lint.yaml").write_text("oci: {offline: false}\n")
    assert not Session(tmp_path).fetch.offline


def test_yaml_that_is_no_floe_file_gets_no_diagnostics(tmp_path: Path) -> None:
    workflow = tmp_path / ".github/workflows/ci.yaml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("on: push\njobs: {lint: {runs-on: ubuntu-latest}}\n")
    values = tmp_path / "values.yaml"
    values.write_text("platform:\n  image: floe\n")
    session = Session(tmp_path)
    assert session.lint(workflow) == [] and session.lint(values) == []
    empty = tmp_path / "floe.yaml"
    empty.write_text("# nothing yet\n")
    assert [f.rule_id for f in session.lint(empty)] == ["FL003"]  # its name promises a product


def test_a_mandatory_finding_is_known_so_no_suppression_is_offered(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            ".floe-lint.yaml": "mandatory: [compute-not-approved]\n",
            "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "floe.yaml": "name: x\nplatform: {ref: manifest.yaml}\n"
            "transforms: [{path: m/, compute: spark}]\n",
        },
    )
    session = Session(tmp_path)
    product = tmp_path / "floe.yaml"
    [finding] = session.lint(product)
    assert finding.rule_id == "FL201"
    assert session.mandatory[product.resolve()] == {finding}
    (tmp_path / ".floe-lint.yaml").write_text("{}\n")
    session = Session(tmp_path)
    session.lint(product)
    assert session.mandatory[product.resolve()] == set()
