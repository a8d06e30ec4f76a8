"""What the environment commands share: `--env`, `--dry-run`, `--repository`, image names, and
one way to run a pipeline call in a scratch directory and print its report."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from tagbot import imageref, logs, pipeline, progress, report
from tagbot.config import Config, load_config
from tagbot.models import RunReport

EnvOpt = Annotated[str, typer.Option("--env", "-e", help="Environment, e.g. prod.")]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", envvar="TAGBOT_DRY_RUN", help="Plan only; publish nothing.")
]
RepositoryOpt = Annotated[
    str | None,
    typer.Option(
        "--repository",
        metavar="NAME",
        envvar="TAGBOT_REPOSITORY",
        help="With `repositories:`, the one to change: its URL or path, project, or last path "
        "part without .git (e.g. deploy-eu).",
    ),
]
Call = Callable[[Config, Path, Path], RunReport]


def image_name(text: str) -> str:
    """An image as the user typed it (`api`, `ghcr.io/acme/api`) as its normalised name."""
    return imageref.parse_name(text).name


def execute(
    config: str,
    call: Call,
    *,
    json: bool,
    dry_run: bool,
    repository: str | None,
    command: str,
    loaded: Config | None = None,
) -> None:
    """Load the config (unless `loaded`), pick the repository `--repository` names (exit 2
    asking for it when the config covers several), run `call(config, config_dir, workdir)`,
    print, and exit."""
    path = Path(config)
    loaded = pipeline.one_repository(loaded or load_config(path), repository, command)
    with (
        tempfile.TemporaryDirectory(prefix="tagbot-") as work,
        progress.terminal(logs.interactive()),
    ):
        result = call(loaded, path.absolute().parent, Path(work))
    report.write_step_summary(result)
    if json:
        report.print_json(report.report_json(result, diffs=dry_run))
    else:
        report.print_console(result, diffs=dry_run)
    raise typer.Exit(result.exit_code)
