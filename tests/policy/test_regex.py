"""Filter + extract (tagbot/policy/regex.py), compatible with Flux's `filterTags`."""

from __future__ import annotations

from typing import Any

import pytest

from tagbot.errors import ConfigError
from tagbot.models import PolicySpec
from tagbot.policy import build, reasons
from tagbot.policy.regex import Filter
from tests.policy.lists import assert_pick, tags

P = pytest.param
FLUX_MAIN = "^main-[a-fA-F0-9]+-(?P<ts>.*)"
PICKS = [
    P("flux-main", "main-1a2b3c4-1705400000", {"kind": "numerical", "filter": FLUX_MAIN, "extract": "$ts"}, "main-deadbee-1705599999", id="flux-docs-numerical-ts"),
    P("flux-main", "main-1a2b3c4-1705400000", {"kind": "numerical", "filter": FLUX_MAIN, "extract": "${ts}"}, "main-deadbee-1705599999", id="braced-name"),
    P("flux-main", "main-1a2b3c4-1705400000", {"kind": "numerical", "filter": "^main-[a-f0-9]+-(?<ts>[0-9]+)$", "extract": "$ts"}, "main-deadbee-1705599999", id="go-named-group"),
    P("flux-main", "main-1a2b3c4-1705400000", {"kind": "numerical", "filter": "^main-[a-f0-9]+-([0-9]+)$", "extract": "$1"}, "main-deadbee-1705599999", id="numbered-group"),
    P("flux-main", None, {"kind": "numerical", "filter": FLUX_MAIN, "extract": "$ts"}, "main-deadbee-1705599999", id="no-current"),
    P("flux-main", "main-deadbee-1705599999", {"kind": "numerical", "filter": FLUX_MAIN, "extract": "$ts"}, None, id="already-newest"),
    P("flux-main", "main-1a2b3c4-1705400000", {"kind": "numerical", "order": "numerical", "filter": FLUX_MAIN, "extract": "$ts"}, "main-deadbee-1705599999", id="order-field"),
    P("flux-main", "main-1a2b3c4-1705400000", {"order": "numerical", "filter": FLUX_MAIN, "extract": "$ts"}, "main-deadbee-1705599999", id="order-overrides-default-kind"),
    P("minio", "RELEASE.2024-01-16T16-07-38Z", {"kind": "alphabetical", "filter": "^RELEASE\\.(?P<timestamp>.*)Z$", "extract": "$timestamp"}, "RELEASE.2024-02-09T21-25-16Z", id="flux-docs-alphabetical"),
    P("traefik", "v2.10.7", {"filter": "^v(?P<version>[0-9.]+)$", "extract": "$version"}, "v2.11.0", id="semver-extract"),
    P("ubuntu", "jammy-20240111", {"kind": "calver", "filter": "^jammy-(?P<d>[0-9]{8})$", "extract": "$d"}, "jammy-20240125", id="calver-extract"),
    P("nginx", "1.25.1-alpine", {"filter": "-alpine$"}, "1.25.4-alpine", id="filter-without-extract"),
    P("nginx", "1.25.1", {"filter": "^1\\.25\\."}, "1.25.4", id="filter-keeps-family"),
]  # fmt: skip


@pytest.mark.parametrize(("image", "current", "options", "expected"), PICKS)
def test_picks(
    image: str, current: str | None, options: dict[str, Any], expected: str | None
) -> None:
    assert_pick(image, current, options, expected)


def test_reasons_under_a_filter() -> None:
    spec = PolicySpec(kind="numerical", filter=FLUX_MAIN, extract="$ts")
    selection = build(spec).select("main-1a2b3c4-1705400000", tags("flux-main"))
    assert {r.tag: r.reason for r in selection.rejected} == {
        "latest": reasons.NOT_MATCHED,
        "main-9f8e7d6-1705500000": reasons.NOT_NEWEST,
        "main-0a0b0c0-1705300000": reasons.OLDER,
        "feature-x-5c6d7e8-1705700000": reasons.NOT_MATCHED,
        "pr-12-abcdef0-1705800000": reasons.NOT_MATCHED,
        "sha-9f8e7d6": reasons.NOT_MATCHED,
        "v1.4.0": reasons.NOT_MATCHED,
    }


def test_current_outside_the_filter_stays() -> None:
    spec = PolicySpec(kind="numerical", filter=FLUX_MAIN, extract="$ts")
    selection = build(spec).select("v1.4.0", tags("flux-main"))
    assert selection.selected is None
    assert selection.reason == "current tag v1.4.0 is not matched by filter"
    assert {r.reason for r in selection.rejected} == {reasons.CURRENT_UNKNOWN}


EXPAND = [
    P("(?P<a>[0-9]+)", "x$$y$a", "v12", "x$y12", id="dollar-dollar"),
    P("(?P<a>[0-9]+)-(?P<b>[a-z]+)", "${b}${a}", "7-rc", "rc7", id="braced-pair"),
    P("(?P<a>[0-9]+)", "$0", "v12", "12", id="whole-match"),
    P("^v(?P<a>[0-9]+)?x", "$a", "vx", None, id="unmatched-group-is-no-match"),
    P("release", None, "my-release-1", "my-release-1", id="search-not-anchored"),
]  # fmt: skip


@pytest.mark.parametrize(("pattern", "extract", "tag", "value"), EXPAND)
def test_expand(pattern: str, extract: str | None, tag: str, value: str | None) -> None:
    assert Filter(pattern, extract).apply(tag) == value


BAD = [
    P("(", None, "invalid filter regex", id="bad-regex"),
    P("^main-(?P<ts>.*)", "$stamp", "no group named 'stamp'", id="unknown-name"),
    P("^main-(.*)", "$2", "has 1 group", id="group-number-too-high"),
    P("^main-(?P<ts>.*)", "${nope}", "no group named 'nope'", id="unknown-braced"),
]  # fmt: skip


@pytest.mark.parametrize(("pattern", "extract", "message"), BAD)
def test_bad_filter(pattern: str, extract: str | None, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Filter(pattern, extract)
