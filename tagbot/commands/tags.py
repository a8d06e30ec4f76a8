"""`tagbot tags IMAGE`: the tags a registry has, the one a policy picks, and why not the others."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tagbot import imageref, pipeline, report
from tagbot.commands.common import JsonOpt
from tagbot.policy.explain import spec_from_options

StrOpt = str | None


def command(
    image: Annotated[
        str, typer.Argument(metavar="IMAGE", help="Image, e.g. nginx or ghcr.io/acme/api:1.2.3.")
    ],
    policy: Annotated[
        StrOpt, typer.Option("--policy", metavar="NAME", help="semver, calver, ...")
    ] = None,
    range_: Annotated[
        StrOpt, typer.Option("--range", metavar="RANGE", help="Semver range: ^1.2")
    ] = None,
    filter_: Annotated[
        StrOpt, typer.Option("--filter", metavar="REGEX", help="Regex tags must match.")
    ] = None,
    extract: Annotated[
        StrOpt, typer.Option("--extract", metavar="TEMPLATE", help="e.g. '$ts'.")
    ] = None,
    current: Annotated[
        StrOpt, typer.Option("--current", metavar="TAG", help="The tag in use.")
    ] = None,
    prerelease: Annotated[bool, typer.Option("--prerelease", help="Allow pre-releases.")] = False,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", metavar="PATTERN", help="Glob or /regex/.")
    ] = None,
    config: Annotated[
        StrOpt,
        typer.Option("--config", "-c", metavar="FILE", help="tagbot.yaml: registries and rules."),
    ] = None,
    json_output: JsonOpt = False,
) -> None:
    """List IMAGE's tags; with a policy or --current, show the pick and why not the others."""
    ref = imageref.parse(image)
    if current is not None:
        ref = ref.with_version(current, ref.digest)
    loaded = None
    if config is not None:
        from tagbot.config import load_config  # pydantic: only with a config

        loaded = load_config(Path(config))
    registries = loaded.registry_options() if loaded else ()
    spec = loaded.policy_for(ref) if loaded else None
    if any((policy, range_, filter_, extract, ignore)) or prerelease or (spec is None and ref.tag):
        spec = spec_from_options(policy, range_, filter_, extract, prerelease, ignore or ())
    if spec is None:
        listing = pipeline.list_tags(ref, registries)
        if json_output:
            report.print_json(report.listing_json(listing))
        else:
            typer.echo("\n".join(listing.names))
        return
    listing, selection = pipeline.explain_tags(ref, spec, registries)
    if json_output:
        report.print_json(report.selection_json(listing.image.name, listing.tags, selection))
    else:
        typer.echo(report.render_text(selection, ref.tag), nl=False)
