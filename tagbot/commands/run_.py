"""`tagbot run`: plan, then commit and push or open/update a PR/MR."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from tagbot import logs, progress, report
from tagbot.commands.common import ConfigOpt, JsonOpt, parse_shard, print_json
from tagbot.commands.plan import ShardOpt
from tagbot.config import load_config
from tagbot.run import run

DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", envvar="TAGBOT_DRY_RUN", help="Plan only; publish nothing.")
]


def command(
    config: ConfigOpt = "tagbot.yaml",
    dry_run: DryRunOpt = False,
    json: JsonOpt = False,
    shard: ShardOpt = None,
) -> None:
    """Find newer tags allowed by policy and publish them as configured in `git:`."""
    path = Path(config)
    loaded = load_config(path)
    with (
        tempfile.TemporaryDirectory(prefix="tagbot-") as work,
        progress.terminal(logs.interactive()),
    ):
        result = run(
            loaded, path.resolve().parent, Path(work), dry_run=dry_run, shard=parse_shard(shard)
        )
    report.write_step_summary(result)
    if json:
        print_json(report.report_json(result, diffs=dry_run))
    else:
        report.print_console(result, diffs=dry_run)
    raise typer.Exit(result.exit_code)
