"""The pipeline: scan files -> list tags once per image -> select -> edit -> plan -> publish."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from tagbot import editor, policy, progress, provider, publish
from tagbot.config import Config
from tagbot.decide import decide_image
from tagbot.editor import textio
from tagbot.errors import GitError, ProviderError, RegistryError
from tagbot.models import (
    FileEdit,
    Occurrence,
    PolicySpec,
    Problem,
    RegistryOptions,
    RunReport,
    Update,
)
from tagbot.planner import Templates
from tagbot.scanner import Scanner

log = logging.getLogger("tagbot.run")
Wants = Callable[[str], bool]
SpecFor = Callable[[Occurrence], PolicySpec | None]


@dataclass
class Discovery:
    """What a walk over the config repo found: references, file problems and file texts."""

    occurrences: list[Occurrence] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sources: dict[str, textio.SourceText] = field(default_factory=dict)


def discover(root: Path, wants: Wants | None = None) -> Discovery:
    """Read and extract every YAML file under `root` that `wants` accepts."""
    found = Discovery()
    for path, rel, skip in editor.iter_files([root]):
        if wants is not None and not wants(rel):
            continue
        if skip is not None:
            continue
        try:
            source = textio.read(path)
        except Exception as exc:  # an unreadable file is a skip, not a failure of the run
            log.info("skipped file", extra={"file": rel, "reason": str(exc)})
            continue
        result = editor.extract(rel, source.text)
        if result.problem is not None:
            found.problems.append(result.problem)
            continue
        if result.occurrences:
            found.sources[rel] = source
            found.occurrences.extend(result.occurrences)
    return found


def in_shard(name: str, shard: tuple[int, int] | None) -> bool:
    """True when an image belongs to shard `index/count` (stable crc32 of its name)."""
    if shard is None:
        return True
    index, count = shard
    return zlib.crc32(name.encode()) % count == index


def group_by_image(
    occurrences: Sequence[Occurrence], spec_for: SpecFor, shard: tuple[int, int] | None
) -> dict[str, tuple[PolicySpec, list[Occurrence]]]:
    """Rewritable occurrences that a policy governs, by normalised image name."""
    groups: dict[str, tuple[PolicySpec, list[Occurrence]]] = {}
    for occ in occurrences:
        if not occ.rewritable or occ.image is None or not in_shard(occ.image.name, shard):
            continue
        spec = spec_for(occ)
        if spec is None:
            continue
        groups.setdefault(occ.image.name, (spec, []))[1].append(occ)
    return groups


def decide(
    groups: dict[str, tuple[PolicySpec, list[Occurrence]]], scanner: Scanner
) -> tuple[list[Update], list[Problem]]:
    """List each image's tags once, ask its policy, and turn choices into Updates."""
    updates: list[Update] = []
    problems: list[Problem] = []
    listed = scanner.list_many([occs[0].image for _, occs in groups.values() if occs[0].image])
    for name, (spec, occs) in sorted(groups.items()):
        tags = listed.get(name)
        if isinstance(tags, RegistryError) or tags is None:
            error = str(tags) if tags is not None else "not listed"
            transient = bool(getattr(tags, "transient", False))
            problems.append(Problem(name, error, transient))
            continue
        try:
            updates += decide_image(spec, policy.build(spec), occs, tags, scanner)
        except RegistryError as exc:
            problems.append(Problem(name, str(exc), exc.transient))
    return updates, problems


def edit_files(
    updates: Sequence[Update], texts: dict[str, str]
) -> tuple[list[FileEdit], list[Problem]]:
    """Apply updates file by file; a refused update is a problem, the rest still apply."""
    by_file: dict[str, list[Update]] = {}
    for update in updates:
        by_file.setdefault(update.occurrence.path, []).append(update)
    edits: list[FileEdit] = []
    problems: list[Problem] = []
    for path, members in sorted(by_file.items()):
        applied = editor.apply(path, texts[path], members)
        problems.extend(applied.refused)
        if applied.edit.changed:
            edits.append(applied.edit)
    return edits, problems


def plan(
    root: Path,
    spec_for: SpecFor,
    registries: Sequence[RegistryOptions],
    *,
    wants: Wants | None = None,
    shard: tuple[int, int] | None = None,
) -> tuple[RunReport, Discovery]:
    """Find references under `root`, decide their updates and compute the file edits."""
    progress.stage("reading files")
    found = discover(root, wants)
    groups = group_by_image(found.occurrences, spec_for, shard)
    progress.stage(f"listing tags of {len(groups)} images")
    with Scanner(registries) as scanner:
        updates, problems = decide(groups, scanner)
        log.info("registry requests", extra={"requests": scanner.request_count})
    progress.stage(f"editing files for {len(updates)} updates")
    texts = {path: source.text for path, source in found.sources.items()}
    edits, refused = edit_files(updates, texts)
    applied = tuple(u for e in edits for u in e.updates)
    report = RunReport(
        references=tuple(found.occurrences),
        updates=applied,
        edits=tuple(edits),
        problems=(*found.problems, *problems, *refused),
    )
    return report, found


def plan_config(
    config: Config, root: Path, shard: tuple[int, int] | None = None
) -> tuple[RunReport, Discovery]:
    """`plan` with everything taken from a loaded config."""
    return plan(
        root,
        lambda occ: config.policy_for(occ.image) if occ.image else None,
        config.registry_options(),
        wants=config.wants,
        shard=shard,
    )


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
) -> RunReport:
    """Plan in the workspace (the local checkout, or a clone in `workdir`), then publish."""
    options = config.git_options()
    if dry_run and options.repository == ".":
        # A plan of the local files needs no git: no fetch, no network, works offline or
        # in a plain copy of the config repo.
        return plan_config(config, local_root(config_dir), shard)[0]
    ws = provider.open_workspace(options, workdir, cwd=config_dir)
    if not dry_run:
        provider.preflight(ws, options)
    report, found = plan_config(config, ws.root, shard)
    if dry_run or not report.updates:
        return report
    git = config.git
    title = git.pr_title if options.mode == "pull-request" and git.pr_title else git.commit_message
    templates = Templates(title=title, body=git.pr_body)
    texts = {path: source.text for path, source in found.sources.items()}
    sets = publish.changesets(report.updates, texts, options, git.grouping, templates)
    boms = {path: source.bom for path, source in found.sources.items()}
    progress.stage(f"publishing {len(sets)} change sets")
    proposals, problems = publish.publish_all(ws, options, sets, boms)
    branches = {s.branch for s in sets}
    if branches <= {p.branch for p in proposals}:  # close old PRs only once the new ones exist
        stale = publish.superseded(report.updates, git.grouping, options, whole_run=shard is None)
        try:
            provider.close_superseded(ws, options, stale - branches)
        except (GitError, ProviderError) as exc:
            problems.append(Problem("close superseded", str(exc)))
    return replace(report, proposals=tuple(proposals), problems=(*report.problems, *problems))
