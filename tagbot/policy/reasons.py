"""The fixed reason strings a policy gives for every tag it does not pick (docs/policy.md)."""

from __future__ import annotations

# Screening: before a tag is read as a version at all.
INVALID = "invalid tag"  # breaks the OCI tag grammar
IGNORED = "ignored"  # matched an `ignore` glob or /regex/
NOT_MATCHED = "not matched by filter"  # the `filter` regex did not match (or extracted nothing)
ALIAS = "floating alias"  # latest, stable, mainline, lts...; or `1.25` beside `1.25.3`
SHA = "sha-like"  # a commit hash or `sha-...` tag
SIGNATURE = "signature or attestation"  # cosign's sha256-<hex>.sig/.att/.sbom

# Reading: the tag is not in the policy's order.
NOT_VERSION = "not a version"
NOT_DATE = "not a date"
NOT_NUMBER = "not a number"

# Comparing with the current tag and the configured limits.
OTHER_FAMILY = "other family"  # another prefix, variant, revision style, scheme or precision
PRERELEASE = "pre-release"
OUTSIDE_RANGE = "outside range"
OLDER = "older than current"
SAME = "same version as current"  # differs only in build metadata (`_build`)
NOT_NEWEST = "not the newest"  # eligible, but a newer tag was picked
CURRENT_UNKNOWN = "current tag not comparable"  # the current tag is not in the policy's order

# Policies that do not order versions.
PINNED = "pinned"
FOLLOWS_CURRENT = "digest policy follows the current tag"
NO_BUILD_TIME = "no build time"

ALL = (
    INVALID,
    IGNORED,
    NOT_MATCHED,
    ALIAS,
    SHA,
    SIGNATURE,
    NOT_VERSION,
    NOT_DATE,
    NOT_NUMBER,
    OTHER_FAMILY,
    PRERELEASE,
    OUTSIDE_RANGE,
    OLDER,
    SAME,
    NOT_NEWEST,
    CURRENT_UNKNOWN,
    PINNED,
    FOLLOWS_CURRENT,
    NO_BUILD_TIME,
)
