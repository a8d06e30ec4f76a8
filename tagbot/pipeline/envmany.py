"""`tagbot promote` over `repositories:`: each repository promoted on its own, from its own
history, with its own commits/PRs and problems (`rollback` and `release` name one repository:
pipeline/repositories.py)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tagbot.errors import ConfigError, GitError, ProviderError
from tagbot.models import Problem, RunReport
from tagbot.pipeline.envrun import check_promotion, missing_images, promote_to
from tagbot.pipeline.many import RepositoryReport
from tagbot.pipeline.repositories import per_repository

if TYPE_CHECKING:
    from tagbot.config import Config


def promote_each(
    config: Config,
    config_dir: Path,
    workdir: Path,
    *,
    source: str,
    target: str,
    images: Collection[str] | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> list[RepositoryReport]:
    """`promote_to` in every repository of the config, each in its own workspace under
    `workdir`; ConfigError (before any clone) for environments that do not promote so. A
    repository that cannot be opened is its own problem; a named image is a problem only when
    no repository references it in `target`."""
    check_promotion(config, source, target)
    reports = []
    for index, one in enumerate(per_repository(config)):
        name = one.git.repository
        try:
            report = promote_to(
                one, config_dir, workdir / str(index), source=source, target=target,
                images=images, force=force, dry_run=dry_run, missing_ok=True,
            )  # fmt: skip
        except (GitError, ProviderError, ConfigError) as exc:
            report = RunReport(problems=(Problem(name, str(exc)),))
        reports.append(RepositoryReport(name, report))
    seen = {s.image for r in reports for s in r.report.stages}
    missing = tuple(missing_images(images, seen, target))
    if not missing:
        return reports
    return [
        replace(r, report=replace(r.report, problems=(*r.report.problems, *missing)))
        for r in reports
    ]
