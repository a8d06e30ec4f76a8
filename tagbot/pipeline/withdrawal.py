"""Withdrawing proposals a hold overtook: tagbot's open PR/MR for an image in an environment
whose branch proposes a held tag (or one older than it) is closed, with a comment naming the
hold and how to release it. A branch this run published, or one proposing a tag past the hold,
is left alone; a closed PR stays closed, and a newer tag later opens a fresh one."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from tagbot import editor, policy, provider
from tagbot.errors import ConfigError, GitError, ProviderError
from tagbot.models import GitOptions, Problem, ProposalResult, Stage, StatedReference
from tagbot.pipeline.changes import slug
from tagbot.pipeline.environments import blocked
from tagbot.pipeline.envpublish import environment_options
from tagbot.pipeline.holds import HOLDS_FILE, Held, Hold
from tagbot.pipeline.stated import apply_stated

log = logging.getLogger("tagbot.pipeline")


def held_proposal(
    item: Held, texts: Mapping[str, str], stated: Sequence[StatedReference] = ()
) -> tuple[str, Hold] | None:
    """The tag that files of a branch (`texts`, by path) propose for the held image, and the
    hold that blocks it; None when every reference there keeps the base's tag or takes one the
    holds allow."""
    chooser = policy.build(item.spec)
    base = {(o.path, o.locator): o.image.tag for o in item.occurrences if o.image}
    for path, text in sorted(texts.items()):
        found = editor.extract(path, text).occurrences
        for occ in apply_stated(path, text, found, stated) if stated else found:
            tag = occ.image.tag if occ.image and occ.image.name == item.image else None
            key = (path, occ.locator)
            if not tag or key not in base or base[key] == tag:
                continue
            hold = blocked(chooser, tag, item.holds)
            if hold is not None:
                return tag, hold
    return None


def comment(item: Held, tag: str, hold: Hold, repository: str | None = None) -> str:
    """What tagbot says on the proposal it closes: the hold, and how to lift it."""
    env, image = hold.environment, item.image
    named = f" --repository {repository}" if repository else ""
    what = f"proposes neither `{hold.tag}` nor anything older there"
    if hold.exact:
        what = f"does not promote `{hold.tag}` to {item.environment.name}"
    return (
        f"Closed by tagbot: `{image}` is held in **{env}** at `{hold.tag}` ({hold.why}). "
        f"tagbot {what}, so this proposal of "
        f"`{tag}` should not be merged. A newer tag opens a new proposal; to lift the hold, run "
        f"`tagbot release {image} --env {env}{named}` (a reviewed change to `{HOLDS_FILE}`)."
    )


def branch_of(options: GitOptions, item: Held) -> str | None:
    """The branch tagbot proposes `item`'s image on in its environment (`options` are the
    environment's); None where tagbot opens no PR/MR there (plain git, push mode)."""
    if options.provider == "git":
        return None
    if options.mode == "push" and not options.push_types:
        return None
    first = next((o.image for o in item.occurrences if o.image), None)
    key = "all" if options.grouping == "all" or first is None else first.familiar
    return options.branch_prefix + slug(key)


def close_held(
    ws: provider.Workspace,
    options: GitOptions,
    held: Sequence[Held],
    stages: Sequence[Stage],
    *,
    published: Collection[str] = (),
    stated: Sequence[StatedReference] = (),
    repository: str | None = None,
) -> tuple[tuple[Stage, ...], list[Problem]]:
    """Close each open proposal whose branch proposes a held tag (branches in `published`, which
    this run just wrote, excepted); the stages with a note on each closed one, and problems.
    `repository` names the repository in the release hint of a run over several."""
    notes: dict[tuple[str, str], str] = {}
    problems: list[Problem] = []
    for item in held:
        mine = environment_options(options, item.environment)
        branch = branch_of(mine, item)
        if branch is None or branch in published:
            continue
        try:
            closed = _close(ws, mine, item, branch, stated, repository)
        except (GitError, ProviderError, ConfigError) as exc:  # e.g. no token: that PR's problem
            problems.append(Problem(branch, f"cannot close a proposal of a held tag: {exc}"))
            continue
        if closed is not None:
            notes[(item.image, item.environment.name)] = closed
    return tuple(_noted(s, notes) for s in stages), problems


def _close(
    ws: provider.Workspace,
    options: GitOptions,
    item: Held,
    branch: str,
    stated: Sequence[StatedReference],
    repository: str | None,
) -> str | None:
    """Close `branch`'s open proposal when it proposes a held tag; a note saying so, or None."""
    paths = sorted({o.path for o in item.occurrences})
    texts = provider.branch_files(ws, branch, paths)
    found = held_proposal(item, texts, stated) if texts else None
    if found is None:
        return None
    tag, hold = found
    text = comment(item, tag, hold, repository)
    proposing = replace(options, mode="pull-request")
    closed = provider.close_superseded(ws, proposing, [branch], text)
    if not closed:
        return None  # no open PR/MR on it: closed before, or never opened
    log.info("closed a proposal of a held tag", extra={"branch": branch, "tag": tag})
    return f"closed {_named(closed[0])} proposing {tag}: held"


def _named(result: ProposalResult) -> str:
    return f"#{result.number}" if result.number is not None else result.url or result.branch


def _noted(stage: Stage, notes: Mapping[tuple[str, str], str]) -> Stage:
    note = notes.get((stage.image, stage.environment or ""))
    if note is None:
        return stage
    return replace(stage, note=f"{stage.note}; {note}" if stage.note else note)
