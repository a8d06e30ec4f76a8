"""Turn one image's policy choice into Updates, fetching digests and build times only when needed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from tagbot.models import ImageRef, Occurrence, PolicySpec, Selection, Tag, TagList, Update


class Chooser(Protocol):
    """The policy seam as the pipeline uses it."""

    @property
    def needs(self) -> str: ...

    def select(
        self, current: str | None, tags: Sequence[Tag], current_digest: str | None = None
    ) -> Selection: ...


class DigestSource(Protocol):
    """The scanner seam as the pipeline uses it: digests and build times on demand."""

    def get_digest(self, image: ImageRef, tag: str) -> str: ...

    def get_created(self, image: ImageRef, tag: str) -> datetime | None: ...


def with_created(
    chooser: Chooser, image: ImageRef, tags: Sequence[Tag], source: DigestSource
) -> tuple[Tag, ...]:
    """Tags with their `created` time filled in: one config-blob request per tag, and only
    for the tags the policy says are worth it (`wants_created`) when it says so."""
    wants = getattr(chooser, "wants_created", None)
    names = set(wants(image.tag, tags)) if callable(wants) else {t.name for t in tags}
    result = []
    for tag in tags:
        created = tag.created
        if created is None and tag.name in names:
            created = source.get_created(image, tag.name)
        result.append(replace(tag, created=created) if created is not None else tag)
    return tuple(result)


def with_current_digest(
    image: ImageRef, tags: Sequence[Tag], current: str | None, source: DigestSource
) -> tuple[Tag, ...]:
    """Tags with the registry's digest of the current tag filled in (one HEAD request)."""
    if current is None:
        return tuple(tags)
    digest = source.get_digest(image, current)
    return tuple(replace(t, digest=digest) if t.name == current else t for t in tags)


def decide_image(
    spec: PolicySpec,
    chooser: Chooser,
    occurrences: Sequence[Occurrence],
    listing: TagList,
    source: DigestSource,
) -> list[Update]:
    """One Update per occurrence whose tag or digest should move; each distinct current
    version is decided once, and each new digest is fetched once."""
    decided: dict[tuple[str | None, str | None], Selection] = {}
    digests: dict[str, str] = {}
    updates: list[Update] = []
    for occ in occurrences:
        image = occ.image
        if image is None:
            continue
        key = (image.tag, image.digest)
        if key not in decided:
            tags: Sequence[Tag] = listing.tags
            if chooser.needs == "created":
                tags = with_created(chooser, image, tags, source)
            if chooser.needs == "digest":
                tags = with_current_digest(image, tags, image.tag, source)
            decided[key] = chooser.select(image.tag, tags, current_digest=image.digest)
        selection = decided[key]
        new_tag = selection.selected or image.tag
        if new_tag is None:
            continue
        new_digest = selection.digest
        if new_digest is None and new_tag != image.tag and (image.digest or spec.pin_digest):
            if new_tag not in digests:
                digests[new_tag] = source.get_digest(image, new_tag)
            new_digest = digests[new_tag]
        if new_tag == image.tag and new_digest in (None, image.digest):
            continue
        updates.append(Update(occ, new_tag, new_digest, selection.reason))
    return updates
