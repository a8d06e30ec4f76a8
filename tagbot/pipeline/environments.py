"""Environments as the plan sees them: which environment owns a reference, what an image
runs there and since when (from git), and which tags are held there."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from tagbot import globs
from tagbot.models import Environment, Field, Occurrence, Tag
from tagbot.pipeline.choose import Chooser, Groups
from tagbot.pipeline.history import Change, History, value_before
from tagbot.pipeline.holds import Hold, HoldsFile


def owner(environments: Sequence[Environment], path: str) -> Environment | None:
    """The first environment whose paths match `path`; None when none does."""
    return next((e for e in environments if globs.match_any(e.paths, path)), None)


def split(environments: Sequence[Environment], groups: Groups) -> tuple[Groups, dict[str, Groups]]:
    """The groups of references outside every environment, and each environment's groups."""
    plain: Groups = {}
    owned: dict[str, Groups] = {e.name: {} for e in environments}
    for name, (spec, occs) in groups.items():
        for occ in occs:
            env = owner(environments, occ.path)
            into = owned[env.name] if env else plain
            into.setdefault(name, (spec, []))[1].append(occ)
    return plain, owned


def tag_field(occ: Occurrence) -> Field | None:
    """The scalar that holds an occurrence's tag (a `tag` field, else the whole `image`)."""
    return next((f for f in occ.fields if f.role == "tag"), None) or next(
        (f for f in occ.fields if f.role == "image"), None
    )


def newer(chooser: Chooser, tag: str, than: str) -> bool:
    """True when the policy would move from `than` to `tag` (newer, and allowed)."""
    return chooser.select(than, [Tag(tag)]).selected == tag


@dataclass
class Place:
    """One image in one environment: its references, the version they all run (None when they
    disagree), since when (the latest commit that put it on any of them; None: unknown), and
    the commits that did."""

    environment: Environment
    occurrences: list[Occurrence]
    runs: tuple[str, str | None] | None
    since: datetime | None
    changes: list[Change] = field(default_factory=list)

    @property
    def shown(self) -> str:
        """What runs, for people: `1.4.2`, or every version when they disagree."""
        if self.runs is not None:
            return self.runs[0]
        return ", ".join(sorted({o.image.tag or "?" for o in self.occurrences if o.image}))


def place(env: Environment, occs: list[Occurrence], history: History) -> Place:
    """What `occs` (one image in `env`) run, and since when according to git."""
    versions = {(o.image.tag or "", o.image.digest) for o in occs if o.image}
    runs = next(iter(versions)) if len(versions) == 1 else None
    times: list[datetime | None] = []
    changes: list[Change] = []
    for occ in occs:
        spot = tag_field(occ)
        tag = occ.image.tag if occ.image else None
        found = history.introduction(occ.path, spot.line, tag) if spot and tag else None
        times.append(found.when if found else None)
        if found is not None:
            changes.append(found)
    since = None if None in times or not times else max(t for t in times if t is not None)
    return Place(env, occs, runs, since, changes)


def holds_on(image: str, where: Place, chooser: Chooser, file: HoldsFile) -> list[Hold]:
    """The holds on `image` in an environment: the file's, and each rollback git shows (the
    commit that put the running tag where a newer one was), unless released. `chooser` is
    the bare policy: it only compares tags."""
    found = list(file.held(image, where.environment.name))
    if where.runs is None:
        return found
    tag = where.runs[0]
    for change in where.changes:
        left = value_before(change, tag)
        if not left or left == tag or not newer(chooser, left, tag):
            continue
        why = f"rolled back from {left} by {change.author} in {change.sha[:7]}"
        hold = Hold(image, where.environment.name, left, why)
        if not file.is_released(hold) and all(h.tag != left for h in found):
            found.append(hold)
    return found


def blocked(chooser: Chooser, tag: str, holds: Sequence[Hold]) -> Hold | None:
    """The hold that keeps `tag` from being proposed: the held tag itself or anything older."""
    return next((h for h in holds if tag == h.tag or not newer(chooser, tag, h.tag)), None)
