"""`tagbot tags IMAGE`: ask a registry which tags a repository has."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import typer

from tagbot import imageref
from tagbot.commands.common import JsonOpt, print_json
from tagbot.models import ImageRef, RegistryOptions, Rejection, TagList


def fetch_listing(image: ImageRef, registries: Sequence[RegistryOptions] = ()) -> TagList:
    """List the image's tags; credentials from `registries`, the docker config, or CI."""
    from tagbot.scanner import Scanner  # httpx costs ~100 ms: only the commands that list pay

    with Scanner(registries) as scanner:
        return scanner.list_tags(image)


def listing_json(
    listing: TagList, selected: str | None = None, rejected: Sequence[Rejection] = ()
) -> dict[str, Any]:
    """The JSON contract: `{"image", "tags", "selected", "rejected": [{"tag", "reason"}]}`."""
    return {
        "image": listing.image.name,
        "tags": list(listing.names),
        "selected": selected,
        "rejected": [{"tag": r.tag, "reason": r.reason} for r in rejected],
    }


def command(
    image: Annotated[str, typer.Argument(help="Image name, e.g. nginx or ghcr.io/acme/api.")],
    json_output: JsonOpt = False,
) -> None:
    """List the tags a registry has for IMAGE (credentials: docker config, GITHUB_TOKEN)."""
    listing = fetch_listing(imageref.parse(image))
    if json_output:
        print_json(listing_json(listing))
        return
    for name in listing.names:
        typer.echo(name)
