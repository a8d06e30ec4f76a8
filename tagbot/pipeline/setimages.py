"""`set`: move every reference to named images to a given version, write the files, and
publish them through the same change sets and providers as `run` (DESIGN.md's CI push mode)."""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from tagbot import provider
from tagbot.editor import textio
from tagbot.editor.identity import UNCERTAIN
from tagbot.errors import ConfigError, EditError
from tagbot.imageref import parse
from tagbot.models import (
    DEFAULT_REGISTRY,
    FileEdit,
    GitOptions,
    ImageRef,
    Occurrence,
    Problem,
    ProposalResult,
    RunReport,
    StatedReference,
    Update,
)
from tagbot.pipeline import workspace
from tagbot.pipeline.edits import edit_text, moved
from tagbot.pipeline.files import Names, discover
from tagbot.pipeline.publishing import publish_edits
from tagbot.pipeline.settings import Publishing

REASON = "set by tagbot set"


@dataclass(frozen=True)
class PlannedFile:
    """One file to rewrite: where it lives on disk, and its edit (paths as reported)."""

    path: Path
    edit: FileEdit


@dataclass(frozen=True)
class SetPlan:
    """What `set` would do: the file edits and the problems met (images nothing matched too)."""

    files: tuple[PlannedFile, ...]
    problems: tuple[Problem, ...]
    unmatched: tuple[ImageRef, ...] = ()

    @property
    def updates(self) -> tuple[Update, ...]:
        """Every update that changes a file, in file order."""
        return tuple(u for f in self.files for u in f.edit.updates)


def parse_targets(args: Sequence[str]) -> tuple[ImageRef, ...]:
    """Parse `IMAGE:TAG[@DIGEST]` arguments; raises InvalidReference or ConfigError (exit 2)."""
    targets: dict[str, ImageRef] = {}
    for arg in args:
        ref = parse(arg)
        if ref.tag is None:
            raise ConfigError(f"{arg!r} has no tag: give IMAGE:TAG[@DIGEST]")
        if ref.name in targets and targets[ref.name] != ref:
            raise ConfigError(f"image {ref.familiar} is given twice with different tags")
        targets[ref.name] = ref
    return tuple(targets.values())


def plan_set(
    targets: Sequence[ImageRef],
    paths: Sequence[Path],
    stated: Sequence[StatedReference] = (),
    names: Names | None = None,
) -> SetPlan:
    """Plan edits moving every rewritable reference to a target image to its tag and digest;
    `stated` rules apply to the files by the `names` discover gives them.

    A Kustomize entry matches on the image it deploys (`newName`, else `name`), as the
    extractor reports it. Files that fail to read or parse are problems and never edited."""
    wanted = {t.name: t for t in targets}
    matched: set[str] = set()
    skipped: Counter[str] = Counter()
    found = discover(paths, stated=stated, names=names)
    files: list[PlannedFile] = []
    problems = list(found.problems)
    for source in found.files:
        updates: list[Update] = []
        for occ in source.occurrences:
            target = wanted.get(occ.image.name) if occ.image else None
            if occ.image is None or target is None:
                continue
            if not occ.rewritable:
                skipped[target.name] += 1
                continue
            matched.add(target.name)
            updates.append(Update(occ, target.tag or "", target.digest, REASON))
        if not updates:
            continue
        edit, refused = edit_text(source.rel, source.text, source.bom, updates)
        problems.extend(refused)
        if edit.changed:
            files.append(PlannedFile(source.path, edit))
    unmatched = tuple(t for t in targets if t.name not in matched)
    uncertain = [o for o in found.occurrences if (o.skip_reason or "").startswith(UNCERTAIN)]
    for target in unmatched:
        extra = f" ({skipped[target.name]} not rewritable)" if skipped[target.name] else ""
        error = f"image {target.familiar} matched no rewritable reference{extra}"
        problems.append(Problem(target.name, error + _maybe(target, uncertain)))
    return SetPlan(tuple(files), tuple(problems), unmatched)


