"""Tolerant reading of version tags: prefix, numeric parts, pre-release, build, variant, revision.

`v1.25.3-rc.10-alpine3.19` reads as prefix `v`, parts (1, 25, 3), pre-release `rc.10`, variant
`alpine3.19`. Docker tags cannot hold `+`, so build metadata is written after `_` (as Helm and
Temurin do: `21.0.2_13-jdk`); it never orders versions.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from tagbot.policy.family import Family, Scheme, forget_shared, shared

# A pre-release sorts below its release: (0, chunks) < (1,). Chunks are (0, n, "") for a number
# and (1, rank, word) for a word, so `rc.10` and `rc10` both read (rc, 10) and beat `rc9`.
PreKey = tuple[Any, ...]
RELEASE: PreKey = (1,)
LOWEST_PRE: PreKey = (0, ())
_RANK = {
    "dev": 0, "snapshot": 0, "nightly": 0, "canary": 0, "next": 0,
    "alpha": 1, "a": 1, "ea": 1,
    "beta": 2, "b": 2,
    "milestone": 3, "m": 3, "pre": 3, "preview": 3,
    "rc": 4, "cr": 4,
}  # fmt: skip
_UNKNOWN_RANK = 5
_CHUNK = re.compile(r"\d+|[A-Za-z]+")
_DIGITS = re.compile(r"(\d+)")
_PRE_WORDS = "alpha|beta|rc|preview|pre|dev|snapshot|canary|nightly|next|ea|cr|milestone"
# prefix, numeric core, and the rest; the rest repeats across a registry, so it is read once.
_SPLIT = re.compile(r"([^0-9]*)([0-9]+(?:\.[0-9]+)*)(.*)", re.DOTALL)
_REST = re.compile(
    rf"""
    (?:[-.]?(?=[A-Za-z])(?P<pre>(?i:(?:{_PRE_WORDS})(?:[.-]?[0-9]+)*|[abm][0-9]+(?:[.-]?[0-9]+)*))(?=$|[-_.]))?
    (?:_(?P<build>[0-9A-Za-z.]+))?
    (?:(?:-|\.(?=[A-Za-z]))(?P<variant>[A-Za-z0-9][A-Za-z0-9._-]*))?
    """,
    re.VERBOSE,
)
# A rebuild counter ending a variant: bitnami's `-r4`, linuxserver.io's `-ls228`.
_REVISION = re.compile(r"(?:(?P<head>.*)-)?(?:r|ls)(?P<n>[0-9]+)", re.DOTALL)
# A name with digits glued to it before the version: `amd64-4.0.2.1183`, `arm64v8-v1.2.3`.
_GLUED = re.compile(r"([^0-9]*[A-Za-z][0-9][A-Za-z0-9]*[-_]v?)([0-9]+(?:\.[0-9]+)+)(.*)", re.DOTALL)
# An upstream commit hash right after the version (plex's `1.40.1.8227-c0dd5a73e`): build data.
_HASH = re.compile(r"(?=[a-f]*[0-9])(?=[0-9]*[a-f])[0-9a-f]{7,40}(?:-(?P<rest>.+))?", re.DOTALL)
_new = tuple.__new__


class Version(NamedTuple):
    """One tag read in a policy's order: its sort key, family and what a range compares."""

    text: str
    key: tuple[Any, ...]
    family: Family
    precision: int = 1
    prerelease: bool = False
    core: tuple[int, int, int] | None = None  # major.minor.patch for range checks
    pre: PreKey = RELEASE


def make_version(fields: tuple[Any, ...]) -> Version:
    """A Version from its seven fields, skipping NamedTuple's Python-level `__new__`.

    This runs once per listed tag, so it matters for 10,000-tag lists.
    """
    return _new(Version, fields)


def pre_key(pre: str | None) -> PreKey:
    """The order of a pre-release string; a release (None) sorts above every pre-release."""
    if not pre:
        return RELEASE
    chunks = []
    for chunk in _CHUNK.findall(pre):
        if chunk.isdigit():
            chunks.append((0, int(chunk), ""))
        else:
            word = chunk.lower()
            chunks.append((1, _RANK.get(word, _UNKNOWN_RANK), word))
    return (0, tuple(chunks))


