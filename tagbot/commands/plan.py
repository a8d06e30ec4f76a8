"""`tagbot plan`: every update with its reason and diff, and every problem; writes nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import NoReturn

import typer

from tagbot import logs, pipeline, progress, report
from tagbot.commands.common import (
    ConfigOpt,
    DeadlineOpt,
    JsonOpt,
    ShardOpt,
    exit_with_repositories,
    parse_shard,
)
from tagbot.config import Config, load_config


def execute(
    config: str, *, dry_run: bool, json: bool, shard: str | None, deadline: float | None = None
) -> None:
    """Load the config, run the pipeline (publishing unless `dry_run`), print, and exit."""
    path = Path(config)
    loaded = load_config(path)
    shards = parse_shard(shard)
    if loaded.repositories:
        execute_many(loaded, dry_run=dry_run, json=json, shard=shards, deadline=deadline)
    with (
        tempfile.TemporaryDirectory(prefix="tagbot-") as work,
        progress.terminal(logs.interactive()),
    ):
        result = pipeline.run(
            loaded,
            path.absolute().parent,
            Path(work),
            dry_run=dry_run,
            shard=shards,
            deadline=deadline,
        )
    report.write_step_summary(result)  # a PR check shows the plan on its job page too
    if json:
        report.print_json(report.report_json(result, diffs=dry_run))
    else:
        report.print_console(result, diffs=dry_run)
    raise typer.Exit(result.exit_code)


def command(
    config: ConfigOpt = "tagbot.yaml",
    json: JsonOpt = False,
    shard: ShardOpt = None,
    deadline: DeadlineOpt = None,
) -> None:
    """Show what `run` would change, with diffs and reasons; change nothing in the repository."""
    execute(config, dry_run=True, json=json, shard=shard, deadline=deadline)


def execute_many(
    config: Config,
    *,
    dry_run: bool,
    json: bool,
    shard: tuple[int, int] | None,
    deadline: float | None,
) -> NoReturn:
    """`run`/`plan` over the config's `repositories`: one report per repository."""
    with (
        tempfile.TemporaryDirectory(prefix="tagbot-") as work,
        progress.terminal(logs.interactive()),
    ):
        results = pipeline.run_many(
            config, Path(work), dry_run=dry_run, shard=shard, deadline=deadline
        )
    exit_with_repositories(results, json=json, diffs=dry_run)