def _maybe(target: ImageRef, uncertain: Sequence[Occurrence]) -> str:
    """A hint naming the references tagbot cannot name that may pull `target`: those whose
    repository path ends its path (a chart-wide registry, maybe with a path, goes before it)."""
    maybe = []
    for occ in uncertain:
        if occ.image is None:
            continue
        own = occ.image.registry == DEFAULT_REGISTRY  # `team/web`: no registry of its own
        path = occ.image.familiar if own else occ.image.repository
        if occ.image.name == target.name or f"/{target.repository}".endswith(f"/{path}"):
            maybe.append(occ)
    if not maybe:
        return ""
    first = maybe[0]
    more = f" and {len(maybe) - 1} more" if len(maybe) > 1 else ""
    return (
        f"; {first.path}:{first.line}{more} may be it ({first.skip_reason}): state the image "
        "with a `references:` rule and pass --config"
    )


def write(plan: SetPlan) -> tuple[tuple[PlannedFile, ...], tuple[Problem, ...]]:
    """Write each planned file atomically, unless it changed on disk since it was read; the
    files written, and a problem for each one that was not."""
    written: list[PlannedFile] = []
    problems: list[Problem] = []
    for planned in plan.files:
        edit = planned.edit
        try:
            current = textio.read(planned.path)
            if current.text != edit.before or current.bom != edit.bom:
                problems.append(
                    Problem(edit.path, "changed on disk since it was read; not written")
                )
                continue
            textio.write_atomic(planned.path, textio.SourceText(edit.after, edit.bom))
        except (EditError, OSError) as exc:
            problems.append(Problem(edit.path, f"cannot write: {exc}"))
            continue
        written.append(planned)
    return tuple(written), tuple(problems)


def publish_set(
    plan: SetPlan,
    ws: provider.Workspace,
    options: GitOptions,
    stated: Sequence[StatedReference] = (),
) -> RunReport:
    """Commit and push (push mode) or propose (pull-request mode) the edits of `plan` from the
    checkout `ws`; one change set per image unless the config groups them all."""
    root = ws.root.resolve()
    edits: list[FileEdit] = []
    problems: list[Problem] = []
    for planned in plan.files:
        try:
            rel = planned.path.resolve().relative_to(root).as_posix()
        except ValueError:
            problems.append(
                Problem(planned.edit.path, f"outside the checkout {root}; not published")
            )
            continue
        edits.append(moved(planned.edit, rel))
    _, proposals, failed = publish_edits(ws, options, edits, any_version=True, stated=stated)
    return report_of(plan, proposals=proposals, problems=[*problems, *failed])


def open_checkout(how: Publishing, workdir: Path) -> provider.Workspace:
    """The checkout `set` publishes from, checked before any file is written: a checkout
    without `origin`, or a forge mode without a token or project, is a setup error (exit 2)."""
    ws = workspace.open_checkout(how.options, workdir, how.start)
    provider.preflight(ws, how.options)
    return ws


def report_of(
    plan: SetPlan,
    proposals: Sequence[ProposalResult] = (),
    problems: Sequence[Problem] = (),
) -> RunReport:
    """The report of a `set`: its updates and edits, what publishing did, every problem."""
    edits = tuple(f.edit for f in plan.files)
    return RunReport(
        updates=plan.updates,
        edits=edits,
        proposals=tuple(proposals),
        problems=(*plan.problems, *problems),
    )


def set_images(
    targets: Sequence[ImageRef],
    paths: Sequence[Path],
    *,
    write_files: bool = True,
    publishing: Publishing | None = None,
    stated: Sequence[StatedReference] = (),
    names: Names | None = None,
) -> RunReport:
    """Set each target image's version in every reference under `paths`: write the files
    (unless `write_files` is False: a dry run, or a PR that leaves the checkout alone), then
    publish them when `publishing` says how. `stated`: the config's `references` rules, for
    the files `names` names (`repository_names`)."""
    if publishing is None:
        return report_of(_planned(targets, paths, write_files, (stated, names)))
    with tempfile.TemporaryDirectory(prefix="tagbot-") as work:
        ws = open_checkout(publishing, Path(work))
        planned = _planned(targets, paths, write_files, (stated, names))
        if not planned.files:
            return report_of(planned)
        return publish_set(planned, ws, publishing.options, stated)


def _planned(
    targets: Sequence[ImageRef],
    paths: Sequence[Path],
    write_files: bool,
    rules: tuple[Sequence[StatedReference], Names | None],
) -> SetPlan:
    planned = plan_set(targets, paths, *rules)
    if not write_files:
        return planned
    written, failed = write(planned)
    return replace(planned, files=written, problems=(*planned.problems, *failed))
