"""`tagbot tags IMAGE`: the tags a registry has, the one a policy picks, and why not the others."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from tagbot import imageref
from tagbot.commands.common import JsonOpt, print_json
from tagbot.models import ImageRef, PolicySpec, RegistryOptions, Rejection, Selection, TagList
from tagbot.policy import build
from tagbot.policy.explain import as_json, render_text, spec_from_options


def fetch_listing(image: ImageRef, registries: Sequence[RegistryOptions] = ()) -> TagList:
    """List the image's tags; credentials from `registries`, the docker config, or CI."""
    from tagbot.scanner import Scanner  # httpx costs ~100 ms: only the commands that list pay

    with Scanner(registries) as scanner:
        return scanner.list_tags(image)


def choose(
    image: ImageRef, spec: PolicySpec, registries: Sequence[RegistryOptions]
) -> tuple[TagList, Selection]:
    """List the tags, fetch what the policy needs (digest, build times), and select."""
    from tagbot.decide import with_created, with_current_digest
    from tagbot.scanner import Scanner

    policy = build(spec)
    with Scanner(registries) as scanner:
        listing = scanner.list_tags(image)
        tags = listing.tags
        if policy.needs == "digest":
            tags = with_current_digest(image, tags, image.tag, scanner)
        if policy.needs == "created":
            tags = with_created(policy, image, tags, scanner)
    return listing, policy.select(image.tag, tags, current_digest=image.digest)


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
    image: Annotated[str, typer.Argument(help="Image, e.g. nginx or ghcr.io/acme/api:1.2.3.")],
    policy: Annotated[str | None, typer.Option("--policy", help="semver, calver, ...")] = None,
    range_: Annotated[str | None, typer.Option("--range", help="Semver range: ^1.2")] = None,
    filter_: Annotated[str | None, typer.Option("--filter", help="Regex tags must match.")] = None,
    extract: Annotated[str | None, typer.Option("--extract", help="e.g. '$ts'.")] = None,
    current: Annotated[str | None, typer.Option("--current", help="The tag in use.")] = None,
    prerelease: Annotated[bool, typer.Option("--prerelease", help="Allow pre-releases.")] = False,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Glob or /regex/.")] = None,
    config: Annotated[
        str | None, typer.Option("--config", "-c", help="tagbot.yaml: registries and rules.")
    ] = None,
    json_output: JsonOpt = False,
) -> None:
    """List IMAGE's tags; with a policy or --current, show the pick and why not the others."""
    ref = imageref.parse(image)
    if current is not None:
        ref = ref.with_version(current, ref.digest)
    registries: Sequence[RegistryOptions] = ()
    spec: PolicySpec | None = None
    if config is not None:
        from tagbot.config import load_config

        loaded = load_config(Path(config))
        registries = loaded.registry_options()
        spec = loaded.policy_for(ref)
    flags = (policy, range_, filter_, extract, ignore)
    if any(flags) or prerelease or (spec is None and ref.tag is not None):
        spec = spec_from_options(policy, range_, filter_, extract, prerelease, ignore or ())
    if spec is None:
        listing = fetch_listing(ref, registries)
        if json_output:
            print_json(listing_json(listing))
        else:
            typer.echo("\n".join(listing.names))
        return
    listing, selection = choose(ref, spec, registries)
    if json_output:
        print_json(as_json(listing.image.name, listing.tags, selection))
    else:
        typer.echo(render_text(selection, ref.tag), nl=False)
