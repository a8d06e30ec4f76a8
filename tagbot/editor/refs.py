"""Turn scalar values into a normalised ImageRef plus the reason tagbot would not rewrite it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tagbot import imageref
from tagbot.errors import InvalidReference
from tagbot.models import Field, ImageRef, Kind, Occurrence

# `{{ .Values.x }}`, `${VAR}`, `$(cmd)`, `$CI_VAR`, `<<VAR>>`: values filled in by another tool.
_TEMPLATE = re.compile(r"\{\{|\$\{|\$\(|\$[A-Za-z_]|<<[A-Za-z_]")
EMPTY_TAG = "empty tag: chart appVersion"
NO_TAG = "no tag"
DIGEST_ONLY = "digest only"
TEMPLATED = "templated value"


@dataclass(frozen=True)
class Resolved:
    """What a reference deploys (None when unknown) and why tagbot leaves it alone (or None)."""

    image: ImageRef | None
    skip: str | None = None


def templated(value: str) -> bool:
    """True when the value holds a template or variable another tool fills in."""
    return _TEMPLATE.search(value) is not None


def plausible(value: str) -> bool:
    """True when a string under a loosely named key is worth listing as a reference.

    It must parse and carry a tag or digest, or name a registry host (`quay.io/x`): a bare
    `foo` under some `image:` key may be anything (a Ceph RBD image, a VM image).
    """
    ref = imageref.try_parse(value)
    if ref is None:
        return False
    if ref.tag or ref.digest:
        return True
    return imageref.split_domain(ref.spelling or "")[0] is not None


def imageish(key: object) -> bool:
    """True for keys that may hold an image string: `image`, `natsImage`, `inline_image`.

    Not `imageRegistry`: bitnami's `global.imageRegistry: reg.example.com:5000` parses as
    image `reg.example.com` at tag `5000`.
    """
    if not isinstance(key, str):
        return False
    lowered = key.lower()
    return "image" in lowered and not lowered.endswith("registry")


def whole_ref(value: str) -> bool:
    """True when the value parses as a reference with a tag or a digest."""
    ref = imageref.try_parse(value)
    return ref is not None and bool(ref.tag or ref.digest)


def in_container(path: tuple[str | int, ...]) -> bool:
    """True for `...containers[i].image` (containers, initContainers, extraContainers, ...)."""
    if len(path) < 3 or path[-1] != "image" or not isinstance(path[-2], int):
        return False
    holder = path[-3]
    return isinstance(holder, str) and holder.lower().endswith("containers")


def from_string(value: str) -> Resolved:
    """Resolve a whole reference written as one string (`ghcr.io/acme/api:1.2@sha256:...`)."""
    if templated(value):
        return Resolved(None, TEMPLATED)
    if not value.strip():
        return Resolved(None, "empty value")
    try:
        ref = imageref.parse(value)
    except InvalidReference as exc:
        return Resolved(None, f"invalid reference: {exc}")
    if ref.tag is None:
        return Resolved(ref, DIGEST_ONLY if ref.digest else NO_TAG)
    return Resolved(ref)


def from_parts(
    registry: str | None, repository: str | None, tag: str | None, digest: str | None
) -> Resolved:
    """Resolve a reference split over several values (Helm `registry`/`repository`/`tag`).

    None means the key is absent. A tag may carry its digest (`1.2@sha256:...`). With no
    registry the image is on Docker Hub, as Helm charts default it.
    """
    if any(templated(v) for v in (registry, repository, tag, digest) if v):
        return Resolved(None, TEMPLATED)
    if repository is None:
        return Resolved(None, "no repository: set elsewhere")
    if not repository:
        return Resolved(None, "empty repository: chart default")
    try:
        ref = imageref.parse_name(f"{registry}/{repository}" if registry else repository)
    except InvalidReference as exc:
        return Resolved(None, f"invalid reference: {exc}")
    if tag and "@" in tag:
        tag, _, digest = tag.partition("@")
    if tag and not imageref.valid_tag(tag):
        return Resolved(None, f"invalid tag {tag!r}")
    if digest and not imageref.valid_digest(digest):
        return Resolved(None, f"invalid digest {digest!r}")
    ref = ref.with_version(tag or None, digest or None)
    if tag is None:
        return Resolved(ref, DIGEST_ONLY if digest else NO_TAG)
    if not tag:
        return Resolved(ref, DIGEST_ONLY if digest else EMPTY_TAG)
    return Resolved(ref)


def occurrence(
    path: str, kind: Kind, locator: str, fields: Iterable[Field], resolved: Resolved
) -> Occurrence:
    """An Occurrence with its fields in file order; its line is the first field's line."""
    ordered = tuple(sorted(fields, key=lambda f: f.start))
    return Occurrence(path, kind, locator, ordered[0].line, resolved.image, ordered, resolved.skip)
