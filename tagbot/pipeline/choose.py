"""Choosing: list each image once, ask its policy, and turn choices into Updates, fetching
digests and build times only when needed."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from tagbot import policy
from tagbot.errors import RegistryError
from tagbot.models import (
    ImageRef,
    Occurrence,
    PolicySpec,
    Problem,
    Rejection,
    Selection,
    Tag,
    TagList,
    TagTime,
    Update,
)
from tagbot.pipeline import cooldown
from tagbot.policy import Policy

log = logging.getLogger("tagbot.pipeline")
DECIDE_WORKERS = 8
SpecFor = Callable[[Occurrence], PolicySpec | None]
Groups = dict[str, tuple[PolicySpec, list[Occurrence]]]


# The policy seam as the pipeline uses it: the policy part's own protocol, not a copy.
Chooser = Policy


class DigestSource(Protocol):
    """The scanner seam as the pipeline uses it: digests, push and build times on demand."""

    def get_digest(self, image: ImageRef, tag: str) -> str: ...

    def get_created(self, image: ImageRef, tag: str) -> datetime | None: ...

    def get_pushed(self, image: ImageRef, tag: str) -> TagTime | None: ...


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
    rejected: dict[str, tuple[Rejection, ...]] | None = None,
) -> list[Update]:
    """One Update per occurrence whose tag or digest should move; each distinct current
    version is decided once, and each new digest is fetched once. `rejected` collects, per
    image that moves (familiar name), the tags its policy turned down (for PR bodies)."""
    decided: dict[tuple[str | None, str | None], tuple[Selection, Sequence[Tag]]] = {}
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
            # Rejection records only for the PR body of an image that moves (below).
            quiet = chooser.select(image.tag, tags, current_digest=image.digest, explain=False)
            decided[key] = (quiet, tags)
        selection, tags = decided[key]
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
        if rejected is not None and image.familiar not in rejected:
            explained = chooser.select(image.tag, tags, current_digest=image.digest)
            rejected[image.familiar] = explained.rejected
    return updates


class Lister(DigestSource, Protocol):
    """The scanner seam as choosing uses it: every image's tags, listed once."""

    def list_many(self, images: Sequence[ImageRef]) -> dict[str, TagList | RegistryError]: ...


def in_shard(name: str, shard: tuple[int, int] | None) -> bool:
    """True when an image belongs to shard `index/count` (stable crc32 of its name)."""
    if shard is None:
        return True
    index, count = shard
    return zlib.crc32(name.encode()) % count == index


def group_by_image(
    occurrences: Sequence[Occurrence],
    spec_for: SpecFor,
    shard: tuple[int, int] | None = None,
    images: frozenset[str] | None = None,
) -> Groups:
    """Rewritable occurrences that a policy governs, by normalised image name; only the images
    of the shard, and only those named in `images` when it is given."""
    groups: Groups = {}
    for occ in occurrences:
        spec = governing(occ, spec_for, shard, images)
        if spec is not None and occ.image is not None:
            groups.setdefault(occ.image.name, (spec, []))[1].append(occ)
    return groups


def governing(
    occ: Occurrence,
    spec_for: SpecFor,
    shard: tuple[int, int] | None = None,
    images: frozenset[str] | None = None,
) -> PolicySpec | None:
    """The policy of a rewritable reference whose image is of the shard (and named in `images`
    when given); None for a reference that no update is planned for."""
    if not occ.rewritable or occ.image is None or not in_shard(occ.image.name, shard):
        return None
    if images is not None and occ.image.name not in images:
        return None
    return spec_for(occ)


def choose(
    groups: Groups,
    scanner: Lister,
    rejected: dict[str, tuple[Rejection, ...]] | None = None,
) -> tuple[list[Update], list[Problem]]:
    """List each image's tags once, ask its policy, and turn choices into Updates; whatever
    goes wrong for one image (any exception) is that image's problem, the others go on.
    `rejected` collects the tags turned down for each image that moves."""
    listed = scanner.list_many([occs[0].image for _, occs in groups.values() if occs[0].image])
    names = sorted(groups)

    def one(name: str) -> tuple[list[Update], list[Problem]]:
        return _choose_image(name, *groups[name], listed.get(name), scanner, rejected)

    # Threads: a policy's choice is CPU, but the digests and build times it asks for are
    # round trips, and one image's wait is another's turn (490 digests one after another were
    # a tenth of a 10x plan). Results are taken in name order, whatever finishes first.
    workers = min(DECIDE_WORKERS, len(names))
    if workers <= 1:
        results = [one(name) for name in names]
    else:
        with ThreadPoolExecutor(workers, thread_name_prefix="tagbot-choose") as pool:
            results = list(pool.map(one, names))
    updates = [u for found, _ in results for u in found]
    problems = [p for _, trouble in results for p in trouble]
    return updates, problems


def _choose_image(
    name: str,
    spec: PolicySpec,
    occs: list[Occurrence],
    tags: TagList | RegistryError | None,
    scanner: Lister,
    rejected: dict[str, tuple[Rejection, ...]] | None,
) -> tuple[list[Update], list[Problem]]:
    """One image's updates and problems; never raises."""
    if isinstance(tags, RegistryError) or tags is None:
        error = str(tags) if tags is not None else "not listed"
        transient = bool(getattr(tags, "transient", False))
        return [], [Problem(name, error, transient)]
    try:
        chooser = cooldown.wrap(policy.build(spec), spec.min_age, occs[0].image, scanner)
        updates = decide_image(spec, chooser, occs, tags, scanner, rejected)
        return updates, cooldown.problems(name, chooser)
    except RegistryError as exc:
        return [], [Problem(name, str(exc), exc.transient)]
    except Exception as exc:  # a bug or hostile data for one image must not end the run
        log.exception("image failed", extra={"image": name})
        return [], [Problem(name, f"unexpected error: {type(exc).__name__}: {exc}")]
