"""The end of every publishing run (`run`, `promote`/`rollback`/`release`, each repository of
`repositories:`): close the proposals a hold overtook, notify, and report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from tagbot import provider
from tagbot.models import GitOptions, NotifyOptions, Problem, RunReport, StatedReference
from tagbot.pipeline.announce import announce
from tagbot.pipeline.approvals import Outcome
from tagbot.pipeline.plan import Plan
from tagbot.pipeline.withdrawal import close_held


def conclude(
    ws: provider.Workspace,
    options: GitOptions,
    planned: Plan,
    outcomes: Sequence[Outcome],
    problems: Sequence[Problem],
    *,
    notify: NotifyOptions,
    stated: Sequence[StatedReference] = (),
    repository: str | None = None,
) -> RunReport:
    """The run's report once `outcomes` are published: held proposals closed (the branches
    just written excepted), a notification per change set and problem, every problem kept."""
    published = {o.changes.branch for o in outcomes}
    stages, withdrawn = close_held(
        ws, options, planned.held, planned.stages,
        published=published, stated=stated, repository=repository,
    )  # fmt: skip
    problems = [*problems, *withdrawn]
    if outcomes or problems:
        problems += announce(notify, outcomes, problems)
    proposals = [o.result for o in outcomes if o.result is not None]
    return replace(planned, stages=stages).report(proposals, problems)
