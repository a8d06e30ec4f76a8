"""`tagbot set` as a library: find the references to given images, plan the edits, write them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tagbot.editor import textio
from tagbot.editor.apply import apply
from tagbot.editor.extract import extract
from tagbot.editor.walk import iter_files
from tagbot.errors import ConfigError, EditError
from tagbot.imageref import parse
from tagbot.models import FileEdit, ImageRef, Problem, Update

REASON = "set by tagbot set"


@dataclass(frozen=True)
class PlannedFile:
    """One file to rewrite: where it lives, whether it had a BOM, and its edit."""

    path: Path
    bom: bool
    edit: FileEdit


@dataclass(frozen=True)
class SetPlan:
    """What `set` would do: the file edits, the problems met, and the images nothing matched."""

    files: tuple[PlannedFile, ...]
    problems: tuple[Problem, ...]
    unmatched: tuple[ImageRef, ...]

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


def plan_set(targets: Sequence[ImageRef], paths: Iterable[Path]) -> SetPlan:
    """Plan edits moving every rewritable reference to a target image to its tag and digest.

    A Kustomize entry matches on the image it deploys (`newName`, else `name`), as the
    extractor reports it. Files that fail to read or parse become problems and are never edited.
    """
    wanted = {(t.registry, t.repository): t for t in targets}
    matched: set[tuple[str, str]] = set()
    skipped: Counter[tuple[str, str]] = Counter()
    files: list[PlannedFile] = []
    problems: list[Problem] = []
    for path, rel, skip in iter_files(list(paths)):
        if skip is not None:
            continue
        try:
            source = textio.read(path)
        except (EditError, OSError) as exc:
            problems.append(Problem(rel, f"cannot read: {exc}"))
            continue
        result = extract(rel, source.text)
        if result.problem is not None:
            problems.append(result.problem)
            continue
        updates: list[Update] = []
        for occ in result.occurrences:
            key = (occ.image.registry, occ.image.repository) if occ.image else None
            target = wanted.get(key) if key else None
            if key is None or target is None:
                continue
            if not occ.rewritable:
                skipped[key] += 1
                continue
            matched.add(key)
            updates.append(Update(occ, target.tag or "", target.digest, REASON))
        if not updates:
            continue
        applied = apply(rel, source.text, updates)
        problems.extend(applied.refused)
        if applied.edit.changed:
            files.append(PlannedFile(path, source.bom, applied.edit))
    unmatched = tuple(t for t in targets if (t.registry, t.repository) not in matched)
    for target in unmatched:
        count = skipped[(target.registry, target.repository)]
        extra = f" ({count} not rewritable)" if count else ""
        problems.append(
            Problem(target.name, f"image {target.familiar} matched no rewritable reference{extra}")
        )
    return SetPlan(tuple(files), tuple(problems), unmatched)


def write(plan: SetPlan) -> tuple[tuple[PlannedFile, ...], tuple[Problem, ...]]:
    """Write each planned file atomically, unless it changed on disk since it was read."""
    written: list[PlannedFile] = []
    problems: list[Problem] = []
    for planned in plan.files:
        where = planned.edit.path
        try:
            current = textio.read(planned.path)
            if current.text != planned.edit.before or current.bom != planned.bom:
                problems.append(Problem(where, "changed on disk since it was read; not written"))
                continue
            textio.write_atomic(planned.path, textio.SourceText(planned.edit.after, planned.bom))
        except (EditError, OSError) as exc:
            problems.append(Problem(where, f"cannot write: {exc}"))
            continue
        written.append(planned)
    return tuple(written), tuple(problems)
