"""One run over many config repositories: each image is listed once for all of them, and each
repository gets its own plan, its own commits/PRs and its own problems. With `environments:`,
each repository's soak and holds come from its own git history (pipeline/staged.py)."""

from __future__ import annotations

import logging
import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tagbot import progress, provider
from tagbot.errors import ConfigError, GitError, ProviderError
from tagbot.models import (
    Environment,
    GitOptions,
    NotifyOptions,
    Problem,
    Rejection,
    RunReport,
    Stage,
    StatedReference,
    Update,
)
from tagbot.pipeline.approvals import preflight
from tagbot.pipeline.choose import Groups, Lister, choose, group_by_image
from tagbot.pipeline.conclude import conclude
from tagbot.pipeline.envpublish import publish_staged
from tagbot.pipeline.files import Discovery, discover
from tagbot.pipeline.history import deepen
from tagbot.pipeline.holds import Held
from tagbot.pipeline.plan import edit_plan
from tagbot.pipeline.publishing import close_superseded
from tagbot.pipeline.staged import choose_staged
from tagbot.provider import prnotes
from tagbot.provider.prbody import ImageNotes
from tagbot.report.console import plural

if TYPE_CHECKING:
    from tagbot.config import Config

log = logging.getLogger("tagbot.pipeline")


@dataclass(frozen=True)
class RepositoryReport:
    """What a run did in one repository."""

    repository: str
    report: RunReport


@dataclass
class _Repo:
    options: GitOptions
    stated: tuple[StatedReference, ...] = ()
    ws: provider.Workspace | None = None
    found: Discovery | None = None
    failed: Problem | None = None
    groups: Groups = field(default_factory=dict)


@dataclass(frozen=True)
class _Decided:
    """What choosing decided for one repository."""

    updates: Sequence[Update] = ()
    problems: Sequence[Problem] = ()
    stages: Sequence[Stage] = ()
    held: Sequence[Held] = ()


def in_shard(repository: str, shard: tuple[int, int] | None) -> bool:
    """True when a repository belongs to shard `index/count` (stable crc32 of its URL)."""
    if shard is None:
        return True
    index, count = shard
    return zlib.crc32(repository.encode()) % count == index


def run_many(
    config: Config,
    workdir: Path,
    *,
    dry_run: bool = False,
    shard: tuple[int, int] | None = None,
    deadline: float | None = None,
) -> list[RepositoryReport]:
    """Clone every repository of the config (those of the shard), list each image once for
    all of them, then plan and publish each repository on its own."""
    seconds = deadline if deadline is not None else config.deadline
    until = time.monotonic() + seconds if seconds else None
    stated, envs = config.stated_references(), config.environment_records()
    repos = [_Repo(o, stated) for o in config.repository_options() if in_shard(o.repository, shard)]
    for index, repo in enumerate(repos):
        progress.stage(f"reading {repo.options.repository}")
        _open(repo, workdir / str(index), config, dry_run)
    groups: Groups = {}
    for repo in repos:
        repo.groups = group_by_image(repo.found.occurrences, config.spec_for) if repo.found else {}
        _merge(groups, repo.groups)
    progress.stage(f"listing tags of {plural(len(groups), 'image')}")
    from tagbot.scanner import Scanner

    # PR bodies show each moving image's labels and rejected tags; they are gathered once,
    # for every repository (an image's notes do not depend on where it is deployed).
    rejected: dict[str, tuple[Rejection, ...]] | None = {} if _proposes(config, dry_run) else None
    with Scanner(config.registry_options(), deadline=until) as scanner:
        decided = _decide(repos, groups, envs, scanner, rejected)
        moving = [u for d in decided for u in d.updates]
        notes = prnotes.gather(moving, scanner.get_labels, rejected) if rejected is not None else {}
        log.info("registry requests", extra={"requests": scanner.request_count})
    notify = None if dry_run else config.notify_options()
    return [
        _finish(repo, mine, envs, notify, notes) for repo, mine in zip(repos, decided, strict=True)
    ]


