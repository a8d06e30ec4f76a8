"""What a PR body shows beside each updating image, gathered once per run: the OCI labels of
the old and new tag, the tags the policy rejected, and a release page that exists."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from tagbot.errors import TagbotError
from tagbot.models import ImageRef, Rejection, Update
from tagbot.provider import links, releases
from tagbot.provider.prbody import ImageNotes

log = logging.getLogger(__name__)
LabelsOf = Callable[[ImageRef, str], dict[str, str]]  # e.g. Scanner.get_labels


def gather(
    updates: Sequence[Update],
    labels_of: LabelsOf,
    rejected: Mapping[str, tuple[Rejection, ...]] | None = None,
    exists: releases.Probe | None = None,
) -> dict[str, ImageNotes]:
    """Notes for every image that updates, keyed by its familiar name (what `prbody.render`
    reads). Labels are fetched only for these images, once per (image, tag); a registry that
    fails leaves that image's body without links, never the update without a PR."""
    rejected = rejected or {}
    notes: dict[str, ImageNotes] = {}
    for update in updates:
        image = update.occurrence.image
        if image is None or image.familiar in notes:
            continue
        new = _labels(labels_of, image, update.new_tag)
        old = _labels(labels_of, image, image.tag) if image.tag else {}
        repo = links.repository(new.get(links.SOURCE))
        release = releases.find_release(repo, update.new_tag, exists) if repo else None
        notes[image.familiar] = ImageNotes(new, old, rejected.get(image.familiar, ()), release)
    return notes


def _labels(labels_of: LabelsOf, image: ImageRef, tag: str) -> dict[str, str]:
    try:
        return labels_of(image, tag)
    except (TagbotError, OSError, ValueError) as exc:
        log.info("no labels for the PR body", extra={"image": image.familiar, "error": str(exc)})
        return {}
