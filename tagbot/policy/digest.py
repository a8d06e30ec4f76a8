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
        self,
        current: str | None,
        tags: Sequence[Tag],
        current_digest: str | None = None,
        *,
        explain: bool = True,
    ) -> Selection:
        """Keep the tag; set `digest` when the registry's digest differs from the pinned one."""
        follow = reasons.FOLLOWS_CURRENT
        if current is None:
            return reject_all(current, tags, follow, "no current tag to follow", explain=explain)
        listed = next((t for t in tags if t.name == current), None)
        if listed is None:
            why = f"current tag {current} is not in the registry"
            return reject_all(current, tags, follow, why, explain=explain)
        if listed.digest is None:
            why = f"no digest known for {current}"
            return reject_all(current, tags, follow, why, explain=explain)
        if listed.digest == current_digest:
            why = f"digest of {current} unchanged"
            return reject_all(current, tags, follow, why, explain=explain)
        why = f"pin digest of {current}" if current_digest is None else f"digest of {current} moved"
        return reject_all(current, tags, follow, why, listed.digest, explain)


class PinPolicy:
    """Never change the tag: every other tag is rejected as `pinned`."""

    needs: Needs = "tags"

    def select(
        self,
        current: str | None,
        tags: Sequence[Tag],
        current_digest: str | None = None,
        *,
        explain: bool = True,
    ) -> Selection:
        """Always keep the current tag."""
        return reject_all(current, tags, reasons.PINNED, "pinned", explain=explain)
