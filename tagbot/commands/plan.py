"""`tagbot plan`: every update with its reason and diff, and every problem; writes nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from tagbot import logs, progress, report
from tagbot.commands.common import ConfigOpt, JsonOpt, parse_shard, print_json
from tagbot.config import load_config
from tagbot.run import run

ShardOpt = Annotated[
    str | None,
    typer.Option("--shard", envvar="TAGBOT_SHARD", help="Only images in shard INDEX/COUNT."),
]


def execute(config: str, *, dry_run: bool, json: bool, shard: str | None) -> None:
    """Load the config, run the pipeline (publishing unless `dry_run`), print, and exit."""
    path = Path(config)
    loaded = load_config(path)
    with (
        tempfile.TemporaryDirectory(prefix="tagbot-") as work,
        progress.terminal(logs.interactive()),
    ):
        result = run(
            loaded, path.resolve().parent, Path(work), dry_run=dry_run, shard=parse_shard(shard)
        )
    report.write_step_summary(result)  # a PR check shows the plan on its job page too
    if json:
        print_json(report.report_json(result, diffs=dry_run))
    else:
        report.print_console(result, diffs=dry_run)
    raise typer.Exit(result.exit_code)


def command(
    config: ConfigOpt = "tagbot.yaml", json: JsonOpt = False, shard: ShardOpt = None
) -> None:
    """Show what `run` would change, with diffs and reasons; change nothing in the repository."""
    execute(config, dry_run=True, json=json, shard=shard)
