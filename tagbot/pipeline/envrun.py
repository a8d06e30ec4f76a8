"""The environment commands as library calls: `promote_to`, `rollback` and `release` open the
config repo's workspace as `run` does, plan, and publish through the same providers."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tagbot import provider
from tagbot.errors import ConfigError, GitError, ProviderError
from tagbot.models import FileEdit, Problem, RunReport
from tagbot.pipeline.approvals import Outcome, preflight
from tagbot.pipeline.conclude import conclude
from tagbot.pipeline.edits import on_disk
from tagbot.pipeline.envpublish import publish_staged
from tagbot.pipeline.history import deepen
from tagbot.pipeline.plan import Plan, plan
from tagbot.pipeline.release import release_changes, release_edit, to_release
from tagbot.pipeline.rollback import environment_named, plan_rollback
from tagbot.pipeline.run import local_root
from tagbot.pipeline.workspace import open_checkout

if TYPE_CHECKING:
    from tagbot.config import Config


def _workspace(
    config: Config, config_dir: Path, workdir: Path, dry_run: bool
) -> tuple[Path, provider.Workspace | None]:
    """Where to plan: the local checkout for a dry run of `.`, else the workspace (with its
    whole history: soak, holds and rollbacks read it)."""
    options = config.git_options()
    if dry_run and options.repository == ".":
        return local_root(config_dir), None
    ws = open_checkout(options, workdir, config_dir)
    if not dry_run:
        preflight(ws, options)
    deepen(ws)
    return ws.root, ws


def _plan_and_publish(
    config: Config,
    config_dir: Path,
    workdir: Path,
    make: Callable[[Path], Plan],
    *,
    dry_run: bool,
    verb: str = "",
) -> RunReport:
    root, ws = _workspace(config, config_dir, workdir, dry_run)
    planned = make(root)
    if ws is None or dry_run:
        return planned.report()
    options, stated = config.git_options(), config.stated_references()
    outcomes: list[Outcome] = []
    problems: list[Problem] = []
    if planned.edits:
        envs = config.environment_records()
        outcomes, problems = publish_staged(ws, options, envs, planned.edits, verb, stated=stated)
        problems += [p for o in outcomes for p in o.problems]
    notify = config.notify_options()
    return conclude(ws, options, planned, outcomes, problems, notify=notify, stated=stated)


def promote_to(
    config: Config,
    config_dir: Path,
    workdir: Path,
    *,
    source: str,
    target: str,
    images: Collection[str] | None = None,
    force: bool = False,
    dry_run: bool = False,
    missing_ok: bool = False,
) -> RunReport:
    """Promote into `target` what `source` runs (only `images` when given), subject to soak
    unless `force`; ConfigError when `target` does not promote from `source`. A named image
    with no reference in `target` is a problem, unless `missing_ok`."""
    check_promotion(config, source, target)

    def make(root: Path) -> Plan:
        planned = plan(config, root, images=images, environment=target, force=force)
        seen = {s.image for s in planned.stages}
        missing = [] if missing_ok else missing_images(images, seen, target)
        return replace(planned, problems=(*planned.problems, *missing))

    return _plan_and_publish(config, config_dir, workdir, make, dry_run=dry_run)


def check_promotion(config: Config, source: str, target: str) -> None:
    """ConfigError unless both environments exist and `target` promotes from `source`."""
    env = environment_named(config, target)
    environment_named(config, source)
    if env.source != source:
        raise ConfigError(f"{target} promotes from {env.source or 'the registry'}, not {source}")


def missing_images(images: Collection[str] | None, seen: set[str], target: str) -> list[Problem]:
    """A problem for each named image that has no reference in `target`."""
    return [Problem(i, f"no reference to it in {target}") for i in images or () if i not in seen]


def rollback(
    config: Config,
    config_dir: Path,
    workdir: Path,
    *,
    image: str,
    environment: str,
    to: str | None = None,
    dry_run: bool = False,
) -> RunReport:
    """Roll `image` back in `environment` to its previous version in git (or `to`)."""
    env = environment_named(config, environment)

    def make(root: Path) -> Plan:
        return plan_rollback(config, root, image, env, to)

    return _plan_and_publish(config, config_dir, workdir, make, dry_run=dry_run, verb="roll back")


def release(
    config: Config,
    config_dir: Path,
    workdir: Path,
    *,
    image: str,
    environment: str,
    dry_run: bool = False,
) -> RunReport:
    """Release the holds on `image` in `environment` through `.tagbot/holds.yaml`."""
    env = environment_named(config, environment)
    root, ws = _workspace(config, config_dir, workdir, dry_run)
    held, problems = to_release(config, root, image, env)
    if not held:
        return RunReport(problems=tuple(problems))
    edit = release_edit(root, image, env, held)
    planned = Plan(edits=(edit,), problems=tuple(problems))
    if ws is None or dry_run:
        return planned.report()
    options = replace(config.git_options(), mode=env.mode or config.git_options().mode)
    changes = release_changes(on_disk(edit), image, env, options.branch_prefix)

    def reapply(fresh: Path) -> tuple[FileEdit, ...]:
        again = on_disk(release_edit(fresh, image, env, held))
        return (again,) if again.changed else ()

    try:
        result = provider.publish(ws, options, changes, reapply)
    except (GitError, ProviderError) as exc:
        return planned.report(problems=[Problem(changes.branch, str(exc))])
    return planned.report([result])
