"""The content-addressed cache: a digest never touches the network twice, tag -> digest
lookups are reused for `tag-ttl` seconds, and every write is atomic (temp file + rename).

hashlib and tempfile are imported where used: they cost start-up that `check` rarely needs."""

from __future__ import annotations

import contextlib
import json
import re
import time
from pathlib import Path

from floe_lint.load.reading import json_value, read_regular
from floe_lint.model.refs import OciRef, RefError

DIGEST = re.compile(r"^sha256:[a-f0-9]{64}$")
MAX_BLOB = 16 * 1024 * 1024  # the largest manifest layer a registry may send (pull.py)
#: seconds a tag lookup may be dated ahead of this machine's clock (another machine's, sharing
#: the cache) and still count as just made
FUTURE_SKEW = 60.0
UNKNOWN_AGE = float("inf")  # the age `Cache.tag` gives a lookup of no believable date


class IntegrityError(RefError):
    """Content whose digest is not the one it was asked for: tampered or corrupted."""

    rule = "ref-integrity"


def sha256_digest(data: bytes) -> str:
    import hashlib

    return "sha256:" + hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder and rename: readers never see half a file."""
    from floe_lint.safe_write import write_file

    write_file(path, data, root=path.parent)


class Cache:
    """Content-addressed files in one flat folder.

    `sha256-<hex>.json` an OCI manifest, `sha256-<hex>.manifest.yaml` a Floe manifest layer,
    `sha256-<hex><suffix>.repositories` the repositories (`host/name`, one a line) the blob was
    pulled from or pushed to, `tag-<hash of ref>.json` a tag -> digest lookup with the time it
    was made. A blob answers a ref only for a repository it is recorded for: a registry serves
    a digest only in the repositories that hold it, and the verdict on `oci://host/x@<digest>`
    must not depend on what else this machine once pulled.
    """

    def __init__(self, root: Path):
        self.root = root

    def blob_path(self, digest: str, suffix: str) -> Path:
        return self.root / f"{digest.replace(':', '-')}{suffix}"

    def read(self, digest: str, suffix: str, repository: str) -> bytes | None:
        """A cached blob known in `repository`, or None; IntegrityError if its bytes changed."""
        if repository not in self.repositories(digest, suffix):
            return None
        try:
            data = read_regular(self.blob_path(digest, suffix), MAX_BLOB, follow_symlinks=False)
        except OSError:
            return None
        if sha256_digest(data) != digest:
            raise IntegrityError(
                f"the cached copy of {digest} is corrupted ({self.blob_path(digest, suffix)}); "
                "delete it to download it again"
            )
        return data

    def write(self, digest: str, suffix: str, data: bytes, repository: str) -> Path:
        """Store a blob (verified by the caller) as found in `repository`."""
        path = self.blob_path(digest, suffix)
        atomic_write(path, data)
        known = self.repositories(digest, suffix)
        if repository not in known:
            lines = "".join(f"{name}\n" for name in sorted({*known, repository}))
            atomic_write(self._repositories_path(digest, suffix), lines.encode("utf-8"))
        return path

    def repositories(self, digest: str, suffix: str) -> set[str]:
        """The repositories a blob was pulled from or pushed to (none for an unknown blob)."""
        try:
            data = read_regular(self._repositories_path(digest, suffix), 1024 * 1024)
        except OSError:
            return set()
        return set(data.decode("utf-8", errors="replace").split())

    def _repositories_path(self, digest: str, suffix: str) -> Path:
        return self.root / f"{digest.replace(':', '-')}{suffix}.repositories"

    def drop(self, digest: str, suffix: str) -> None:
        with contextlib.suppress(OSError):
            self.blob_path(digest, suffix).unlink()

    def _tag_path(self, ref: OciRef) -> Path:
        import hashlib

        key = hashlib.sha256(f"{ref.host}/{ref.repository}:{ref.tag}".encode()).hexdigest()
        return self.root / f"tag-{key[:40]}.json"

    def tag(self, ref: OciRef) -> tuple[str, float] | None:
        """(digest, seconds since it was looked up) for a tag ref, if cached. A lookup dated
        more than `FUTURE_SKEW` ahead of the clock, or not at all (NaN, infinity), is of
        unknown age: infinitely old, so a run online asks the registry again. Read as age 0,
        it pinned a mutable tag's digest forever (a clock set back, a hostile cache entry)."""
        try:
            data = json_value(read_regular(self._tag_path(ref), 64 * 1024))
            digest, checked = data["digest"], float(data["checked"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not isinstance(digest, str) or not DIGEST.match(digest):
            return None
        age = time.time() - checked
        if not -FUTURE_SKEW <= age < UNKNOWN_AGE:  # (False for NaN too)
            return digest, UNKNOWN_AGE
        return digest, max(0.0, age)

    def set_tag(self, ref: OciRef, digest: str) -> None:
        entry = {"ref": str(ref), "digest": digest, "checked": time.time()}
        atomic_write(self._tag_path(ref), (json.dumps(entry, sort_keys=True) + "\n").encode())


def repository_of(ref: OciRef) -> str:
    """How the cache names the repository of a ref: `host[:port]/name`."""
    return f"{ref.host}/{ref.repository}"
