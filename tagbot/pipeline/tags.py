"""`tags`: one image's tag list and, with a policy, its pick and every rejection explained."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from tagbot import policy
from tagbot.models import ImageRef, PolicySpec, RegistryOptions, Selection, TagList
from tagbot.pipeline import cooldown
from tagbot.pipeline.choose import with_created, with_current_digest
from tagbot.policy.explain import newest_first


def list_tags(image: ImageRef, registries: Sequence[RegistryOptions] = ()) -> TagList:
    """The image's tags; credentials from `registries`, the docker config, or CI."""
    from tagbot.scanner import Scanner  # httpx costs ~100 ms: only the commands that list pay

    with Scanner(registries) as scanner:
        return in_version_order(scanner.list_tags(image))


def in_version_order(listing: TagList) -> TagList:
    """The listing with its tags newest first, as people read a tag list."""
    by_name = {t.name: t for t in listing.tags}
    return replace(listing, tags=tuple(by_name[n] for n in newest_first(by_name)))


def explain_tags(
    image: ImageRef, spec: PolicySpec, registries: Sequence[RegistryOptions] = ()
) -> tuple[TagList, Selection]:
    """List the tags, fetch what the policy needs (digest, build times), and select, keeping
    one reason for every tag not picked."""
    from tagbot.scanner import Scanner

    with Scanner(registries) as scanner:
        chooser = cooldown.wrap(policy.build(spec), spec.min_age, image, scanner)
        listing = scanner.list_tags(image)
        tags = listing.tags
        if chooser.needs == "digest":
            tags = with_current_digest(image, tags, image.tag, scanner)
        if chooser.needs == "created":
            tags = with_created(chooser, image, tags, scanner)
        selection = chooser.select(image.tag, tags, current_digest=image.digest)
    rejected = {r.tag: r for r in selection.rejected}
    ordered = tuple(rejected[n] for n in newest_first(rejected))
    return in_version_order(listing), replace(selection, rejected=ordered)
