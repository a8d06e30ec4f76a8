"""`tagbot release IMAGE --env prod`: lift the holds on an image in an environment (a reviewed
change to `.tagbot/holds.yaml`)."""

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


def command(
    image: ImageArg,
    env: EnvOpt,
    dry_run: DryRunOpt = False,
    repository: RepositoryOpt = None,
    json: JsonOpt = False,
    config: ConfigOpt = "tagbot.yaml",
) -> None:
    """Let tagbot propose IMAGE in an environment again after a rollback."""
    name = image_name(image)

    def call(loaded: Config, config_dir: Path, work: Path) -> RunReport:
        return pipeline.release(
            loaded, config_dir, work, image=name, environment=env, dry_run=dry_run
        )

    execute(config, call, json=json, dry_run=dry_run, repository=repository, command="release")
