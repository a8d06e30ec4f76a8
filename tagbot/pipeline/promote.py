"""`promote`: `tagbot set`'s push mode for a config repository, as `tagbot serve`'s exact CI
endpoint uses it: every reference to the named images moves to the named tag, once the
registry shows that tag (and digest) exists; published as the config's `git:` says."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tagbot.errors import RegistryError
from tagbot.models import ImageRef, Problem, RunReport
from tagbot.pipeline.announce import announce
from tagbot.pipeline.approvals import preflight, publish_routed
from tagbot.pipeline.edits import moved
from tagbot.pipeline.setimages import plan_set, report_of
from tagbot.pipeline.workspace import open_checkout

if TYPE_CHECKING:
    from tagbot.config import Config


def in_registry(
    config: Config, targets: Sequence[ImageRef]
) -> tuple[list[ImageRef], list[Problem]]:
    """The targets whose tag the registry lists (and whose digest, when given, it serves);
    a problem for each other one: a CI call is trusted with nothing the registry does not show."""
    from tagbot.scanner import Scanner

    found: list[ImageRef] = []
    problems: list[Problem] = []
    with Scanner(config.registry_options()) as scanner:
        for target in targets:
            tag = target.tag or ""
            try:
                if tag not in scanner.list_tags(target).names:
                    problems.append(Problem(target.name, f"the registry has no tag {tag!r}"))
                    continue
                if target.digest and scanner.get_digest(target, tag) != target.digest:
                    error = f"the registry serves another digest for {tag!r}"
                    problems.append(Problem(target.name, error))
                    continue
            except RegistryError as exc:
                problems.append(Problem(target.name, str(exc), exc.transient))
                continue
            found.append(target)
    return found, problems


def promote(
    config: Config, config_dir: Path, workdir: Path, targets: Sequence[ImageRef]
) -> RunReport:
    """Move every reference to each target image (in the files the config includes) to its
    tag and digest, and publish; images the registry does not show are problems."""
    options = config.git_options()
    ws = open_checkout(options, workdir, config_dir)
    preflight(ws, options)
    found, problems = in_registry(config, targets)
    planned = plan_set(found, [ws.root])
    root = ws.root.resolve()
    files = [
        replace(f, edit=moved(f.edit, rel))
        for f in planned.files
        if config.wants(rel := f.path.resolve().relative_to(root).as_posix())
    ]
    planned = replace(planned, files=tuple(files))
    edits = [f.edit for f in files]
    outcomes, routed = publish_routed(ws, options, edits, any_version=True)
    proposals = [o.result for o in outcomes if o.result is not None]
    problems += routed + [p for o in outcomes for p in o.problems]
    problems += announce(config.notify_options(), outcomes, problems)
    return report_of(planned, proposals, problems)
