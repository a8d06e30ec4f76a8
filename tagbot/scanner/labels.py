"""An image's OCI labels for PR bodies: the config blob's `Labels`, under the manifest's and
the index's annotations (`org.opencontainers.image.source`, `.revision`, ...)."""

from __future__ import annotations

from typing import Any

from tagbot.imageref import valid_digest
from tagbot.models import ImageRef
from tagbot.scanner.auth import pull_scope
from tagbot.scanner.manifest import (
    CONFIG_LIMIT,
    _check_tag,
    _get_manifest,
    _parse,
    _pick_platform,
    _verify,
)
from tagbot.scanner.registry import Registry

MAX_LABELS = 200  # a hostile config may hold millions; a body needs a handful
MAX_VALUE = 2048


def get_labels(registry: Registry, image: ImageRef, tag: str) -> dict[str, str]:
    """The labels and annotations of `tag`'s image (linux/amd64 for a multi-arch tag), string
    values only; annotations win over config labels, as `docker buildx` writes both."""
    _check_tag(tag)
    found: dict[str, str] = {}
    manifest = _parse(_get_manifest(registry, image, tag), registry.name)
    if isinstance(manifest.get("manifests"), list):
        index_notes = _strings(manifest.get("annotations"))
        child = _pick_platform(manifest["manifests"])
        if child is None:
            return index_notes
        manifest = _parse(_get_manifest(registry, image, child), registry.name)
        found.update(index_notes)
    config = manifest.get("config")
    digest = config.get("digest") if isinstance(config, dict) else None
    if isinstance(digest, str) and valid_digest(digest):
        url = f"{registry.base}/v2/{image.repository}/blobs/{digest}"
        scope = pull_scope(image.repository)
        reply = registry.fetch("blob", url, scope=scope, limit=CONFIG_LIMIT, follow=True)
        if reply.status != 200:
            raise registry.error(reply, f"config blob of {image.repository}:{tag}")
        _verify(reply.body, digest, registry.name)
        inner = _parse(reply.body, registry.name).get("config")
        labels = _strings(inner.get("Labels") if isinstance(inner, dict) else None)
        found = {**labels, **found}
    return {**found, **_strings(manifest.get("annotations"))}


def _strings(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    pairs = [(k, v) for k, v in value.items() if isinstance(k, str) and isinstance(v, str)]
    return {k[:MAX_VALUE]: v[:MAX_VALUE] for k, v in pairs[:MAX_LABELS]}
