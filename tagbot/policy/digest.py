"""Policies that do not order versions: follow a mutable tag's digest, or pin the tag as is.

The digest policy reads the registry's digest of the current tag from `Tag.digest` (the caller
fills it in for the current tag: `needs == "digest"`) and compares it with `current_digest`,
the digest pinned in the file. The tag never changes; `Selection.digest` carries the new digest.
"""

from __future__ import annotations

from collections.abc import Sequence

from tagbot.models import Selection, Tag
from tagbot.policy import reasons
from tagbot.policy.base import Needs, reject_all


class DigestPolicy:
    """Follow a mutable tag (`latest`, `stable`) and move the pinned digest when it moves."""

    needs: Needs = "digest"

    def select(
        self, current: str | None, tags: Sequence[Tag], current_digest: str | None = None
    ) -> Selection:
        """Keep the tag; set `digest` when the registry's digest differs from the pinned one."""
        follow = reasons.FOLLOWS_CURRENT
        if current is None:
            return reject_all(current, tags, follow, "no current tag to follow")
        listed = next((t for t in tags if t.name == current), None)
        if listed is None:
            return reject_all(
                current, tags, follow, f"current tag {current} is not in the registry"
            )
        if listed.digest is None:
            return reject_all(current, tags, follow, f"no digest known for {current}")
        if listed.digest == current_digest:
            return reject_all(current, tags, follow, f"digest of {current} unchanged")
        if current_digest is None:
            return reject_all(current, tags, follow, f"pin digest of {current}", listed.digest)
        return reject_all(current, tags, follow, f"digest of {current} moved", listed.digest)


class PinPolicy:
    """Never change the tag: every other tag is rejected as `pinned`."""

    needs: Needs = "tags"

    def select(
        self, current: str | None, tags: Sequence[Tag], current_digest: str | None = None
    ) -> Selection:
        """Always keep the current tag."""
        return reject_all(current, tags, reasons.PINNED, "pinned")
