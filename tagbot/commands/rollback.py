"""`tagbot rollback IMAGE --env prod [--to TAG]`: back to the previous version in git; the
next runs hold the rolled-back tag until a newer one appears or `tagbot release`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tagbot import pipeline
from tagbot.commands.common import ConfigOpt, JsonOpt
from tagbot.commands.envcommon import DryRunOpt, EnvOpt, RepositoryOpt, execute, image_name
from tagbot.config import Config
from tagbot.models import RunReport

ImageArg = Annotated[str, typer.Argument(help="Image, e.g. ghcr.io/acme/api.")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Tag to go back to (default: previous).")]


def command(
    image: ImageArg,
    env: EnvOpt,
    to: ToOpt = None,
    dry_run: DryRunOpt = False,
    repository: RepositoryOpt = None,
    json: JsonOpt = False,
    config: ConfigOpt = "tagbot.yaml",
) -> None:
    """Roll IMAGE back in an environment, through the normal publishing path."""
    name = image_name(image)

    def call(loaded: Config, config_dir: Path, work: Path) -> RunReport:
        return pipeline.rollback(
            loaded, config_dir, work, image=name, environment=env, to=to, dry_run=dry_run
        )

    execute(config, call, json=json, dry_run=dry_run, repository=repository, command="rollback")
