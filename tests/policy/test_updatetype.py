"""The update type of a move from one tag to another, as a table."""

from __future__ import annotations

import pytest

from tagbot.models import ImageRef, Occurrence, Update
from tagbot.policy.updatetype import classify, numbers, update_type

CASES = [
    ("major", "1.4.0", "2.0.0", "major"),
    ("minor", "1.4.0", "1.5.0", "minor"),
    ("patch", "1.4.0", "1.4.1", "patch"),
    ("v-prefix", "v1.4.0", "v1.4.2", "patch"),
    ("suffix-kept", "2.0.1-alpine", "2.1.0-alpine", "minor"),
    ("two-parts", "1.4", "1.5", "minor"),
    ("shorter-new", "1.4.1", "1.5", "minor"),
    ("fourth-part", "1.2.3.4", "1.2.3.5", "patch"),
    ("calver-month", "2024.01.15", "2024.03.20", "minor"),
    ("calver-day", "2024.03.15", "2024.03.20", "patch"),
    ("calver-year", "2024.12.01", "2025.01.01", "major"),
    ("numerical", "41", "42", "major"),
    ("prerelease-to-release", "1.4.0-rc.1", "1.4.0", "patch"),
    ("no-numbers", "bookworm", "trixie", "major"),
    ("numbers-to-none", "1.4.0", "latest", "major"),
    ("no-old-tag", None, "1.4.0", "major"),
    ("same-tag", "1.4.0", "1.4.0", "patch"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_classify(old: str | None, new: str, expected: str) -> None:
    assert classify(old, new) == expected


def test_same_tag_with_a_new_digest_is_a_digest_update() -> None:
    assert classify("1.4", "1.4", digest_changed=True) == "digest"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("v1.2.3-alpine", [1, 2, 3]), ("2024.01.15", [2024, 1, 15]), ("latest", []), ("1_2", [1])],
)
def test_numbers(tag: str, expected: list[int]) -> None:
    assert numbers(tag) == expected


def _update(tag: str, digest: str | None, new_tag: str, new_digest: str | None) -> Update:
    image = ImageRef("ghcr.io", "acme/api", tag, digest)
    return Update(Occurrence("a.yaml", "manifest", "x", 1, image, ()), new_tag, new_digest)


def test_update_type_reads_the_occurrence_and_the_new_digest() -> None:
    old, new = "sha256:" + "a" * 64, "sha256:" + "b" * 64
    assert update_type(_update("1.4", old, "1.4", new)) == "digest"
    assert update_type(_update("1.4", old, "1.4", old)) == "patch"
    assert update_type(_update("1.4.0", None, "1.5.0", None)) == "minor"
