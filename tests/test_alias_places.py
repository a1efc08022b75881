"""A finding on a value reached through an alias is placed where the alias is written, not at
the anchor: a suppression written for one transform cannot silence another (issue 16)."""

from __future__ import annotations

from pathlib import Path

from floe_lint.findings import Span
from floe_lint.load.document import parse

MANIFEST = "plugins: {compute: {approved: [duckdb], default: duckdb}}\n"
PRODUCT = """\
name: orders
platform: {ref: manifest.yaml}
transforms:
  - {path: models/a/, compute: &c snowflake}  # floe-lint: disable=FL201 -- approved by ticket 1
  - path: models/b/
    compute: *c
  - &shared {path: models/c/, compute: *c}
  - *shared
"""


def test_each_use_of_an_anchored_compute_is_reported_where_it_is_used(lint) -> None:
    run = lint({"manifest.yaml": MANIFEST, "floe.yaml": PRODUCT})
    found = [(f["line"], f["column"], f["pointer"]) for f in run.named("compute-not-approved")]
    assert found == [
        (6, 14, "/transforms/1/compute"),
        (7, 40, "/transforms/2/compute"),
        (8, 5, "/transforms/3/compute"),
    ]
    assert run.code == 1


def test_a_merged_alias_is_placed_at_the_merge_that_uses_it() -> None:
    text = "d: &d {compute: x, tags: [a]}\nt:\n  - <<: *d\n    path: p\n  - <<: [*d]\n"
    doc = parse(Path("f.yaml"), text.encode()).documents[0]
    assert doc.span("/t/0/compute") == Span(3, 9, 3, 11)
    assert doc.span("/t/0/tags/0") == Span(3, 9, 3, 11)
    assert doc.span("/t/0/path") == Span(4, 11, 4, 12)
    assert doc.span("/t/1/compute") == Span(5, 10, 5, 12)
    assert doc.span("/d/compute") == Span(1, 17, 1, 18)  # the anchor's own place is kept


def test_alias_places_survive_documents_and_keys_before_them() -> None:
    text = "a: &a 1\nb: *a\n...\n---\nc: &c {k: v}\n*c : 2\nd: [*c, *c]\n"
    source = parse(Path("f.yaml"), text.encode())
    second = source.documents[1]
    assert second.span("/d/0") == Span(7, 5, 7, 7)
    assert second.span("/d/1/k") == Span(7, 9, 7, 11)
    assert source.documents[0].span("/b") == Span(2, 4, 2, 6)