def core3(parts: tuple[int, ...]) -> tuple[int, int, int]:
    """The first three parts, padded with zeros: what a semver range compares."""
    if len(parts) >= 3:
        return (parts[0], parts[1], parts[2])
    padded = (*parts, 0, 0)
    return (padded[0], padded[1], padded[2])


def is_calendar(first: int) -> bool:
    """True when a first part is a year (`2024`.01.15) or a compact date(-time) (`20240115`)."""
    if first < 1970:
        return False
    if first <= 2099:
        return True
    digits = str(first)
    return len(digits) in (8, 10, 12, 14) and digits[:2] in ("19", "20")


def parse_semver(text: str) -> Version | None:
    """Read a tag as a tolerant semantic version, or None when it holds no version."""
    split = _SPLIT.fullmatch(text)
    if split is None:
        return None
    prefix, core, rest = split.groups()
    if prefix and "." not in core and prefix[-1].isalpha():
        glued = _GLUED.fullmatch(text)  # `amd64` is part of the prefix, not the version
        if glued is not None:
            prefix, core, rest = glued.groups()
    parts, three, scheme = _read_core(core)
    tail = _read_tail(prefix, rest, scheme)
    if tail is None:
        return None
    family, pre, revision = tail
    prerelease = pre is not RELEASE
    return _new(Version, (text, (parts, pre, revision), family, len(parts), prerelease, three, pre))


@lru_cache(maxsize=16384)
def _read_core(core: str) -> tuple[tuple[int, ...], tuple[int, int, int], Scheme]:
    """Numeric parts, their range form and scheme (cached: variants share cores)."""
    parts = tuple(map(int, core.split(".")))
    scheme: Scheme = "calendar" if is_calendar(parts[0]) else "semver"
    return parts, core3(parts), scheme


@lru_cache(maxsize=4096)
def _read_tail(prefix: str, rest: str, scheme: Scheme) -> tuple[Family, PreKey, int] | None:
    """Family, pre-release key and revision from what follows the core, or None if unreadable.

    Cached: a registry repeats the same few tails (`-alpine`, `-rc1-alpine`) across its tags.
    """
    match = _REST.fullmatch(rest)
    if match is None:
        return None
    pre, variant = match.group("pre", "variant")
    revision = -1
    hashed = _HASH.fullmatch(variant) if variant else None
    if hashed is not None:
        # Any hash in this place is the same family (`1.2.3-abc1234` is not `1.2.3`).
        variant = "-".join(filter(None, ("<hash>", hashed.group("rest"))))
    if variant:
        # A numeric-only variant (`1.2.3-2`), bitnami's `-r4` and linuxserver's `-ls228` are
        # rebuilds that order.
        rebuild = _REVISION.fullmatch(variant)
        if variant.isdigit():
            revision, variant = int(variant), ""
        elif rebuild is not None:
            revision, variant = int(rebuild.group("n")), rebuild.group("head") or ""
    if hashed is not None and not variant:
        variant = "<hash>"
    family = shared((prefix, variant or "", scheme, revision >= 0, ""))
    return family, pre_key(pre), revision


_EPOCH = [0]  # bumped by clear_caches: policies drop the readings they kept (ranked.py)


def natural(name: str) -> tuple[str | int, ...]:
    """A tag name as text and numbers, for the tie-break between equal versions (`_14` after
    `_9`, then the plain text). `re.split` with a group alternates text and digits, so two keys
    always compare: text with text, a number with a number."""
    return tuple(int(p) if i % 2 else p for i, p in enumerate(_DIGITS.split(name)))


def epoch() -> int:
    """How many times the caches were cleared; a reading kept from another epoch is stale."""
    return _EPOCH[0]


def clear_caches() -> None:
    """Forget cached cores, tails, shared families and kept readings: a cold select follows."""
    _read_core.cache_clear()
    _read_tail.cache_clear()
    forget_shared()
    _EPOCH[0] += 1
