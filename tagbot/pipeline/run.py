"""`run`: plan in the config repo's workspace, then publish the plan's edits as configured."""

from __future__ import annotations

import time
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from tagbot import progress
from tagbot.models import Problem, RunReport
from tagbot.pipeline.approvals import Outcome, preflight
from tagbot.pipeline.conclude import conclude
from tagbot.pipeline.envpublish import publish_staged
from tagbot.pipeline.history import deepen
from tagbot.pipeline.plan import plan
from tagbot.pipeline.publishing import close_superseded
from tagbot.pipeline.workspace import open_checkout
from tagbot.report.console import plural

if TYPE_CHECKING:
    from tagbot.config import Config


def local_root(start: Path) -> Path:
    """The top of the git checkout around `start`; `start` itself outside any checkout."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():  # a directory, or a file in worktrees and submodules
            return folder
    return start


def run(
    config: Config,
    config_dir: Path,
    workdir: Path,
    *,
    dry_run: bool = False,
    shard: tuple[int, int] | None = None,
    images: Collection[str] | None = None,
    deadline: float | None = None,
) -> RunReport:
    """Plan in the workspace (the local checkout, or a clone in `workdir`), then publish;
    only the images named in `images` (normalised names) when given. After `deadline`
    seconds (else the config's `deadline`), images not yet decided are transient problems and
    what was decided is still published."""
    seconds = deadline if deadline is not None else config.deadline
    until = time.monotonic() + seconds if seconds else None
    options = config.git_options()
    if dry_run and options.repository == ".":
        # A plan of the local files needs no git: no fetch, no network, works offline or
        # in a plain copy of the config repo.
        return plan(
            config, local_root(config_dir), images=images, shard=shard, until=until
        ).report()
    ws = open_checkout(options, workdir, config_dir)
    if not dry_run:
        preflight(ws, options)
    if config.environments:
        deepen(ws)  # soak and holds read the history of the environments' files
    modes = {options.mode, *(e.mode for e in config.environment_records())}
    wants_notes = not dry_run and "pull-request" in modes  # PR bodies show them
    planned = plan(config, ws.root, images=images, shard=shard, until=until, notes=wants_notes)
    if dry_run:
        return planned.report()
    envs, stated = config.environment_records(), config.stated_references()
    outcomes: list[Outcome] = []
    problems: list[Problem] = []
    if planned.updates:
        progress.stage(f"publishing {plural(len(planned.updates), 'update')}")
        outcomes, problems = publish_staged(
            ws, options, envs, planned.edits, stated=stated, notes=planned.notes
        )
        sets = [o.changes for o in outcomes]
        proposals = [o.result for o in outcomes if o.result is not None]
        problems += [p for o in outcomes for p in o.problems]
        whole_run = shard is None and images is None
        problems += close_superseded(ws, options, sets, proposals, whole_run=whole_run)
    notify = config.notify_options()
    return conclude(ws, options, planned, outcomes, problems, notify=notify, stated=stated)
