"""The shape of a Floe OCI artifact: an OCI image manifest whose one layer of media type
`MEDIA_TYPE` holds the manifest YAML."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from floe_lint.load.reading import json_value
from floe_lint.model.refs import OciRef, RefError
from floe_lint.oci.cache import DIGEST, sha256_digest

MEDIA_TYPE = "application/vnd.floe.manifest.v1+yaml"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
EMPTY_CONFIG_TYPE = "application/vnd.oci.empty.v1+json"
EMPTY_CONFIG = b"{}"
TITLE = "org.opencontainers.image.title"
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_LAYER_BYTES = 16 * 1024 * 1024


def descriptor_of(
    media_type: str, data: bytes, annotations: Mapping[str, str] | None = None
) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "mediaType": media_type,
        "digest": sha256_digest(data),
        "size": len(data),
    }
    if annotations:
        descriptor["annotations"] = dict(annotations)
    return descriptor


def floe_layer(manifest: bytes, ref: OciRef) -> dict[str, Any]:
    """The one layer of media type MEDIA_TYPE, chosen by type and never by position."""
    try:
        data = json_value(manifest)
    except ValueError as error:
        raise RefError(f"'{ref}' is not an OCI artifact (its manifest is not JSON)") from error
    media_type = data.get("mediaType") if isinstance(data, dict) else None
    layers = data.get("layers") if isinstance(data, dict) else None
    if media_type not in (OCI_MANIFEST, DOCKER_MANIFEST, None) or not isinstance(layers, list):
        raise RefError(
            f"'{ref}' is not a floe manifest: it is a {media_type or 'document'} without layers"
        )
    ours = [
        layer
        for layer in layers
        if isinstance(layer, dict) and layer.get("mediaType") == MEDIA_TYPE
    ]
    if not ours:
        found = sorted({str(layer.get("mediaType")) for layer in layers if isinstance(layer, dict)})
        raise RefError(
            f"'{ref}' is not a floe manifest: it has no layer of media type {MEDIA_TYPE} "
            f"(found: {', '.join(found) or 'no layers'}); publish it with `floe-lint publish`"
        )
    if len(ours) > 1:
        raise RefError(f"'{ref}' has {len(ours)} layers of media type {MEDIA_TYPE}; expected one")
    layer = ours[0]
    digest, size = layer.get("digest"), layer.get("size")
    if not isinstance(digest, str) or not DIGEST.match(digest):
        raise RefError(f"'{ref}' has a manifest layer with an unsupported digest {digest!r}")
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_LAYER_BYTES:
        raise RefError(f"'{ref}' has a manifest layer with an invalid size {size!r}")
    return layer
