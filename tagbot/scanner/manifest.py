"""Manifests: a tag's digest by HEAD with every modern media type, and its image's build time."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from tagbot.errors import RegistryError
from tagbot.imageref import valid_tag
from tagbot.models import ImageRef
from tagbot.scanner import digests
from tagbot.scanner.auth import pull_scope
from tagbot.scanner.registry import Registry

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
# Without these, distribution converts Docker v2 manifests to schema1 (another digest) and
# answers 404 for OCI ones (notes/registry.md). Indexes first: a multi-arch tag's digest is its
# index's digest, which is what `docker pull` resolves.
ACCEPT = ", ".join((OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST))
MANIFEST_LIMIT = 4 * 1024 * 1024  # distribution's own manifest size limit
CONFIG_LIMIT = 8 * 1024 * 1024


def get_digest(registry: Registry, image: ImageRef, tag: str) -> str:
    """The digest the registry serves for `tag` (an index's digest for a multi-arch tag)."""
    _check_tag(tag)
    url = f"{registry.base}/v2/{image.repository}/manifests/{tag}"
    scope = pull_scope(image.repository)
    reply = registry.fetch("manifest", url, scope=scope, method="HEAD", accept=ACCEPT)
    if reply.status != 200:
        raise registry.error(reply, f"tag {tag!r} of {image.repository!r}")
    header = reply.headers.get("docker-content-digest", "").strip()
    if header:
        return digests.checked(header, registry.name, f"tag {tag!r} of {image.repository!r}")
    # Some registries omit the header on HEAD: fetch the bytes and hash them ourselves.
    body = _get_manifest(registry, image, tag)
    return "sha256:" + hashlib.sha256(body).hexdigest()


CREATED = "org.opencontainers.image.created"


def get_created(registry: Registry, image: ImageRef, tag: str) -> datetime | None:
    """The image's `created` time from its config blob, else from the manifest's (or index's)
    `org.opencontainers.image.created` annotation; None when the image does not say."""
    _check_tag(tag)
    manifest = _parse(_get_manifest(registry, image, tag), registry.name)
    annotated = [manifest]
    if isinstance(manifest.get("manifests"), list):
        child = _pick_platform(manifest["manifests"])
        if child is None:
            return _annotated_created(annotated)
        manifest = _parse(_get_manifest(registry, image, child), registry.name)
        annotated.insert(0, manifest)
    config = manifest.get("config")
    digest = config.get("digest") if isinstance(config, dict) else None
    if not isinstance(digest, str) or not digests.valid(digest):
        return _annotated_created(annotated)
    url = f"{registry.base}/v2/{image.repository}/blobs/{digest}"
    scope = pull_scope(image.repository)
    reply = registry.fetch("blob", url, scope=scope, limit=CONFIG_LIMIT, follow=True)
    if reply.status != 200:
        raise registry.error(reply, f"config blob of {image.repository}:{tag}")
    _verify(reply.body, digest, registry.name)
    created = _parse(reply.body, registry.name).get("created")
    when = parse_time(created) if isinstance(created, str) else None
    return when or _annotated_created(annotated)


def _annotated_created(manifests: list[dict[str, Any]]) -> datetime | None:
    """The first `org.opencontainers.image.created` annotation of `manifests` that parses."""
    for manifest in manifests:
        annotations = manifest.get("annotations")
        value = annotations.get(CREATED) if isinstance(annotations, dict) else None
        when = parse_time(value) if isinstance(value, str) else None
        if when is not None:
            return when
    return None


def parse_time(text: str) -> datetime | None:
    """An RFC 3339 time (nanoseconds allowed) as an aware datetime; None when unparseable."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _get_manifest(registry: Registry, image: ImageRef, reference: str) -> bytes:
    """GET a manifest by tag or digest; by digest, its bytes are checked against the digest."""
    url = f"{registry.base}/v2/{image.repository}/manifests/{reference}"
    scope = pull_scope(image.repository)
    reply = registry.fetch("manifest", url, scope=scope, accept=ACCEPT, limit=MANIFEST_LIMIT)
    if reply.status != 200:
        raise registry.error(reply, f"manifest {reference!r} of {image.repository!r}")
    if ":" in reference:
        _verify(reply.body, reference, registry.name)
    return reply.body


def _pick_platform(entries: list[Any]) -> str | None:
    """The linux/amd64 entry of an index, else the first real platform (not an attestation)."""
    candidates: list[str] = []
    for entry in entries:
        if not isinstance(entry, dict) or not digests.valid(str(entry.get("digest", ""))):
            continue
        platform = entry.get("platform")
        if not isinstance(platform, dict):
            platform = {}
        if (platform.get("os"), platform.get("architecture")) == ("linux", "amd64"):
            return str(entry["digest"])
        if platform.get("os") != "unknown":  # buildkit attestations say unknown/unknown
            candidates.append(str(entry["digest"]))
    return candidates[0] if candidates else None


def _verify(body: bytes, digest: str, registry: str) -> None:
    """Content addressing: the bytes must hash to the digest they were fetched by."""
    algorithm, _, expected = digest.partition(":")
    if algorithm not in digests.HEX_LENGTHS:
        return
    if hashlib.new(algorithm, body).hexdigest() != expected:
        raise RegistryError(f"{registry}: content does not match digest {digest}")


def _parse(body: bytes, registry: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested a thousand deep (issue 18)
        data = None
    if not isinstance(data, dict):
        # Malformed is transient, like a malformed tag list: a proxy may have mangled it.
        raise RegistryError(f"{registry}: manifest or config is not a JSON object", transient=True)
    return data


def _check_tag(tag: str) -> None:
    if not valid_tag(tag):
        raise RegistryError(f"invalid tag {tag[:40]!r}")
