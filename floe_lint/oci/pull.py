"""Pulling Floe manifests from registries: `Fetcher` is the resolver's `fetch(ref) -> Path`.

oras-py does the registry protocol (sessions, bearer-token service, blob upload) through
`transport`; this module adds what a linter needs:

- every blob is verified against its digest; a mismatch is an `IntegrityError`
  (`ref-integrity`), never content that gets linted;
- a content-addressed `cache`; a host that failed is not asked again in the same run;
- `--offline`: only the cache and the lock file, a miss says which ref and how to fix it.

The package's other modules: `settings`, `credentials`, `transport` (deadlines, the only
importer of `oras`), `cache`, `artifact` (the media types), `push` (publishing through a
`Fetcher`) and `lockfile`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from floe_lint.model.refs import OciRef, RefError
from floe_lint.oci.cache import (
    UNKNOWN_AGE,
    Cache,
    IntegrityError,
    repository_of,
    sha256_digest,
)
from floe_lint.oci.settings import OFFLINE_ENV, Settings

# The transport and the artifact format are imported by the methods that reach a registry:
# most runs have no oci:// ref, and a pre-commit hook's start-up counts.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from floe_lint.oci.transport import Deadline, Transport


class Fetcher:
    """`fetch(ref) -> Path` for the resolver: a verified local copy of a published manifest.

    `locks` maps a ref (as written by `str(OciRef)`) to the manifest digest recorded in a
    floe.lock; a locked tag resolves to that digest without asking the registry. It may be a
    function, called on the first ref, so a run without `oci://` refs never looks for locks.
    """

    def __init__(
        self,
        settings: Settings,
        locks: Mapping[str, str] | Callable[[], Mapping[str, str]] | None = None,
        *,
        refresh_tags: bool = False,
        env: Mapping[str, str] | None = None,
    ):
        self.settings = settings
        self.cache = Cache(settings.cache_dir)
        self._locks = locks
        self.refresh_tags = refresh_tags
        self.env = os.environ if env is None else env
        self.resolved: dict[str, str] = {}
        self.network_requests = 0
        self._transports: dict[str, Transport] = {}
        self._down: dict[str, str] = {}
        self._deadline: Deadline | None = None
        self._current: dict[str, str | None] = {}

    @property
    def offline(self) -> bool:
        return self.settings.offline

    @property
    def locks(self) -> Mapping[str, str]:
        if callable(self._locks):
            self._locks = dict(self._locks())
        return self._locks or {}

    def __call__(self, ref: OciRef) -> Path:
        with self._budget(ref):
            digest = ref.digest or self.locks.get(str(ref))
            manifest: bytes | None = None
            if digest is None:
                digest, manifest = self._tag(ref)
            path = self._materialize(ref, digest, manifest)
        self.resolved[str(ref)] = digest
        return path

    def current_digest(self, ref: OciRef) -> str | None:
        """What a tag points to now (cached for tag-ttl); None when offline or unknowable."""
        if ref.tag is None or self.offline:
            return None
        if str(ref) not in self._current:
            try:
                with self._budget(ref):
                    self._current[str(ref)] = self._tag(ref)[0]
            except RefError:
                self._current[str(ref)] = None
        return self._current[str(ref)]

    @contextlib.contextmanager
    def _budget(self, ref: OciRef) -> Iterator[None]:
        from floe_lint.oci.transport import Deadline

        deadline = Deadline(self.settings.budget)
        for transport in self._transports.values():
            transport.deadline = deadline
        self._deadline = deadline
        yield

    def _transport(self, ref: OciRef) -> Transport:
        from floe_lint.oci.transport import Deadline, Transport, Unavailable

        netloc = self.settings.endpoint(ref.host)[1]
        if netloc in self._down:
            raise Unavailable(f"{self._down[netloc]}; not retried for '{ref}'")
        transport = self._transports.get(ref.host)
        if transport is None:
            transport = self._transports[ref.host] = Transport(self.settings, ref.host, self.env)
        if self._deadline is None:
            self._deadline = Deadline(self.settings.budget)
        transport.deadline = self._deadline
        return transport

    def _get(self, ref: OciRef, path: str, accept: str, what: str) -> tuple[bytes, Any]:
        from floe_lint.oci.artifact import MAX_LAYER_BYTES, MAX_MANIFEST_BYTES
        from floe_lint.oci.transport import Unavailable, registry_error

        transport = self._transport(ref)
        self.network_requests += 1
        try:
            response = transport.request(
                "GET", transport.url(path), headers={"Accept": accept}, stream=True
            )
        except Unavailable as error:
            self._down[transport.netloc] = str(error)
            raise
        if response.status_code != 200:
            refused = registry_error(response, ref, transport.where, what)
            response.close()
            raise refused
        limit = MAX_MANIFEST_BYTES if "manifest" in path else MAX_LAYER_BYTES
        try:
            return transport.read_body(response, limit, what), response.headers
        except Unavailable as error:
            self._down[transport.netloc] = str(error)
            raise

    def _offline_miss(self, ref: OciRef, what: str) -> RefError:
        return RefError(
            f"{what} is not in the cache ({self.settings.cache_dir}) and floe-lint is offline "
            f"(--offline or {OFFLINE_ENV}); run `floe-lint lock` or `floe-lint check` once "
            f"online to cache it, or pass --ref '{ref}=PATH'"
        )

    def _tag(self, ref: OciRef) -> tuple[str, bytes | None]:
        """(manifest digest, manifest bytes if just downloaded) for a tag ref."""
        from floe_lint.oci.artifact import DOCKER_MANIFEST, OCI_MANIFEST
        from floe_lint.oci.transport import Unavailable

        cached = self.cache.tag(ref)
        if cached is not None and (
            self.offline or (not self.refresh_tags and cached[1] < self.settings.tag_ttl)
        ):
            return cached[0], None
        if self.offline:
            raise self._offline_miss(ref, f"the digest of tag '{ref}'")
        tag = ref.tag or "latest"
        try:
            body, headers = self._get(
                ref,
                f"/v2/{ref.repository}/manifests/{tag}",
                f"{OCI_MANIFEST}, {DOCKER_MANIFEST}",
                f"'{ref}'",
            )
        except Unavailable as error:
            if cached is None:
                raise
            when = f"{cached[1] / 60:.0f} min ago" if cached[1] < UNKNOWN_AGE else "an unknown date"
            raise Unavailable(
                f"{error}; the cache knows this tag from {when}: --offline lints with that"
            ) from error
        digest = sha256_digest(body)
        claimed = headers.get("Docker-Content-Digest")
        if claimed and claimed != digest:
            raise IntegrityError(
                f"the registry says tag '{ref}' is {claimed}, but the manifest it sent hashes "
                f"to {digest}"
            )
        self.cache.write(digest, ".json", body, repository_of(ref))
        self.cache.set_tag(ref, digest)
        return digest, body

    def _cached(self, ref: OciRef, digest: str, suffix: str) -> bytes | None:
        """A verified cached blob known in the ref's repository; a corrupted one is dropped
        when online (to download again)."""
        try:
            return self.cache.read(digest, suffix, repository_of(ref))
        except IntegrityError:
            if self.offline:
                raise
            self.cache.drop(digest, suffix)
            return None

    def _materialize(self, ref: OciRef, digest: str, manifest: bytes | None) -> Path:
        from floe_lint.oci.artifact import MEDIA_TYPE, OCI_MANIFEST, floe_layer

        if manifest is None:
            manifest = self._cached(ref, digest, ".json")
        if manifest is None:
            if self.offline:
                raise self._offline_miss(ref, f"'{ref}' ({digest})")
            manifest, _ = self._get(
                ref, f"/v2/{ref.repository}/manifests/{digest}", OCI_MANIFEST, f"'{ref}'"
            )
            if sha256_digest(manifest) != digest:
                raise IntegrityError(
                    f"the manifest of '{ref}' hashes to {sha256_digest(manifest)}, not {digest}"
                )
            self.cache.write(digest, ".json", manifest, repository_of(ref))
        layer = floe_layer(manifest, ref)
        layer_digest = layer["digest"]
        path = self.cache.blob_path(layer_digest, ".manifest.yaml")
        if self._cached(ref, layer_digest, ".manifest.yaml") is not None:
            return path
        if self.offline:
            raise self._offline_miss(ref, f"the manifest layer of '{ref}' ({layer_digest})")
        body, _ = self._get(
            ref,
            f"/v2/{ref.repository}/blobs/{layer_digest}",
            MEDIA_TYPE,
            f"the manifest layer of '{ref}'",
        )
        actual = sha256_digest(body)
        if actual != layer_digest or len(body) != layer["size"]:
            raise IntegrityError(
                f"the manifest layer of '{ref}' does not match its digest: expected "
                f"{layer_digest} ({layer['size']} bytes), got {actual} ({len(body)} bytes); "
                "the registry content was tampered with or corrupted"
            )
        return self.cache.write(layer_digest, ".manifest.yaml", body, repository_of(ref))
