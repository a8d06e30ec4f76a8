"""How far an update moves (major, minor, patch or digest): what approvals and push limits use."""

from __future__ import annotations

import re

from tagbot.models import Update, UpdateType

_NUMBERS = re.compile(r"\d+")
_ORDER: tuple[UpdateType, ...] = ("major", "minor", "patch")


def numbers(tag: str) -> list[int]:
    """The version numbers of a tag before any suffix: `v1.2.3-alpine` -> [1, 2, 3]."""
    version = re.split(r"[-+_]", tag.lstrip("vV"), maxsplit=1)[0]
    return [int(n) for n in _NUMBERS.findall(version)]


def classify(old: str | None, new: str, *, digest_changed: bool = False) -> UpdateType:
    """The type of a move from tag `old` to tag `new`: `digest` when only the digest moves;
    else the first version number that differs (the 1st major, the 2nd minor, any later one
    patch; calendar versions read the same: year, month, day). A tag without numbers on
    either side, or no old tag, is `major`: nothing shows the move is small, so a person looks."""
    if old == new:
        return "digest" if digest_changed else "patch"
    before, after = numbers(old or ""), numbers(new)
    if not before or not after:
        return "major"
    width = max(len(before), len(after))
    before += [0] * (width - len(before))
    after += [0] * (width - len(after))
    for index, (a, b) in enumerate(zip(before, after, strict=True)):
        if a != b:
            return _ORDER[min(index, 2)]
    return "patch"  # same numbers, another suffix: `1.4.0-rc.1` -> `1.4.0`


def update_type(update: Update) -> UpdateType:
    """The type of `update`: its old tag to its new tag, `digest` when only the digest moves."""
    old_digest = update.occurrence.image.digest if update.occurrence.image else None
    moved = update.new_digest is not None and update.new_digest != old_digest
    return classify(update.old_tag, update.new_tag, digest_changed=moved)
