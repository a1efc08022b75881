"""Parsing and resolving `<ref>`s: relative paths and `oci://host/repo:tag|@sha256:...`.

An `oci://` ref resolves through explicit overrides (`--ref REF=PATH`, the config's `refs`
table) and then, when one is installed, through the OCI fetcher. A ref that resolves to
nothing is reported, never skipped.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

from floe_lint.load.paths import name_fetched, relative_posix, resolved
from floe_lint.load.reading import special_kind
from floe_lint.record import Frozen, Value, set_field

OCI_SCHEME = "oci://"
MUTABLE_TAGS = frozenset({"latest", "main", "master", "stable", "edge", "nightly", "dev", "head"})


@cache
def _oci() -> re.Pattern[str]:
    """The pattern of an oci:// ref, compiled when a ref is first parsed (not at start-up)."""
    return re.compile(
        r"^oci://(?P<host>[A-Za-z0-9.\-]+(?::[0-9]+)?|\[[0-9a-fA-F:]+\](?::[0-9]+)?)"
        r"/(?P<repository>[a-z0-9]+(?:[._\-/][a-z0-9]+)*)"
        r"(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}))?"
        r"(?:@(?P<digest>sha256:[a-f0-9]{64}))?$"
    )


class OciRef(Frozen):
    __slots__ = ("digest", "host", "repository", "tag")
    host: str
    repository: str
    tag: str | None
    digest: str | None

    def __init__(self, host: str, repository: str, tag: str | None, digest: str | None) -> None:
        set_field(self, "host", host)
        set_field(self, "repository", repository)
        set_field(self, "tag", tag)
        set_field(self, "digest", digest)

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
    match = _oci().match(text)
    if not match:
        raise RefError(
            f"'{text}' is not a valid OCI reference; expected oci://host/repository:tag "
            "or oci://host/repository@sha256:<64 hex digits>"
        )
    problem = host_problem(match["host"])
    if problem:
        raise RefError(f"'{text}' is not a valid OCI reference: {problem}")
    return OciRef(match["host"], match["repository"], match["tag"], match["digest"])


def host_problem(host: str) -> str | None:
    """Why `host[:port]` cannot name a registry (checked here, not first by the network).

    `host` is what the `_oci` pattern or a URL's netloc allows: a name or a bracketed address.
    """
    if host.startswith("["):
        address, _, port = host[1:].partition("]")
        import ipaddress  # only for a bracketed address

        try:
            ipaddress.IPv6Address(address)
        except ValueError:
            return f"[{address}] is not an IPv6 address"
        port = port.removeprefix(":")
    else:
        name, _, port = host.partition(":")
        labels = name.split(".")
        if len(name) > 253 or any(
            not 0 < len(label) <= 63 or label.startswith("-") or label.endswith("-")
            for label in labels
        ):
            return (
                f"'{name}' is not a host name (dot-separated labels of 1 to 63 letters, "
                "digits or inner hyphens)"
            )
    if port and not (
        port.isascii() and port.isdigit() and len(port) <= 5 and 0 < int(port) <= 65535
    ):
        return f"port {port} is not between 1 and 65535"
    return None


OciFetcher = Callable[[OciRef], Path]


class Resolver(Value):
    """Turns a ref, written in the file at `base`, into the path of a local file."""

    __slots__ = ("fetch", "overrides")
    overrides: Mapping[str, Path]
    fetch: OciFetcher | None

    def __init__(self, overrides: Mapping[str, Path], fetch: OciFetcher | None = None) -> None:
        self.overrides = overrides
        self.fetch = fetch

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
        return self._existing(base.parent / text, f"'{text}'", base)

    @staticmethod
    def _existing(path: Path, what: str, referrer: Path | None = None) -> Path:
        """`path`, or the manifest in the folder it names, when that is a regular file.

        Nothing else is read: a FIFO would block and a device or /dev/zero has no end. A name
        the system refuses (too long, a symlink loop) is a RefError that says so. A path that
        does not exist is named as findings name files (from the working directory, whatever
        spelling reached the file holding the ref); the suggestion, relative to the folder of
        `referrer` (the file holding a relative ref), is never `referrer` itself.
        """
        mode = _mode(path, what)
        if mode is None:
            hint = ""
            near = nearest_existing(path, referrer)
            if near is not None:
                shown = Path(os.path.relpath(near, referrer.parent)) if referrer else near
                hint = f"; did you mean '{shown.as_posix()}'?"
            missing = relative_posix(path)
            raise RefError(f"{what} points to a file that does not exist: {missing}{hint}")
        if stat.S_ISDIR(mode):
            for name in ("manifest.yaml", "manifest.yml"):
                if _mode(path / name, what) is not None:
                    return Resolver._existing(path / name, what)
            raise RefError(f"{what} is a directory with no manifest.yaml: {path}")
        kind = special_kind(mode)
        if kind is not None:
            raise RefError(f"{what} points to {kind}, not a regular file: {path}")
        return path


def _mode(path: Path, what: str) -> int | None:
    """The mode of what `path` names (symlinks followed), None when there is nothing there."""
    try:
        return os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError) as error:  # ValueError: a NUL in the name
        reason = error.strerror if isinstance(error, OSError) else None
        raise RefError(f"{what} cannot be opened: {reason or error}") from error


_MAX_ENTRIES = 2000  # a folder listed for a suggestion; larger ones are not searched


def nearest_existing(path: Path, avoid: Path | None = None) -> Path | None:
    """The existing manifest (or folder holding one) whose path is closest to `path`, going
    down from its deepest existing folder one close name at a time; None if none is close.
    What would lead to `avoid` (the file holding the ref) is never the answer."""
    from floe_lint.suggest import closest

    parts = path.parts
    depth = len(parts)
    while depth > 0 and not Path(*parts[:depth]).is_dir():
        depth -= 1
    if depth == 0:
        return None
    current = Path(*parts[:depth])
    for at, part in enumerate(parts[depth:], depth):
        if part in ("..", "."):
            return None
        try:
            with os.scandir(current) as entries:
                names = [e.name for _, e in zip(range(_MAX_ENTRIES), entries, strict=False)]
        except OSError:
            return None
        if avoid is not None and at == len(parts) - 1:  # (the last name: a file or folder)
            names = [n for n in names if not _leads_to(current / n, avoid)]
        match = closest(part, names)
        if match is None:
            return None
        current = current / match
    if current.is_file() or any((current / n).is_file() for n in ("manifest.yaml", "manifest.yml")):
        return current
    return None


def _leads_to(candidate: Path, avoid: Path) -> bool:
    """Whether a ref to `candidate` (a file, or a folder's manifest) resolves to `avoid`."""
    if candidate.name not in (avoid.name, avoid.parent.name) and not os.path.islink(candidate):
        return False  # (a name not theirs, and no link: neither)
    target = resolved(candidate)
    if target == resolved(avoid):
        return True
    if target != resolved(avoid.parent):
        return False
    for name in ("manifest.yaml", "manifest.yml"):  # the one a ref to the folder reads
        if (candidate / name).is_file():
            return name == avoid.name
    return False
