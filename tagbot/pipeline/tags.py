"""`tags`: one image's tag list and, with a policy, its pick and every rejection explained."""

from __future__ import annotations

from collections.abc import Sequence

from tagbot import policy
from tagbot.models import ImageRef, PolicySpec, RegistryOptions, Selection, TagList
from tagbot.pipeline.choose import with_created, with_current_digest


def list_tags(image: ImageRef, registries: Sequence[RegistryOptions] = ()) -> TagList:
    """The image's tags; credentials from `registries`, the docker config, or CI."""
    from tagbot.scanner import Scanner  # httpx costs ~100 ms: only the commands that list pay

    with Scanner(registries) as scanner:
        return scanner.list_tags(image)


def explain_tags(
    image: ImageRef, spec: PolicySpec, registries: Sequence[RegistryOptions] = ()
) -> tuple[TagList, Selection]:
    """List the tags, fetch what the policy needs (digest, build times), and select, keeping
    one reason for every tag not picked."""
    from tagbot.scanner import Scanner

    chooser = policy.build(spec)
    with Scanner(registries) as scanner:
        listing = scanner.list_tags(image)
        tags = listing.tags
        if chooser.needs == "digest":
            tags = with_current_digest(image, tags, image.tag, scanner)
        if chooser.needs == "created":
            tags = with_created(chooser, image, tags, scanner)
    return listing, chooser.select(image.tag, tags, current_digest=image.digest)
