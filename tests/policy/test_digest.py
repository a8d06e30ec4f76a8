"""Policies that do not order versions: digest, pin and newest-build."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tagbot.models import PolicySpec, Tag
from tagbot.policy import build, reasons
from tagbot.policy.newest import NewestBuildPolicy
from tests.policy.lists import names

OLD = "sha256:" + "a" * 64
NEW = "sha256:" + "b" * 64
P = pytest.param


def nginx_with_digest(tag: str, digest: str | None) -> list[Tag]:
    """The nginx list with the registry's digest of one tag filled in, as the pipeline does."""
    return [Tag(n, digest if n == tag else None) for n in names("nginx")]


DIGEST = [
    # current, registry digest, pinned digest, expected digest, reason
    P("latest", NEW, OLD, NEW, "digest of latest moved", id="moved"),
    P("stable", NEW, None, NEW, "pin digest of stable", id="not-pinned-yet"),
    P("latest", OLD, OLD, None, "digest of latest unchanged", id="unchanged"),
    P("latest", None, OLD, None, "no digest known for latest", id="no-digest-fetched"),
    P("gone", None, OLD, None, "current tag gone is not in the registry", id="not-listed"),
    P(None, None, None, None, "no current tag to follow", id="no-current"),
]  # fmt: skip


@pytest.mark.parametrize(("current", "registry", "pinned", "digest", "why"), DIGEST)
def test_digest(
    current: str | None, registry: str | None, pinned: str | None, digest: str | None, why: str
) -> None:
    policy = build(PolicySpec(kind="digest"))
    listed = nginx_with_digest(current or "", registry)
    selection = policy.select(current, listed, current_digest=pinned)
    assert (selection.selected, selection.digest, selection.reason) == (None, digest, why)
    assert {r.reason for r in selection.rejected} == {reasons.FOLLOWS_CURRENT}
    assert policy.needs == "digest"
    quiet = policy.select(current, listed, current_digest=pinned, explain=False)
    assert quiet == replace(selection, rejected=())


def test_pin_never_changes() -> None:
    policy = build(PolicySpec(kind="pin", ignore=("*-perl",)))
    selection = policy.select("1.24.0", [Tag(n) for n in names("nginx")])
    assert (selection.selected, selection.reason) == (None, "pinned")
    quiet = policy.select("1.24.0", [Tag(n) for n in names("nginx")], explain=False)
    assert quiet == replace(selection, rejected=())
    assert {r.reason for r in selection.rejected} == {reasons.PINNED}
    assert len(selection.rejected) == len(names("nginx")) - 1


T0 = datetime(2024, 2, 1, 12, 0, tzinfo=UTC)


def built(hours: dict[str, int | None]) -> list[Tag]:
    """Tags with `created` that many hours after T0 (None: unknown)."""
    return [
        Tag(name, None, None if h is None else T0 + timedelta(hours=h)) for name, h in hours.items()
    ]


BUILDS = {
    "main-1a2b3c4": 0,
    "main-9f8e7d6": 5,
    "main-0a0b0c0": 3,
    "main-deadbee": None,
    "sha-9f8e7d6": 5,
    "latest": 9,
    "pr-12": 8,
    "sha256-" + "c" * 64 + ".sig": 10,
}
NEWEST = [
    P("main-1a2b3c4", {}, "pr-12", id="no-filter-any-build-but-aliases"),
    P("main-1a2b3c4", {"filter": "^main-"}, "main-9f8e7d6", id="filter"),
    P("main-1a2b3c4", {"ignore": ("pr-*",)}, "sha-9f8e7d6", id="equal-times-greater-name"),
    P("main-9f8e7d6", {"filter": "^main-"}, None, id="already-newest"),
    P("unknown", {"filter": "^main-"}, None, id="current-not-listed"),
    P(None, {"filter": "^main-"}, "main-9f8e7d6", id="no-current"),
]  # fmt: skip


@pytest.mark.parametrize(("current", "options", "expected"), NEWEST)
def test_newest_build(
    current: str | None, options: dict[str, object], expected: str | None
) -> None:
    policy = build(PolicySpec(kind="newest-build", **options))  # type: ignore[arg-type]
    assert policy.needs == "created"
    selection = policy.select(current, built(BUILDS))
    assert selection.selected == expected
    quiet = policy.select(current, built(BUILDS), explain=False)
    assert quiet == replace(selection, rejected=())


def test_newest_build_reasons() -> None:
    policy = build(PolicySpec(kind="newest-build", filter="^main-"))
    selection = policy.select("main-0a0b0c0", built(BUILDS))
    assert {r.tag: r.reason for r in selection.rejected} == {
        "main-1a2b3c4": reasons.OLDER,
        "main-deadbee": reasons.NO_BUILD_TIME,
        "sha-9f8e7d6": reasons.NOT_MATCHED,
        "latest": reasons.NOT_MATCHED,
        "pr-12": reasons.NOT_MATCHED,
        "sha256-" + "c" * 64 + ".sig": reasons.NOT_MATCHED,
    }
    unfiltered = build(PolicySpec(kind="newest-build")).select("main-0a0b0c0", built(BUILDS))
    found = {r.tag: r.reason for r in unfiltered.rejected}
    assert found["latest"] == reasons.ALIAS
    assert found["sha256-" + "c" * 64 + ".sig"] == reasons.SIGNATURE
    assert found["main-9f8e7d6"] == reasons.NOT_NEWEST
    assert unfiltered.selected == "pr-12"


def test_newest_build_same_time_as_current() -> None:
    selection = build(PolicySpec(kind="newest-build")).select("main-9f8e7d6", built(BUILDS))
    assert {r.tag: r.reason for r in selection.rejected}["sha-9f8e7d6"] == reasons.SAME


def test_newest_build_reads_naive_times_as_utc() -> None:
    listed = [
        Tag("a", None, datetime(2024, 2, 1, 12, 0)),
        Tag("b", None, datetime(2024, 2, 1, 13, 0, tzinfo=UTC)),
    ]
    assert build(PolicySpec(kind="newest-build")).select("a", listed).selected == "b"


def test_wants_created_names_only_tags_worth_fetching() -> None:
    policy = build(PolicySpec(kind="newest-build", filter="^main-"))
    assert isinstance(policy, NewestBuildPolicy)
    assert policy.wants_created("main-0a0b0c0", built(BUILDS)) == (
        "main-0a0b0c0",
        "main-1a2b3c4",
        "main-9f8e7d6",
        "main-deadbee",
    )
