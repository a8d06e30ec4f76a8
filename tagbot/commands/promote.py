"""`tagbot promote --from staging --to prod [IMAGE...]`: promote now, subject to soak unless
`--force`; for people and for CI. With `repositories:`, every repository (each its own report),
or the one `--repository` names."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from tagbot import logs, pipeline, progress
from tagbot.commands.common import ConfigOpt, JsonOpt, exit_with_repositories
from tagbot.commands.envcommon import DryRunOpt, RepositoryOpt, execute, image_name
from tagbot.config import Config, load_config
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
    repository: RepositoryOpt = None,
    json: JsonOpt = False,
    config: ConfigOpt = "tagbot.yaml",
) -> None:
    """Promote into --to what --from runs, once it has soaked there (or now, with --force)."""
    names = [image_name(i) for i in images] if images else None
    loaded = load_config(Path(config))
    if repository is None and loaded.repositories:
        _every_repository(config, loaded, from_, to, names, force=force, dry_run=dry_run, json=json)

    def call(loaded: Config, config_dir: Path, work: Path) -> RunReport:
        return pipeline.promote_to(
            loaded, config_dir, work, source=from_, target=to, images=names,
            force=force, dry_run=dry_run,
        )  # fmt: skip

    execute(
        config, call, json=json, dry_run=dry_run, repository=repository, command="promote",
        loaded=loaded,
    )  # fmt: skip


def _every_repository(
    config: str,
    loaded: Config,
    source: str,
    target: str,
    images: list[str] | None,
    *,
    force: bool,
    dry_run: bool,
    json: bool,
) -> None:
    """Promote in each repository of `repositories:`; one report per repository, and exit."""
    path = Path(config)
    with (
        tempfile.TemporaryDirectory(prefix="tagbot-") as work,
        progress.terminal(logs.interactive()),
    ):
        results = pipeline.promote_each(
            loaded, path.resolve().parent, Path(work), source=source, target=target,
            images=images, force=force, dry_run=dry_run,
        )  # fmt: skip
    exit_with_repositories(results, json=json, diffs=dry_run)
