"""`tagbot set --commit / --pull-request`: publish set's edits from the checkout around its path,
through the same change sets and providers as `tagbot run` (the CI push mode of DESIGN.md)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, NoReturn

from tagbot import provider, publish
from tagbot.config import load_config
from tagbot.editor import setter
from tagbot.errors import ConfigError
from tagbot.models import FileEdit, GitOptions, ImageRef, Problem, ProposalResult, Update
from tagbot.planner import Grouping, Templates
from tagbot.run import local_root

Mode = Literal["push", "pull-request"]
Provider = Literal["git", "github", "gitlab"]
PROVIDERS: dict[str, Provider] = {"git": "git", "github": "github", "gitlab": "gitlab"}


@dataclass(frozen=True)
class Publishing:
    """Where and how set publishes: the git options, the grouping and the title templates."""

    start: Path  # the top of the checkout around set's first path
    options: GitOptions
    grouping: Grouping
    templates: Templates


def publishing(
    mode: Mode,
    paths: Sequence[Path],
    config: Path | None = None,
    *,
    provider_name: str | None = None,
    api_url: str | None = None,
    project: str | None = None,
) -> Publishing:
    """The `git:` section of `config` (defaults without one) in `mode`, for the checkout around
    `paths`, with the flags given over it; ConfigError for a bad config or provider, or when
    there is no checkout (checked before set writes anything)."""
    start = checkout_root(paths[0] if paths else Path("."))
    options, templates = GitOptions(), Templates()
    grouping: Grouping = "per-image"
    if config is not None:
        loaded = load_config(config)
        git = loaded.git
        options, grouping = loaded.git_options(), git.grouping
        title = git.pr_title if mode == "pull-request" and git.pr_title else git.commit_message
        templates = Templates(title=title, body=git.pr_body)
    forge = options.provider
    if provider_name is not None:
        forge = PROVIDERS.get(provider_name) or _unknown(provider_name)
    options = replace(
        options,
        repository=".",  # set edits the checkout it runs in, so that is what gets published
        mode=mode,
        provider=forge,
        api_url=api_url or options.api_url,
        project=project or options.project,
    )
    return Publishing(start, options, grouping, templates)


def _unknown(name: str) -> NoReturn:
    raise ConfigError(f"--provider must be one of {', '.join(PROVIDERS)}, got {name!r}")


def checkout_root(start: Path) -> Path:
    """The top of the git checkout around `start`; ConfigError outside any checkout."""
    root = local_root(start if start.is_dir() else start.parent)
    if not (root / ".git").exists():
        raise ConfigError(f"--commit and --pull-request need a git checkout; {root} is in none")
    return root


def publish_set(
    plan: setter.SetPlan, targets: Sequence[ImageRef], how: Publishing
) -> tuple[list[ProposalResult], list[Problem]]:
    """Commit and push (push mode) or propose (pull-request mode) the edits of `plan`; one
    change set per image unless the config groups them all."""
    with tempfile.TemporaryDirectory(prefix="tagbot-") as work:
        ws = provider.open_workspace(how.options, Path(work), cwd=how.start)
        root = ws.root.resolve()
        edits, boms, problems = rebase(plan, root)
        texts = {e.path: e.before for e in edits}
        updates = [u for e in edits for u in e.updates]
        sets = publish.changesets(updates, texts, how.options, how.grouping, how.templates)

        def redo(members: Sequence[Update]) -> provider.Reapply:
            return reapply_set(targets, members)

        proposals, failed = publish.publish_all(ws, how.options, sets, boms, redo)
    return proposals, [*problems, *failed]


def rebase(
    plan: setter.SetPlan, root: Path
) -> tuple[list[FileEdit], dict[str, bool], list[Problem]]:
    """The plan's edits with paths relative to `root`, whether each file has a BOM, and a
    problem for each file outside `root`."""
    edits: list[FileEdit] = []
    boms: dict[str, bool] = {}
    problems: list[Problem] = []
    for planned in plan.files:
        try:
            rel = planned.path.resolve().relative_to(root).as_posix()
        except ValueError:
            where = planned.edit.path
            problems.append(Problem(where, f"outside the checkout {root}; not published"))
            continue
        edits.append(moved(planned.edit, rel))
        boms[rel] = planned.bom
    return edits, boms, problems


def moved(edit: FileEdit, path: str) -> FileEdit:
    """The same edit, and its updates' occurrences, at another path."""
    updates = tuple(replace(u, occurrence=replace(u.occurrence, path=path)) for u in edit.updates)
    return replace(edit, path=path, updates=updates)


def reapply_set(targets: Sequence[ImageRef], members: Sequence[Update]) -> provider.Reapply:
    """Redo `set` for the images of `members` in their files on fresh files: every reference
    to those images gets the target version, whatever version the fresh file holds."""
    names = {u.occurrence.image.name for u in members if u.occurrence.image}
    wanted = [t for t in targets if t.name in names]
    paths = sorted({u.occurrence.path for u in members})

    def reapply(root: Path) -> tuple[FileEdit, ...]:
        edits = []
        for path in paths:
            if not (root / path).is_file():
                continue
            for planned in setter.plan_set(wanted, [root / path]).files:
                edits.append(publish.to_disk(moved(planned.edit, path), planned.bom))
        return tuple(edits)

    return reapply
