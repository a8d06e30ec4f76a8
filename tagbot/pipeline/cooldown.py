"""`min_age`: never pick a tag pushed less than that long ago. Ages come from the registry
vendor's push-time API (Docker Hub, Quay, Harbor, GitHub packages) when one applies and knows
the tag, else from the image config's `created`; they are fetched only for the tags that could
win, newest first, stopping at the first old enough. Each explanation names its source."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tagbot import durations
from tagbot.models import ImageRef, Problem, Rejection, Selection, Tag, TagTime

if TYPE_CHECKING:
    from tagbot.pipeline.choose import Chooser, DigestSource
    from tagbot.policy import Needs

# Reproducible builds (ko, Bazel, Nix, SOURCE_DATE_EPOCH=0) write 1970 or 1980: not an age.
_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
UNKNOWN = "age unknown: the registry gives no push time and the image config no `created`"
CREATED = "image created"  # the source of a time from the image config (or the listing)


class AgedChooser:
    """A policy with a cooldown: asks the policy, and while its pick is too new (or of
    unknown age) sets that tag aside and asks again. `waiting` holds the tags set aside."""

    def __init__(
        self,
        chooser: Chooser,
        min_age: timedelta,
        image: ImageRef,
        source: DigestSource,
        now: datetime | None = None,
    ) -> None:
        self._chooser = chooser
        self.min_age = min_age
        self._image = image
        self._source = source
        self.now = now or datetime.now(UTC)
        self.waiting: dict[str, tuple[datetime | None, str]] = {}  # tag -> (pushed, why)

    @property
    def needs(self) -> Needs:
        """What the wrapped policy needs fetched."""
        return self._chooser.needs

    def __getattr__(self, name: str) -> Any:
        return getattr(self._chooser, name)  # `wants_created` and the like, as the policy has them

    def pushed(self, tag: Tag) -> TagTime | None:
        """When `tag` was pushed: the registry's push-time API, else the image config's
        `created` (or the listing's time); None when neither gives a real time."""
        found = self._source.get_pushed(self._image, tag.name)
        if found is not None and found.when >= _EARLIEST:
            return found
        when = tag.created or self._source.get_created(self._image, tag.name)
        return TagTime(when, CREATED) if when is not None and when >= _EARLIEST else None

    def select(
        self,
        current: str | None,
        tags: Sequence[Tag],
        current_digest: str | None = None,
        *,
        explain: bool = True,
    ) -> Selection:
        """The policy's pick among the tags old enough; the newer ones rejected with why
        (with `explain=False`, only those: the policy builds no records of its own)."""
        remaining = list(tags)
        set_aside: list[Rejection] = []
        while True:
            selection = self._chooser.select(current, remaining, current_digest, explain=explain)
            pick = next((t for t in remaining if t.name == selection.selected), None)
            if pick is None:
                break
            found = self.pushed(pick)
            if found is not None and self.now - found.when >= self.min_age:
                break
            why = self.too_new(found)
            self.waiting[pick.name] = (found.when if found else None, why)
            set_aside.append(Rejection(pick.name, why))
            remaining = [t for t in remaining if t.name != pick.name]
        if not set_aside:
            return selection
        held = "; ".join(f"{r.tag} {r.reason}" for r in set_aside)
        reason = f"{selection.reason}; {held}" if selection.reason else held
        return replace(selection, reason=reason, rejected=(*set_aside, *selection.rejected))

    def too_new(self, found: TagTime | None) -> str:
        """`too new: pushed 5 h ago, min_age 3d (push time from Docker Hub)`, or the
        age-unknown explanation."""
        if found is None:
            return UNKNOWN
        age = durations.human(self.now - found.when, up=False)
        return (
            f"too new: pushed {age} ago, min_age {durations.compact(self.min_age)} ({found.source})"
        )

    def eligible_at(self, tag: str) -> datetime | None:
        """When a waiting tag becomes old enough; None for an unknown age or a tag not waiting."""
        when = self.waiting.get(tag, (None, ""))[0]
        return when + self.min_age if when is not None else None


def wrap(
    chooser: Chooser, min_age: timedelta | None, image: ImageRef | None, source: DigestSource
) -> Chooser:
    """The policy with its cooldown when the rule sets `min_age`, else the policy itself."""
    if min_age is None or image is None:
        return chooser
    return AgedChooser(chooser, min_age, image, source)


def problems(name: str, chooser: Chooser) -> list[Problem]:
    """An `age unknown` problem for each tag the cooldown could not date: never waited on
    silently (the tag is not taken until its age can be told, or it is ignored by rule)."""
    if not isinstance(chooser, AgedChooser):
        return []
    return [
        Problem(name, f"{tag}: {why}; min_age cannot be checked (ignore the tag by rule)")
        for tag, (when, why) in chooser.waiting.items()
        if when is None
    ]
