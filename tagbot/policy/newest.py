"""newest-build: pick the tag whose image was built last (`created`), as an opt-in.

It costs one request per tag, so the pipeline fetches `created` only when `needs == "created"`,
and `wants_created` names the tags worth fetching (the current one and those the screen keeps).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from tagbot.models import Rejection, Selection, Tag
from tagbot.policy import reasons
from tagbot.policy.base import Needs, reject_all, unique_others
from tagbot.policy.screen import Screen


class NewestBuildPolicy:
    """The most recently built tag that passes ignore and filter, built after the current one."""

    needs: Needs = "created"

    def __init__(self, screen: Screen) -> None:
        self.screen = screen

    def wants_created(self, current: str | None, tags: Sequence[Tag]) -> tuple[str, ...]:
        """The tags whose `created` time `select` will read."""
        names = [current] if current is not None else []
        for tag in unique_others(current, tags):
            if self.screen.check(tag.name, hashes=False)[0] is None:
                names.append(tag.name)
        return tuple(names)

    def select(
        self,
        current: str | None,
        tags: Sequence[Tag],
        current_digest: str | None = None,
        *,
        explain: bool = True,
    ) -> Selection:
        """The newest build, or None when nothing was built after the current tag."""
        since: datetime | None = None
        if current is not None:
            listed = next((t for t in tags if t.name == current), None)
            since = _utc(listed.created) if listed is not None else None
            if since is None:
                why = f"build time of current tag {current} unknown"
                return reject_all(current, tags, reasons.CURRENT_UNKNOWN, why, explain=explain)
        decisions: list[tuple[str, str | None]] = []
        best: tuple[datetime, str] | None = None
        for tag in unique_others(current, tags):
            reason = self.screen.check(tag.name, hashes=False)[0]
            built = _utc(tag.created)
            if reason is None and built is None:
                reason = reasons.NO_BUILD_TIME
            if reason is None and since is not None and built is not None and built <= since:
                reason = reasons.OLDER if built < since else reasons.SAME
            decisions.append((tag.name, reason))
            # Ties go to the greater name, so the choice never depends on listing order.
            if reason is None and built is not None and (best is None or (built, tag.name) > best):
                best = (built, tag.name)
        rejected = tuple(
            Rejection(name, reason or reasons.NOT_NEWEST)
            for name, reason in decisions
            if explain and (best is None or name != best[1])
        )
        if best is not None:
            return Selection(best[1], f"newest build ({best[0].isoformat()})", rejected)
        why = "no newer build" if current is not None else "no tag with a build time"
        return Selection(None, why, rejected)


def _utc(when: datetime | None) -> datetime | None:
    """An aware time; a naive one is read as UTC so that times always compare."""
    if when is None or when.tzinfo is not None:
        return when
    return when.replace(tzinfo=UTC)
