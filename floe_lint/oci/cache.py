"""The content-addressed cache: a digest never touches the network twice, tag -> digest
lookups are reused for `tag-ttl` seconds, and every write is atomic (temp file + rename).

hashlib and tempfile are imported where used: they cost start-up that `check` rarely needs."""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from pathlib import Path

from floe_lint.model.refs import OciRef, RefError

DIGEST = re.compile(r"^sha256:[a-f0-9]{64}$")


class IntegrityError(RefError):
    """Content whose digest is not the one it was asked for: tampered or corrupted."""

    rule = "ref-integrity"


def sha256_digest(data: bytes) -> str:
    import hashlib

    return "sha256:" + hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder and rename: readers never see half a file."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


class Cache:
    """Content-addressed files in one flat folder.

    `sha256-<hex>.json` an OCI manifest, `sha256-<hex>.manifest.yaml` a Floe manifest layer,
    `tag-<hash of ref>.json` a tag -> digest lookup with the time it was made.
    """

    def __init__(self, root: Path):
        self.root = root

    def blob_path(self, digest: str, suffix: str) -> Path:
        return self.root / f"{digest.replace(':', '-')}{suffix}"

    def read(self, digest: str, suffix: str) -> bytes | None:
        """A cached blob, or None; raises IntegrityError if its bytes no longer match."""
        try:
            data = self.blob_path(digest, suffix).read_bytes()
        except OSError:
            return None
        if sha256_digest(data) != digest:
            raise IntegrityError(
                f"the cached copy of {digest} is corrupted ({self.blob_path(digest, suffix)}); "
                "delete it to download it again"
            )
        return data

    def write(self, digest: str, suffix: str, data: bytes) -> Path:
        path = self.blob_path(digest, suffix)
        atomic_write(path, data)
        return path

    def drop(self, digest: str, suffix: str) -> None:
        with contextlib.suppress(OSError):
            self.blob_path(digest, suffix).unlink()

    def _tag_path(self, ref: OciRef) -> Path:
        import hashlib

        key = hashlib.sha256(f"{ref.host}/{ref.repository}:{ref.tag}".encode()).hexdigest()
        return self.root / f"tag-{key[:40]}.json"

    def tag(self, ref: OciRef) -> tuple[str, float] | None:
        """(digest, seconds since it was looked up) for a tag ref, if cached."""
        try:
            data = json.loads(self._tag_path(ref).read_text("utf-8"))
            digest, checked = data["digest"], float(data["checked"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not isinstance(digest, str) or not DIGEST.match(digest):
            return None
        return digest, max(0.0, time.time() - checked)

    def set_tag(self, ref: OciRef, digest: str) -> None:
        entry = {"ref": str(ref), "digest": digest, "checked": time.time()}
        atomic_write(self._tag_path(ref), (json.dumps(entry, sort_keys=True) + "\n").encode())
