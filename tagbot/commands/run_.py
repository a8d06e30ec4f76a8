"""`tagbot run`: plan, then commit and push or open/update a PR/MR."""

from __future__ import annotations

from typing import Annotated

import typer

from tagbot.commands.common import ConfigOpt, DeadlineOpt, JsonOpt, ShardOpt
from tagbot.commands.plan import execute

DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", envvar="TAGBOT_DRY_RUN", help="Plan only; publish nothing.")
]


def command(
    config: ConfigOpt = "tagbot.yaml",
    dry_run: DryRunOpt = False,
    json: JsonOpt = False,
    shard: ShardOpt = None,
    deadline: DeadlineOpt = None,
) -> None:
    """Find newer tags allowed by policy and publish them as configured in `git:`."""
    execute(config, dry_run=dry_run, json=json, shard=shard, deadline=deadline)
