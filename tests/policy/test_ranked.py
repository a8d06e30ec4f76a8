"""Tests for tagbot/policy/ranked.py: one policy asked again and again about one listing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tagbot.models import PolicySpec, Tag
from tagbot.policy import build
from tagbot.policy.versions import clear_caches
from tests.policy.lists import names, tags
from tests.policy.test_registries import PICKS

# (list, policy settings, current tags asked in turn), as decide.py asks per distinct current tag.
ROUNDS = [
    pytest.param(
        "nginx", {}, ["1.25.3", "1.25.3-alpine", "1.24.0-bullseye", None, "1.25.3"], id="nginx"
    ),
    pytest.param("nginx", {"range": "~1.23"}, ["1.23.3", "1.23.4", "mainline"], id="nginx-range"),
    pytest.param(
        "redis", {"ignore": ("7.2.5*",)}, ["7.2.3", "7.2.3-alpine3.19", "7.2.3"], id="redis-ignore"
    ),
]


@pytest.mark.parametrize(("image", "settings", "currents"), ROUNDS)
def test_repeated_selects_answer_as_a_fresh_policy(
    image: str, settings: dict[str, object], currents: list[str | None]
) -> None:
    listing = tuple(tags(image))
    kept = build(PolicySpec(**settings))  # type: ignore[arg-type]
    for current in currents:
        fresh = build(PolicySpec(**settings)).select(current, listing)  # type: ignore[arg-type]
        assert kept.select(current, listing) == fresh


def test_another_listing_is_read_anew() -> None:
    policy = build(PolicySpec())
    first = tuple(tags("nginx"))
    assert policy.select("1.25.3", first).selected == "1.25.4"
    assert policy.select("1.25.3", first).selected == "1.25.4"  # now kept
    newer = (*first, Tag("1.25.5"))
    assert policy.select("1.25.3", newer).selected == "1.25.5"


def test_a_list_changed_in_place_is_read_anew() -> None:
    listed = tags("nginx")
    policy = build(PolicySpec())
    for _ in range(2):
        assert policy.select("1.25.3", listed).selected == "1.25.4"
    listed.append(Tag("1.25.5"))
    assert policy.select("1.25.3", listed).selected == "1.25.5"


def test_cleared_caches_leave_the_answer_alone() -> None:
    listing = tuple(tags("nginx"))
    policy = build(PolicySpec())
    before = [policy.select("1.25.3", listing) for _ in range(2)]
    clear_caches()
    assert policy.select("1.25.3", listing) == before[0] == before[1]
    # Every tag once, but the current one and the pick.
    assert sorted(r.tag for r in before[0].rejected) == sorted(
        set(names("nginx")) - {"1.25.3", "1.25.4"}
    )


EXPLAINED = [
    *PICKS,
    pytest.param("nginx", None, {"range": "^9"}, None, id="nginx-no-current-outside-range"),
    pytest.param("nginx", "mainline", {}, None, id="nginx-current-unreadable"),
]


@pytest.mark.parametrize(("image", "current", "options", "expected"), EXPLAINED)
def test_without_explain_the_same_selection_without_rejections(
    image: str, current: str | None, options: dict[str, Any], expected: str | None
) -> None:
    listing = tuple(tags(image))
    explained = build(PolicySpec(**options)).select(current, listing)
    quiet = build(PolicySpec(**options)).select(current, listing, explain=False)
    assert quiet == replace(explained, rejected=())
    assert explained.rejected  # the explained one really has records to leave out


QUIET_ROUNDS = [
    ("nginx", {}),
    ("nginx", {"range": "~1.23"}),
    ("redis", {"ignore": ("7.2.5*",)}),
    ("mariadb", {"prerelease": True}),
    ("rabbitmq", {}),
]


@pytest.mark.parametrize(("image", "settings"), QUIET_ROUNDS)
def test_repeated_quiet_selects_answer_as_explained_fresh_ones(
    image: str, settings: dict[str, Any]
) -> None:
    listing = tuple(tags(image))
    kept = build(PolicySpec(**settings))
    # Every listed tag as the current one, twice over, so the kept families are reused.
    currents = [None, *names(image)[::3], *names(image)[::3]]
    for current in currents:
        fresh = build(PolicySpec(**settings)).select(current, listing)
        assert kept.select(current, listing, explain=False) == replace(fresh, rejected=())
