"""Parsing and resolving `<ref>`s: relative paths and `oci://host/repo:tag|@sha256:...`.

An `oci://` ref resolves through explicit overrides (`--ref REF=PATH`, the config's `refs`
table) and then, when one is installed, through the OCI fetcher. A ref that resolves to
nothing is reported, never skipped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from floe_lint.load.paths import name_fetched

OCI_SCHEME = "oci://"
MUTABLE_TAGS = frozenset({"latest", "main", "master", "stable", "edge", "nightly", "dev", "head"})
_OCI = re.compile(
    r"^oci://(?P<host>[A-Za-z0-9.\-]+(?::[0-9]+)?|\[[0-9a-fA-F:]+\](?::[0-9]+)?)"
    r"/(?P<repository>[a-z0-9]+(?:[._\-/][a-z0-9]+)*)"
    r"(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}))?"
    r"(?:@(?P<digest>sha256:[a-f0-9]{64}))?$"
)


@dataclass(frozen=True, slots=True)
class OciRef:
    host: str
    repository: str
    tag: str | None
    digest: str | None

    def __str__(self) -> str:
        text = f"{OCI_SCHEME}{self.host}/{self.repository}"
        if self.tag:
            text += f":{self.tag}"
        if self.digest:
            text += f"@{self.digest}"
        return text

    @property
    def is_pinned(self) -> bool:
        return self.digest is not None

    @property
    def is_mutable(self) -> bool:
        """No digest, and no tag or one that conventionally moves (`latest`, `main`, ...)."""
        return self.digest is None and (self.tag is None or self.tag.lower() in MUTABLE_TAGS)


class RefError(Exception):
    """A ref that cannot be parsed or resolved; the message says why and how to fix it.

    `rule` names the rule that reports it: a subclass may pick another (e.g. `ref-integrity`).
    """

    rule = "unresolved-ref"


def is_oci(text: str) -> bool:
    return text.startswith(OCI_SCHEME)


def parse_oci(text: str) -> OciRef:
    match = _OCI.match(text)
    if not match:
        raise RefError(
            f"'{text}' is not a valid OCI reference; expected oci://host/repository:tag "
            "or oci://host/repository@sha256:<64 hex digits>"
        )
    return OciRef(match["host"], match["repository"], match["tag"], match["digest"])


OciFetcher = Callable[[OciRef], Path]


@dataclass
class Resolver:
    """Turns a ref, written in the file at `base`, into the path of a local file."""

    overrides: Mapping[str, Path]
    fetch: OciFetcher | None = None

    def resolve(self, text: str, base: Path) -> Path:
        text = text.strip()
        if text in self.overrides:
            return self._existing(self.overrides[text], f"the override for '{text}'")
        if is_oci(text):
            ref = parse_oci(text)
            if str(ref) in self.overrides:
                return self._existing(self.overrides[str(ref)], f"the override for '{text}'")
            if self.fetch is None:
                raise RefError(
                    f"no local source is configured for it; pass --ref '{text}=PATH' or add it "
                    "to the 'refs' table of the config file"
                )
            path = self.fetch(ref)
            name_fetched(path, str(ref))
            return path
        if "://" in text:
            raise RefError(f"unsupported ref scheme in '{text}'; use a relative path or oci://")
        return self._existing(base.parent / text, f"'{text}'", base.parent)

    @staticmethod
    def _existing(path: Path, what: str, relative_to: Path | None = None) -> Path:
        if path.is_dir():
            for name in ("manifest.yaml", "manifest.yml"):
                if (path / name).is_file():
                    return path / name
            raise RefError(f"{what} is a directory with no manifest.yaml: {path}")
        if not path.is_file():
            hint = ""
            near = nearest_existing(path)
            if near is not None:
                shown = Path(os.path.relpath(near, relative_to)) if relative_to else near
                hint = f"; did you mean '{shown.as_posix()}'?"
            raise RefError(f"{what} points to a file that does not exist: {path}{hint}")
        return path


_MAX_ENTRIES = 2000  # a folder listed for a suggestion; larger ones are not searched


def nearest_existing(path: Path) -> Path | None:
    """The existing manifest (or folder holding one) whose path is closest to `path`, going
    down from its deepest existing folder one close name at a time; None if none is close."""
    from floe_lint.suggest import closest

    parts = path.parts
    depth = len(parts)
    while depth > 0 and not Path(*parts[:depth]).is_dir():
        depth -= 1
    if depth == 0:
        return None
    current = Path(*parts[:depth])
    for part in parts[depth:]:
        if part in ("..", "."):
            return None
        try:
            with os.scandir(current) as entries:
                names = [e.name for _, e in zip(range(_MAX_ENTRIES), entries, strict=False)]
        except OSError:
            return None
        match = closest(part, names)
        if match is None:
            return None
        current = current / match
    if current.is_file() or any((current / n).is_file() for n in ("manifest.yaml", "manifest.yml")):
        return current
    return None
