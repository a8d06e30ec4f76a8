"""One run over many config repositories: each image is listed once for all of them, and each
repository gets its own plan, its own commits/PRs and its own problems."""

from __future__ import annotations

import logging
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tagbot import progress, provider
from tagbot.errors import ConfigError, GitError, ProviderError
from tagbot.models import GitOptions, NotifyOptions, Problem, RunReport, StatedReference, Update
from tagbot.pipeline.announce import announce
from tagbot.pipeline.approvals import preflight, publish_routed
from tagbot.pipeline.choose import Groups, choose, group_by_image
from tagbot.pipeline.files import Discovery, discover
from tagbot.pipeline.plan import edit_plan
from tagbot.pipeline.publishing import close_superseded
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
    if config.environments:  # soak and holds read one repository's history (pipeline/staged.py)
        raise ConfigError("environments work on one repository for now: not with `repositories`")
    seconds = deadline if deadline is not None else config.deadline
    until = time.monotonic() + seconds if seconds else None
    stated = config.stated_references()
    repos = [_Repo(o, stated) for o in config.repository_options() if in_shard(o.repository, shard)]
    for index, repo in enumerate(repos):
        progress.stage(f"reading {repo.options.repository}")
        _open(repo, workdir / str(index), config, dry_run)
    owner: dict[int, int] = {}  # id(occurrence) -> index of its repository
    groups: Groups = {}
    for index, repo in enumerate(repos):
        for occ in repo.found.occurrences if repo.found else ():
            owner[id(occ)] = index
        _merge(
            groups, group_by_image(repo.found.occurrences, config.spec_for) if repo.found else {}
        )
    progress.stage(f"listing tags of {plural(len(groups), 'image')}")
    from tagbot.scanner import Scanner

    with Scanner(config.registry_options(), deadline=until) as scanner:
        updates, problems = choose(groups, scanner)
        log.info("registry requests", extra={"requests": scanner.request_count})
    notify = None if dry_run else config.notify_options()
    return [
        _finish(repo, index, updates, problems, groups, owner, notify)
        for index, repo in enumerate(repos)
    ]


def _open(repo: _Repo, workdir: Path, config: Config, dry_run: bool) -> None:
    """Clone the repository and read its files; a failure is that repository's problem."""
    try:
        repo.ws = provider.open_workspace(repo.options, workdir)
        if not dry_run:
            preflight(repo.ws, repo.options)
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
    index: int,
    updates: Sequence[Update],
    problems: Sequence[Problem],
    groups: Groups,
    owner: dict[int, int],
    notify: NotifyOptions | None,
) -> RepositoryReport:
    """Plan one repository from the shared decisions, and publish it (and notify) unless this
    is a dry run (`notify` None)."""
    name = repo.options.repository
    if repo.ws is None or repo.found is None:
        return RepositoryReport(name, RunReport(problems=(repo.failed,) if repo.failed else ()))
    mine = [u for u in updates if owner.get(id(u.occurrence)) == index]
    used = {n for n, (_, occs) in groups.items() if any(owner.get(id(o)) == index for o in occs)}
    image_problems = [p for p in problems if p.where in used]
    planned = edit_plan(repo.found, mine, image_problems)
    if notify is None or not planned.updates:
        return RepositoryReport(name, planned.report())
    outcomes, failed = publish_routed(repo.ws, repo.options, planned.edits, stated=repo.stated)
    sets = [o.changes for o in outcomes]
    proposals = [o.result for o in outcomes if o.result is not None]
    failed += [p for o in outcomes for p in o.problems]
    failed += close_superseded(repo.ws, repo.options, sets, proposals, whole_run=True)
    failed += announce(notify, outcomes, failed)
    return RepositoryReport(name, planned.report(proposals, failed))
