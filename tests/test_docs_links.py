"""Every link in the README and docs/ leads somewhere inside this repository (or is an
absolute URL): a reader's first click must not fall outside the checkout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO

LINK = re.compile(r"\]\(([^)\s]+)\)")
# ADR-0010 is copied from the Floe project unchanged; docs/adr/README.md says which of its
# links name Floe documents that this repository does not ship.
UPSTREAM = {REPO / "docs/adr/ADR-0010-multi-compute-pipeline.md"}
PAGES = sorted(
    p
    for p in (REPO / "README.md", *REPO.glob("docs/**/*.md"), *REPO.glob("examples/*/README.md"))
    if p not in UPSTREAM
)


def _anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#+\s+(.*)$", page.read_text("utf-8"), re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_links_resolve_inside_the_repository(page: Path) -> None:
    for target in LINK.findall(page.read_text("utf-8")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):
            continue  # https://…, mailto:…
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.is_relative_to(REPO), f"{page.name}: {target} leaves the repository"
        assert linked.exists(), f"{page.name}: {target} does not exist"
        if anchor and linked.suffix == ".md":
            assert anchor in _anchors(linked), f"{page.name}: no heading for #{anchor}"


def test_the_readme_links_adr_0010_shipped_in_docs() -> None:
    first = LINK.search((REPO / "README.md").read_text("utf-8"))
    assert first and first[1] == "docs/adr/ADR-0010-multi-compute-pipeline.md"