def _proposes(config: Config, dry_run: bool) -> bool:
    """True when some repository or environment publishes pull requests in this run."""
    modes = {o.mode for o in config.repository_options()}
    modes |= {e.mode for e in config.environment_records() if e.mode is not None}
    return not dry_run and "pull-request" in modes


def _decide(
    repos: Sequence[_Repo],
    groups: Groups,
    envs: Sequence[Environment],
    scanner: Lister,
    rejected: dict[str, tuple[Rejection, ...]] | None = None,
) -> list[_Decided]:
    """Each repository's updates, problems, stages and holds. Every image is listed once (the
    scanner keeps each listing); with environments each repository is staged against its own
    history and holds file, else every image is decided once for all repositories."""
    if envs:
        scanner.list_many([occs[0].image for _, occs in groups.values() if occs[0].image])
        decided = []
        for repo in repos:
            if repo.ws is None:
                decided.append(_Decided())
                continue
            try:
                staged = choose_staged(
                envs, repo.groups, repo.ws.root, scanner,
                rejected=rejected, repository=repo.options.repository,
            )  # fmt: skip
            except ConfigError as exc:  # its holds file: that repository publishes nothing
                decided.append(_Decided(problems=(Problem(repo.options.repository, str(exc)),)))
                continue
            decided.append(_Decided(staged.updates, staged.problems, staged.stages, staged.held))
        return decided
    updates, problems = choose(groups, scanner, rejected)
    owner = {
        id(o): index
        for index, repo in enumerate(repos)
        for _, occs in repo.groups.values()
        for o in occs
    }
    result = []
    for index, repo in enumerate(repos):
        mine = [u for u in updates if owner.get(id(u.occurrence)) == index]
        result.append(_Decided(mine, [p for p in problems if p.where in repo.groups]))
    return result


def _open(repo: _Repo, workdir: Path, config: Config, dry_run: bool) -> None:
    """Clone the repository and read its files; a failure is that repository's problem."""
    try:
        repo.ws = provider.open_workspace(repo.options, workdir)
        if not dry_run:
            preflight(repo.ws, repo.options)
        if config.environments:
            deepen(repo.ws)  # soak and holds read the history of the environments' files
    except (GitError, ProviderError, ConfigError) as exc:
        repo.failed = Problem(repo.options.repository, str(exc))
        return
    except Exception as exc:  # one repository's bug must not end the others' run
        log.exception("repository failed", extra={"repository": repo.options.repository})
        error = f"unexpected error: {type(exc).__name__}: {exc}"
        repo.failed = Problem(repo.options.repository, error)
        return
    repo.found = discover([repo.ws.root], config.wants, repo.stated)


def _merge(into: Groups, more: Groups) -> None:
    """Add one repository's groups: one policy per image, the occurrences of every repository."""
    for name, (spec, occurrences) in more.items():
        into.setdefault(name, (spec, []))[1].extend(occurrences)


def _finish(
    repo: _Repo,
    decided: _Decided,
    envs: Sequence[Environment],
    notify: NotifyOptions | None,
    notes: Mapping[str, ImageNotes],
) -> RepositoryReport:
    """Plan one repository from what was decided for it, and publish it (each environment in
    its mode, on its branches), close the proposals its holds overtook and notify, unless this
    is a dry run (`notify` None)."""
    name = repo.options.repository
    if repo.ws is None or repo.found is None:
        return RepositoryReport(name, RunReport(problems=(repo.failed,) if repo.failed else ()))
    planned = edit_plan(repo.found, decided.updates, decided.problems, decided.stages)
    if notify is None:
        return RepositoryReport(name, planned.report())
    ws, options = repo.ws, repo.options
    outcomes, failed = publish_staged(
        ws, options, envs, planned.edits, stated=repo.stated, notes=notes
    )
    sets = [o.changes for o in outcomes]
    proposals = [o.result for o in outcomes if o.result is not None]
    failed += [p for o in outcomes for p in o.problems]
    if sets:
        failed += close_superseded(ws, options, sets, proposals, whole_run=True)
    planned = replace(planned, held=tuple(decided.held))
    report = conclude(
        ws, options, planned, outcomes, failed, notify=notify, stated=repo.stated, repository=name
    )
    return RepositoryReport(name, report)
