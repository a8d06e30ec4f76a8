"""Version policies (semver, calver, numerical, alphabetical): screen, read, compare, pick."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from tagbot.models import Rejection, Selection, Tag
from tagbot.policy import reasons
from tagbot.policy.base import Needs, reject_all
from tagbot.policy.ordered import Order
from tagbot.policy.ranges import Range
from tagbot.policy.screen import Screen
from tagbot.policy.versions import Version, epoch, natural

# (name, rejection reason or None, version when readable): a listed tag as the screen and
# the order see it, which does not depend on the current tag.
Reading = tuple[str, str | None, Version | None]


class RankedPolicy:
    """Pick the newest tag in the current tag's family, inside the range, never a downgrade."""

    needs: Needs = "tags"

    def __init__(
        self, order: Order, screen: Screen, range_: Range | None, prerelease: bool
    ) -> None:
        self.order = order
        self.screen = screen
        self.range = range_
        self.prerelease = prerelease
        # The last listing read, and its readings: the pipeline asks once per distinct current
        # tag of an image with the same listing (decide.py), 7 times per image in the scale
        # bench, and reading 200 tags costs more than judging them.
        self._listing: Sequence[Tag] | None = None
        self._readings: list[Reading] | None = None
        self._epoch = -1
        # Per (family, precision, pre-releases allowed) of a current tag, the kept listing's
        # tags of that family: the current tags of one image mostly share a few families.
        self._families: dict[tuple[Any, int, bool], list[tuple[str, Version, bool]]] = {}

    def _current(self, current: str) -> tuple[Version | None, str]:
        """The current tag read in this order (through the filter), or None and why not."""
        value = self.screen.value(current)
        if value is None:
            return None, f"current tag {current} is not matched by filter"
        why = f"current tag {current} is {self.order.unreadable} in {self.order.name} order"
        return self.order.parse(value), why

    def _judge(self, version: Version, base: Version | None, pre_ok: bool) -> str | None:
        """Why `version` cannot replace `base` (None: no current tag), or None when it can."""
        if base is None:
            if not self.order.plain(version.family):
                return reasons.OTHER_FAMILY
        elif version.family != base.family:
            return reasons.OTHER_FAMILY
        elif version.precision != base.precision:
            if version.prerelease:
                # `7.4-rc2` beside `7.2.3` is a pre-release first; it is never a floating alias.
                return reasons.PRERELEASE if not pre_ok else reasons.OTHER_FAMILY
            # Fewer parts (`1.25` beside `1.25.3`) is a floating alias; more is another family.
            fewer = version.precision < base.precision
            return reasons.ALIAS if fewer else reasons.OTHER_FAMILY
        if version.prerelease and not pre_ok:
            return reasons.PRERELEASE
        range_, core = self.range, version.core
        if range_ is not None and core is not None and not range_.contains(core, version.pre):
            return reasons.OUTSIDE_RANGE
        if base is not None:
            if version.key < base.key:
                return reasons.OLDER
            if version.key == base.key:
                return reasons.SAME
        return None

    def _read(self, tags: Sequence[Tag], keep: bool = False) -> Iterable[Reading]:
        """Each listed tag once (first listing wins), screened and read in this order.

        Kept from the second select over the same listing on, or from the first with `keep`
        (the pipeline's quiet selects, asked once per distinct current tag): keeping them after
        a single select would only feed the garbage collector (10,000 tags: +20 ms,
        policy_bench.py). Only a tuple (a TagList's) is the same listing when it is the same
        object.
        """
        if keep and tags is not self._listing:
            self._listing, self._epoch, self._readings = tags, epoch(), None
        if tags is self._listing and self._epoch == epoch() and isinstance(tags, tuple):
            if self._readings is None:
                self._readings, self._families = list(self._readings_of(tags)), {}
            return self._readings
        self._listing, self._epoch, self._readings = tags, epoch(), None
        return self._readings_of(tags)

    def _readings_of(self, tags: Sequence[Tag]) -> Iterator[Reading]:
        seen: set[str] = set()
        check, parse, unreadable = self.screen.check, self.order.parse, self.order.unreadable
        for tag in tags:
            name = tag.name
            if name in seen:
                continue
            seen.add(name)
            reason, value = check(name)
            version = None
            if reason is None:
                version = parse(value)
                if version is None:
                    reason = unreadable
            yield name, reason, version

    def select(
        self,
        current: str | None,
        tags: Sequence[Tag],
        current_digest: str | None = None,
        *,
        explain: bool = True,
    ) -> Selection:
        """The newest eligible tag, or None with the reason the current tag stays; with
        `explain=False` no Rejection is built (the pipeline: ~10 per tag and reference)."""
        base = None
        if current is not None:
            base, why = self._current(current)
            if base is None:
                return reject_all(current, tags, reasons.CURRENT_UNKNOWN, why, explain=explain)
        if not explain:
            return self._pick(current, tags, base)
        rejected: list[Rejection | None] = []  # None: a candidate, decided once the pick is known
        candidates: list[tuple[int, str, Version]] = []
        best: tuple[str, Version] | None = None
        in_family = 0
        judge_ = self._judge
        pre_ok = self.prerelease or (base is not None and base.prerelease)
        elsewhere = (reasons.OTHER_FAMILY, reasons.ALIAS)
        # One plain loop: 10,000 tags must stay well under 50 ms (bench/policy_bench.py).
        for name, reason, version in self._read(tags):
            if name == current:
                continue
            if version is not None and reason is None:
                reason = judge_(version, base, pre_ok)
                in_family += reason not in elsewhere
                if reason is None:
                    candidates.append((len(rejected), name, version))
                    if best is None or _beats(name, version, best):
                        best = (name, version)
            rejected.append(Rejection(name, reason) if reason is not None else None)
        for index, name, version in candidates:
            rejected[index] = _loser(name, version, best)
        kept = tuple(r for r in rejected if r is not None)
        why = self._why(current, base, best, in_family)
        if best is None and current is None and self.range is not None:
            outside = sum(r.reason == reasons.OUTSIDE_RANGE for r in kept)
            if outside:
                tags_ = "tag" if outside == 1 else "tags"
                why = f"no tag in range {self.range.text} ({outside} {self.order.name} {tags_} outside it); {why}"
        return Selection(best[0] if best else None, why, kept)

    def _pick(self, current: str | None, tags: Sequence[Tag], base: Version | None) -> Selection:
        """`select` without rejection records: the same pick and the same reason."""
        best: tuple[str, Version] | None = None
        in_family = outside = 0
        judge_ = self._judge
        pre_ok = self.prerelease or (base is not None and base.prerelease)
        elsewhere = (reasons.OTHER_FAMILY, reasons.ALIAS)
        readings = self._read(tags, keep=True)
        if base is not None and readings is self._readings:
            return self._pick_in_family(current, base, pre_ok, readings)
        for name, reason, version in readings:
            if name == current:
                continue
            if version is not None and reason is None:
                reason = judge_(version, base, pre_ok)
                in_family += reason not in elsewhere
                if reason is None and (best is None or _beats(name, version, best)):
                    best = (name, version)
            outside += reason == reasons.OUTSIDE_RANGE
        why = self._why(current, base, best, in_family)
        if best is None and current is None and self.range is not None and outside:
            tags_ = "tag" if outside == 1 else "tags"
            why = f"no tag in range {self.range.text} ({outside} {self.order.name} {tags_} outside it); {why}"
        return Selection(best[0] if best else None, why)

    def _pick_in_family(
        self, current: str | None, base: Version, pre_ok: bool, readings: list[Reading]
    ) -> Selection:
        """`_pick` over the kept listing: only the tags of the current tag's family are judged
        again, by age (the family, parts, pre-release and range checks are kept per family)."""
        key = (base.family, base.precision, pre_ok)
        family = self._families.get(key)
        if family is None:
            family = self._families[key] = self._family(readings, base, pre_ok)
        best: tuple[str, Version] | None = None
        in_family = 0
        for name, version, eligible in family:
            if name == current:
                continue
            in_family += 1
            if (
                eligible
                and version.key > base.key
                and (best is None or _beats(name, version, best))
            ):
                best = (name, version)
        return Selection(best[0] if best else None, self._why(current, base, best, in_family))

    def _family(
        self, readings: list[Reading], base: Version, pre_ok: bool
    ) -> list[tuple[str, Version, bool]]:
        """The readable tags in `base`'s family (not another family nor an alias), each with
        whether it is eligible but for its age (a pre-release or out of range is not)."""
        by_age = (None, reasons.OLDER, reasons.SAME)
        elsewhere = (reasons.OTHER_FAMILY, reasons.ALIAS)
        found = []
        for name, reason, version in readings:
            if version is None or reason is not None:
                continue
            why = self._judge(version, base, pre_ok)
            if why not in elsewhere:
                found.append((name, version, why in by_age))
        return found

    def _why(
        self,
        current: str | None,
        base: Version | None,
        best: tuple[str, Version] | None,
        in_family: int,
    ) -> str:
        """The reason for the whole selection, naming the family and the range."""
        family = f"family {base.family.describe(base.precision)}" if base else "plain tags"
        limits = family + (f", range {self.range.text}" if self.range else "")
        if self.screen.filter is not None:
            limits += f", filter {self.screen.filter.pattern}"
        if best is not None:
            return f"newest {self.order.name} tag in {limits}"
        if current is None:
            return f"no {self.order.name} tag among {limits}"
        if in_family == 0:
            return f"no candidate in {family}"
        return f"already newest in {limits}"


def _beats(name: str, version: Version, best: tuple[str, Version]) -> bool:
    """True when (name, version) outranks the best so far."""
    if version.key != best[1].key:
        return bool(version.key > best[1].key)
    return natural(name) > natural(best[0])


def _loser(name: str, version: Version, best: tuple[str, Version] | None) -> Rejection | None:
    """Why an eligible tag lost (None for the pick itself).

    With no current tag, `1.25` beside the chosen `1.25.4` is a floating alias.
    """
    if best is None or name == best[0]:
        return None
    fewer = version.precision < best[1].precision
    return Rejection(name, reasons.ALIAS if fewer else reasons.NOT_NEWEST)
