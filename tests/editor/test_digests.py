"""tagbot/editor/digests.py: digest fields keep their key's convention, and `useDigest` agrees
with the digest after an edit or the edit is refused with the reason."""

from __future__ import annotations

import pytest

from tagbot.editor import apply, extract
from tagbot.models import Update

SHA_A = "sha256:" + "a" * 64
SHA_B = "sha256:" + "b" * 64
MAP = "image:\n  repository: ghcr.io/acme/api\n  tag: 1.0.0\n"


def _apply(text: str, digest: str | None) -> tuple[str, list[str]]:
    (occ,) = extract("values.yaml", text).occurrences
    applied = apply("values.yaml", text, [Update(occ, "1.1.0", digest)])
    return applied.edit.after, [p.error for p in applied.refused]


@pytest.mark.parametrize(
    ("line", "written"),
    [
        ("digest: null", f"digest: {SHA_B}"),
        ("digest: ~", f"digest: {SHA_B}"),
        ("digest:", f"digest: {SHA_B}"),
        ('digest: ""', f'digest: "{SHA_B}"'),
        (f"digest: {SHA_A}", f"digest: {SHA_B}"),
        ("digest: " + "a" * 64, "digest: " + "b" * 64),
        ("sha: ~", "sha: " + "b" * 64),
        ("sha: ''", "sha: '" + "b" * 64 + "'"),
    ],
    ids=["null", "tilde", "empty-plain", "empty-quoted", "prefixed", "bare-hex", "sha-null", "sha"],
)
def test_digest_keeps_its_key_convention(line: str, written: str) -> None:
    after, refused = _apply(MAP + f"  {line}\n", SHA_B)
    assert refused == []
    assert after == MAP.replace("1.0.0", "1.1.0") + f"  {written}\n"


def test_sha_field_refuses_another_algorithm() -> None:
    _, refused = _apply(MAP + "  sha: ''\n", "sha512:" + "c" * 128)
    assert refused == [
        "refused edit at line 2: the sha field holds sha256 hex, not a sha512 digest"
    ]


def test_use_digest_on_with_a_new_digest_is_written() -> None:
    after, refused = _apply(MAP + f"  useDigest: true\n  digest: {SHA_A}\n", SHA_B)
    assert refused == [] and SHA_B in after and "useDigest: true" in after


def test_use_digest_on_refuses_to_clear_the_digest() -> None:
    text = MAP + f"  useDigest: true\n  digest: {SHA_A}\n"
    after, refused = _apply(text, None)
    assert after == text
    assert refused == [
        "refused edit at line 2: useDigest is true at line 4 and the new tag has no digest: the "
        "chart would render `repo:tag@`; pin the digest or set useDigest: false"
    ]


def test_use_digest_on_with_no_digest_before_moves_the_tag() -> None:
    after, refused = _apply(MAP + '  useDigest: true\n  digest: ""\n', None)
    assert refused == [] and "tag: 1.1.0" in after


def test_use_digest_off_refuses_a_digest_never_pulled() -> None:
    text = MAP + '  useDigest: false\n  digest: ""\n'
    after, refused = _apply(text, SHA_B)
    assert after == text
    assert refused == [
        "refused edit at line 2: useDigest is false at line 4: the new digest would never be "
        "pulled; set useDigest: true to pin it"
    ]


def test_use_digest_off_moves_the_tag_and_clears_the_digest() -> None:
    after, refused = _apply(MAP + f"  useDigest: false\n  digest: {SHA_A}\n", None)
    assert (
        refused == []
        and after == MAP.replace("1.0.0", "1.1.0") + '  useDigest: false\n  digest: ""\n'
    )
