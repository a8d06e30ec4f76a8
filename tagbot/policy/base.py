"""The one interface every policy has: what it needs fetched, and `select`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Literal, Protocol

from tagbot.models import Rejection, Selection, Tag

# What the pipeline must fetch before calling `select`: only the tag list, the registry's digest
# of the current tag (one HEAD request), or every tag's `created` time (one request per tag).
Needs = Literal["tags", "digest", "created"]


class Policy(Protocol):
    """A policy built from a PolicySpec; `select` is pure (no I/O).

    `select(current, tags, current_digest=None)`: `current` is the tag in the file (None when
    there is none), `tags` the registry's list (with `digest`/`created` filled in as `needs`
    asks), `current_digest` the digest pinned in the file, if any. The Selection's `selected`
    is None when the current tag should stay; every other listed tag, except the current one,
    is in `rejected` exactly once with one reason; with `explain=False` (the pipeline, which
    never shows them) `rejected` is empty and everything else is the same.
    """

    @property
    def needs(self) -> Needs: ...

    def select(
        self,
        current: str | None,
        tags: Sequence[Tag],
        current_digest: str | None = None,
        *,
        explain: bool = True,
    ) -> Selection: ...


def unique_others(current: str | None, tags: Sequence[Tag]) -> Iterator[Tag]:
    """Each listed tag once (first listing wins), the current tag left out."""
    seen: set[str] = set()
    for tag in tags:
        if tag.name == current or tag.name in seen:
            continue
        seen.add(tag.name)
        yield tag


def reject_all(
    current: str | None,
    tags: Sequence[Tag],
    reason: str,
    why: str,
    digest: str | None = None,
    explain: bool = True,
) -> Selection:
    """Keep the current tag, rejecting every other tag for the same `reason` (no rejection
    records without `explain`)."""
    if not explain:
        return Selection(None, why, (), digest)
    rejected = tuple(Rejection(t.name, reason) for t in unique_others(current, tags))
    return Selection(None, why, rejected, digest)
