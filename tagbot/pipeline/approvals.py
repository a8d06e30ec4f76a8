"""Publishing by update type: push mode limited to some types (the rest become PRs), and the
forge's auto-merge for PRs whose every update is of a type the config approves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from tagbot import provider
from tagbot.errors import GitError, ProviderError
from tagbot.models import (
    ChangeSet,
    FileEdit,
    GitOptions,
    Problem,
    ProposalResult,
    StatedReference,
    UpdateType,
)
from tagbot.pipeline.changes import changesets
from tagbot.pipeline.edits import edit_files
from tagbot.pipeline.publishing import publish_edits
from tagbot.policy.updatetype import update_type
from tagbot.provider.automerge import enable_automerge
from tagbot.provider.prbody import ImageNotes
from tagbot.provider.remote import target_for


@dataclass(frozen=True)
class Outcome:
    """One change set and what publishing it did (None when it failed), with its problems."""

    changes: ChangeSet
    result: ProposalResult | None
    problems: tuple[Problem, ...] = ()
    automerge: bool = False


def types_of(changes: ChangeSet) -> set[UpdateType]:
    """The update types in a change set."""
    return {update_type(u) for e in changes.edits for u in e.updates}


def route(
    options: GitOptions, edits: Sequence[FileEdit]
) -> tuple[list[tuple[GitOptions, list[FileEdit]]], list[Problem]]:
    """The edits to publish in each mode: in push mode with `push_types`, the updates of those
    types are pushed and the others proposed (their files edited again with only them)."""
    if options.mode != "push" or not options.push_types:
        return [(options, list(edits))], []
    texts = {e.path: (e.before, e.bom) for e in edits}
    updates = [u for e in edits for u in e.updates]
    pushed = [u for u in updates if update_type(u) in options.push_types]
    proposed = [u for u in updates if update_type(u) not in options.push_types]
    routes: list[tuple[GitOptions, list[FileEdit]]] = []
    problems: list[Problem] = []
    for how, members in ((options, pushed), (replace(options, mode="pull-request"), proposed)):
        if members:
            subset, refused = edit_files(members, texts)
            routes.append((how, subset))
            problems += refused
    return routes, problems


def preflight(ws: provider.Workspace, options: GitOptions) -> None:
    """`provider.preflight` for every mode `options` publish in (push mode with `push_types`
    also proposes): a missing token fails before any planning."""
    provider.preflight(ws, options)
    if options.mode == "push" and options.push_types:
        provider.preflight(ws, replace(options, mode="pull-request"))


def publish_routed(
    ws: provider.Workspace,
    options: GitOptions,
    edits: Sequence[FileEdit],
    *,
    any_version: bool = False,
    stated: Sequence[StatedReference] = (),
    notes: Mapping[str, ImageNotes] | None = None,
) -> tuple[list[Outcome], list[Problem]]:
    """Publish `edits` change set by change set, each in its mode, and turn on auto-merge
    where the config approves every update of a PR; the outcomes, and routing problems.
    `any_version` as for `publish_edits` (a named version, as `tagbot set` gives)."""
    routes, problems = route(options, edits)
    outcomes: list[Outcome] = []
    for how, subset in routes:
        for changes in changesets(subset, how, notes):
            _, results, failed = publish_edits(
                ws, how, changes.edits, any_version=any_version, stated=stated, notes=notes
            )
            result = results[0] if results else None
            outcome = Outcome(changes, result, tuple(failed))
            if result is not None and how.mode == "pull-request":
                outcome = _approve(ws, how, outcome)
            outcomes.append(outcome)
    return outcomes, problems


def _approve(ws: provider.Workspace, options: GitOptions, outcome: Outcome) -> Outcome:
    approved = set(options.automerge)
    result = outcome.result
    if result is None or not result.changed or not approved:
        return outcome
    if not types_of(outcome.changes) <= approved:
        return outcome
    try:
        target = target_for(options, ws.remote_url, ws.base)
        enabled = enable_automerge(target, result)
    except (GitError, ProviderError) as exc:
        problem = Problem(outcome.changes.branch, f"auto-merge not enabled: {exc}")
        return replace(outcome, problems=(*outcome.problems, problem))
    return replace(outcome, automerge=enabled)
