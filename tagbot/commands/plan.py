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


def command(
    config: ConfigOpt = "tagbot.yaml", json: JsonOpt = False, shard: ShardOpt = None
) -> None:
    """Show what `run` would change, with diffs and reasons; change nothing in the repository."""
    path = Path(config)
    loaded = load_config(path)
    with (
        tempfile.TemporaryDirectory(prefix="tagbot-") as work,
        progress.terminal(logs.interactive()),
    ):
        result = run(
            loaded, path.resolve().parent, Path(work), dry_run=True, shard=parse_shard(shard)
        )
    report.write_step_summary(result)  # a PR check shows the plan on its job page
    if json:
        print_json(report.report_json(result, diffs=True))
    else:
        report.print_console(result, diffs=True)
    raise typer.Exit(result.exit_code)
