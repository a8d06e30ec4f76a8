"""Planning: find references, choose their updates, and compute the file edits, once."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tagbot import progress
from tagbot.models import (
    FileEdit,
    Occurrence,
    Problem,
    ProposalResult,
    Rejection,
    RunReport,
    Stage,
    Update,
)
from tagbot.pipeline.choose import choose, governing, group_by_image
from tagbot.pipeline.edits import edit_files
from tagbot.pipeline.files import Discovery, Found, discover
from tagbot.pipeline.holds import Held
from tagbot.pipeline.staged import choose_staged
from tagbot.pipeline.stated import unused
from tagbot.provider import prnotes
from tagbot.provider.prbody import ImageNotes
from tagbot.report.console import plural

if TYPE_CHECKING:
    from tagbot.config import Config
    from tagbot.scanner import Scanner

log = logging.getLogger("tagbot.pipeline")


@dataclass(frozen=True)
class Plan:
    """What a run would change: the references found, the updates chosen, the file edits
    (with their BOM) that dry run, plan output and publishing all use, and the problems."""

    references: tuple[Occurrence, ...] = ()
    updates: tuple[Update, ...] = ()
    edits: tuple[FileEdit, ...] = ()
    problems: tuple[Problem, ...] = ()
    notes: Mapping[str, ImageNotes] = field(default_factory=dict)  # PR body notes, by image
    stages: tuple[Stage, ...] = ()  # per image and environment, when `environments:` is set
    held: tuple[Held, ...] = ()  # the images held in an environment (closing held PRs)

    def report(
        self, proposals: Sequence[ProposalResult] = (), problems: Sequence[Problem] = ()
    ) -> RunReport:
        """The run's report: this plan, what publishing did, and its problems after the plan's."""
        return RunReport(
            references=self.references,
            updates=self.updates,
            edits=self.edits,
            proposals=tuple(proposals),
            problems=(*self.problems, *problems),
            stages=self.stages,
        )


def edit_plan(
    found: Discovery,
    updates: Sequence[Update],
    problems: Sequence[Problem],
    stages: Sequence[Stage] = (),
) -> Plan:
    """The plan of `updates` to the files `found`: the edits, and the updates that applied."""
    progress.stage(f"editing files for {plural(len(updates), 'update')}")
    texts = {f.rel: (f.text, f.bom) for f in found.files}
    edits, refused = edit_files(updates, texts)
    return Plan(
        references=tuple(found.occurrences),
        updates=tuple(u for e in edits for u in e.updates),
        edits=tuple(edits),
        problems=(*found.problems, *problems, *refused),
        stages=tuple(stages),
    )


def plan(
    config: Config,
    root: Path,
    *,
    images: Collection[str] | None = None,
    shard: tuple[int, int] | None = None,
    until: float | None = None,
    notes: bool = False,
    environment: str | None = None,
    force: bool = False,
) -> Plan:
    """Plan the updates the config's policies allow for the references under `root`; only
    for the images named in `images` (normalised names) when given, and those of the shard.
    `until` (a `time.monotonic()` value) ends registry work: images not done by then are
    transient problems, and the plan holds what was done. With `notes`, each image that
    moves gets what its PR body shows (OCI labels, rejected tags): PR mode asks for them.
    With `environments:`, promotions too (pipeline/staged.py); only into `environment` when
    given, `force` skipping soak."""
    from tagbot.scanner import Scanner  # httpx costs ~100 ms: `scan` imports this module too

    only = frozenset(images) if images is not None else None
    rejected: dict[str, tuple[Rejection, ...]] = {}
    with Scanner(config.registry_options(), deadline=until) as scanner:
        progress.stage("reading files")
        stated = config.stated_references()
        ahead = _prefetch(config, scanner, shard, only)
        found = discover([root], config.wants, stated, on_found=ahead, idle=scanner.idle)
        found.problems.extend(unused(stated, found.rule_use))  # a rule matching nothing: a note
        groups = group_by_image(found.occurrences, config.spec_for, shard, only)
        progress.stage(f"listing tags of {plural(len(groups), 'image')}")
        wanted = rejected if notes else None  # rejection records only for PR bodies
        stages: list[Stage] = []
        held: list[Held] = []
        if config.environments:
            envs = config.environment_records()
            staged = choose_staged(
                envs, groups, root, scanner, only=environment, force=force, rejected=wanted
            )
            updates, problems, stages = staged.updates, staged.problems, staged.stages
            held = staged.held
        else:
            updates, problems = choose(groups, scanner, wanted)
        gathered = prnotes.gather(updates, scanner.get_labels, rejected) if notes else {}
        log.info("registry requests", extra={"requests": scanner.request_count})
    return replace(edit_plan(found, updates, problems, stages), notes=gathered, held=tuple(held))


def _prefetch(
    config: Config, scanner: Scanner, shard: tuple[int, int] | None, only: frozenset[str] | None
) -> Found | None:
    """Start listing each image the plan will choose for as soon as a file names it, so the
    registry's round trips overlap the parsing of the files that follow. Environments list
    only what their first stage follows: they are left to `choose_staged`."""
    if config.environments:
        return None

    def found(occurrences: Sequence[Occurrence]) -> None:
        for occ in occurrences:
            if occ.image is not None and governing(occ, config.spec_for, shard, only):
                scanner.prefetch(occ.image)

    return found
