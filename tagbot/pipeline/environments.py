"""Environments as the plan sees them: which environment owns a reference, what an image
runs there and since when (from git), and which tags are held there."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from tagbot import editor, globs
from tagbot.models import Environment, Field, Occurrence, Tag
from tagbot.pipeline.choose import Chooser, Groups
from tagbot.pipeline.history import Change, History, holds_value, value_before
from tagbot.pipeline.holds import Hold, HoldsFile

HOLD_WINDOW = 10  # commits of a line read back for a rollback that hand edits came after


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
    refs: list[Occurrence] = field(default_factory=list)  # the reference of each change
    history: History | None = None  # to look further back for a rollback (holds_on)

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
    refs: list[Occurrence] = []
    for occ in occs:
        spot = tag_field(occ)
        tag = occ.image.tag if occ.image else None
        found = history.introduction(occ.path, spot.line, tag) if spot and tag else None
        times.append(pinned_since(occ, history, found.when) if found else None)
        if found is not None and spot is not None:
            changes.append(found)
            refs.append(occ)
    since = None if None in times or not times else max(t for t in times if t is not None)
    return Place(env, occs, runs, since, changes, refs, history)


def pinned_since(occ: Occurrence, history: History, tag_since: datetime) -> datetime:
    """Since when `occ` runs its exact image: a pinned digest that changed after the tag (the
    tag rebuilt, the new digest pinned) restarts the clock; else when the tag came."""
    digest = occ.image.digest if occ.image else None
    spot = next((f for f in occ.fields if f.role == "digest"), None) or tag_field(occ)
    if digest is None or spot is None:
        return tag_since
    found = history.introduction(occ.path, spot.line, digest)
    return max(tag_since, found.when) if found else tag_since


def holds_on(image: str, where: Place, chooser: Chooser, file: HoldsFile) -> list[Hold]:
    """The holds on `image` in an environment: the file's, and each rollback git shows (the
    commit that put the running tag where a newer one was), unless released. `chooser` is
    the bare policy: it only compares tags."""
    found = list(file.held(image, where.environment.name))
    if where.runs is None:
        return found
    tag = where.runs[0]
    for change, ref in zip(where.changes, where.refs, strict=False):
        rollback = rolled_back(change, ref, tag, chooser, where.history)
        if rollback is None:
            continue
        change, left = rollback
        why = f"rolled back from {left} by {change.author} in {change.sha[:7]}"
        hold = Hold(image, where.environment.name, left, why)
        if not file.is_released(hold) and all(h.tag != left for h in found):
            found.append(hold)
    return found


def rolled_back(
    change: Change, ref: Occurrence, tag: str, chooser: Chooser, history: History | None
) -> tuple[Change, str] | None:
    """The latest rollback of the line that `change` (which put `tag` there) came after, and
    the tag it left, when that tag is newer than `tag`: the change itself, or one a few commits
    back when people raised the line by hand since, still below the rolled-back tag (a hot fix
    after a rollback must not lift the hold). None when there is none, or it no longer matters."""
    left = value_before(change, tag)
    if not left or left == tag:
        return None
    if newer(chooser, left, tag):
        return (change, left) if same_image(history, change, ref) else None
    spot = tag_field(ref)
    if history is None or spot is None:
        return None
    window = history.changes(ref.path, spot.line, HOLD_WINDOW)
    shas = [c.sha for c in window]
    if change.sha not in shas:
        return None
    value = left
    for older in window[shas.index(change.sha) + 1 :]:
        before = value_before(older, value) if holds_value(older.after, value) else None
        if not before:
            return None
        if before == value:
            continue
        if newer(chooser, before, value):  # the latest lowering: it holds if it still matters
            held = newer(chooser, before, tag) and same_image(history, older, ref)
            return (older, before) if held else None
        value = before
    return None


def same_image(history: History | None, change: Change, ref: Occurrence) -> bool:
    """False when the reference named another image before `change` (a values file moved from
    valkey 8.0 to redis 7.0 lowers no tag); True when it named `ref`'s image, or git cannot say."""
    text = history.before(change, ref.path) if history is not None else None
    if text is None or ref.image is None:
        return True
    for old in editor.extract(ref.path, text).occurrences:
        if old.locator == ref.locator:
            return old.image is not None and old.image.name == ref.image.name
    return False


def blocked(chooser: Chooser, tag: str, holds: Sequence[Hold]) -> Hold | None:
    """The hold that keeps `tag` from being proposed: the held tag itself or anything older
    (only the tag itself for an `exact` hold, one the source environment holds)."""
    return next(
        (h for h in holds if tag == h.tag or not (h.exact or newer(chooser, tag, h.tag))), None
    )
