"""`tagbot promote --from staging --to prod [IMAGE...]`: promote now, subject to soak unless
`--force`; for people and for CI."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tagbot import pipeline
from tagbot.commands.common import ConfigOpt, JsonOpt
from tagbot.commands.envcommon import DryRunOpt, execute, image_name
from tagbot.config import Config
from tagbot.models import RunReport

FromOpt = Annotated[str, typer.Option("--from", help="Environment promoted from, e.g. staging.")]
ToOpt = Annotated[str, typer.Option("--to", help="Environment promoted into, e.g. prod.")]
ImagesArg = Annotated[
    list[str] | None, typer.Argument(metavar="[IMAGE]...", help="Only these images.")
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Skip the soak time.")]


def command(
    from_: FromOpt,
    to: ToOpt,
    images: ImagesArg = None,
    force: ForceOpt = False,
    dry_run: DryRunOpt = False,
    json: JsonOpt = False,
    config: ConfigOpt = "tagbot.yaml",
) -> None:
    """Promote into --to what --from runs, once it has soaked there (or now, with --force)."""
    names = [image_name(i) for i in images] if images else None

    def call(loaded: Config, config_dir: Path, work: Path) -> RunReport:
        return pipeline.promote_to(
            loaded, config_dir, work, source=from_, target=to, images=names,
            force=force, dry_run=dry_run,
        )  # fmt: skip

    execute(config, call, json=json, dry_run=dry_run)
