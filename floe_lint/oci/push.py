"""Publishing: upload a manifest YAML as a Floe artifact, verified against the digest the
registry reports."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from floe_lint.model.refs import OciRef, RefError
from floe_lint.oci.artifact import (
    EMPTY_CONFIG,
    EMPTY_CONFIG_TYPE,
    MEDIA_TYPE,
    OCI_MANIFEST,
    TITLE,
    descriptor_of,
)
from floe_lint.oci.cache import IntegrityError, repository_of, sha256_digest
from floe_lint.oci.transport import Unavailable, oras_container, registry_error

if TYPE_CHECKING:
    from floe_lint.oci.pull import Fetcher


@dataclass
class Published:
    ref: OciRef
    digest: str
    size: int


def push(
    fetcher: Fetcher, ref: OciRef, content: bytes, annotations: Mapping[str, str]
) -> Published:
    """Upload a manifest YAML as a Floe artifact at `ref` (a tag or a digest)."""
    if fetcher.offline:
        raise RefError("cannot publish while offline (--offline or FLOE_LINT_OFFLINE)")
    with fetcher._budget(ref):
        transport = fetcher._transport(ref)
        registry = transport.registry
        container = oras_container(transport, ref)
        layer = descriptor_of(MEDIA_TYPE, content, {TITLE: "manifest.yaml"})
        config = descriptor_of(EMPTY_CONFIG_TYPE, EMPTY_CONFIG)
        manifest: dict[str, Any] = {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "artifactType": MEDIA_TYPE,
            "config": config,
            "layers": [layer],
        }
        if annotations:
            manifest["annotations"] = dict(sorted(annotations.items()))
        body = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
        digest = sha256_digest(body)
        if ref.digest and ref.digest != digest:
            raise RefError(f"the manifest would be {digest}, not the {ref.digest} asked for")
        import tempfile

        try:
            with tempfile.TemporaryDirectory() as folder:
                for descriptor, data in ((layer, content), (config, EMPTY_CONFIG)):
                    blob = Path(folder) / descriptor["digest"].replace(":", "-")
                    blob.write_bytes(data)
                    response = registry.upload_blob(str(blob), container, descriptor)
                    if response.status_code not in (200, 201, 202):
                        raise registry_error(response, ref, transport.where, "the upload")
            response = transport.request(
                "PUT",
                transport.url(f"/v2/{ref.repository}/manifests/{ref.tag or digest}"),
                data=body,
                headers={"Content-Type": OCI_MANIFEST},
            )
        except Unavailable as error:
            fetcher._down[transport.netloc] = str(error)
            raise
        if response.status_code not in (200, 201):
            raise registry_error(response, ref, transport.where, f"pushing '{ref}'")
        claimed = response.headers.get("Docker-Content-Digest")
        if claimed and claimed != digest:
            raise IntegrityError(f"the registry stored {claimed}, but we sent {digest}")
    fetcher.cache.write(layer["digest"], ".manifest.yaml", content, repository_of(ref))
    fetcher.cache.write(digest, ".json", body, repository_of(ref))
    if ref.tag:
        fetcher.cache.set_tag(ref, digest)
    return Published(ref, digest, len(body))
