"""npm-style ranges (tagbot/policy/ranges.py) checked against tagbot's tolerant versions."""

from __future__ import annotations

import pytest

from tagbot.errors import ConfigError
from tagbot.policy.ranges import Range
from tagbot.policy.versions import parse_semver

P = pytest.param
CONTAINS = [
    # range, version, inside?
    P("^1.2", "1.2.0", True, id="caret-floor"),
    P("^1.2", "1.99.7", True, id="caret-inside"),
    P("^1.2", "2.0.0", False, id="caret-ceiling"),
    P("^1.2", "1.1.9", False, id="caret-below"),
    P("^0.2.3", "0.2.9", True, id="caret-zero-major"),
    P("^0.2.3", "0.3.0", False, id="caret-zero-major-minor-bump"),
    P("~1.2.3", "1.2.9", True, id="tilde-patch"),
    P("~1.2.3", "1.3.0", False, id="tilde-minor"),
    P("~1.2", "1.2.0", True, id="tilde-two-part"),
    P(">=1.0 <2", "1.99.1", True, id="and-inside"),
    P(">=1.0 <2", "2.0.0", False, id="and-ceiling"),
    P(">=1.0, <2", "1.5", True, id="comma-as-and-flux"),
    P("1.x", "1.0.0", True, id="x-range"),
    P("1.x", "2.0.0", False, id="x-range-out"),
    P("1.2.*", "1.2.7", True, id="star-in-part"),
    P("*", "0.0.1", True, id="star"),
    P("1.2 - 1.4", "1.4.9", True, id="hyphen-inclusive"),
    P("1.2 - 1.4", "1.5.0", False, id="hyphen-out"),
    P("^1.2 || ^3", "3.1.0", True, id="or"),
    P("^1.2 || ^3", "2.0.0", False, id="or-out"),
    P("1.25.3", "1.25.3", True, id="exact"),
    P("=1.25.3", "1.25.4", False, id="exact-out"),
    P("^v1.2", "1.3.0", True, id="v-in-range"),
    P(">=2024.01", "2024.01.15", True, id="calver-leading-zero"),
    P(">=2024.01", "2023.12.31", False, id="calver-below"),
    P("^1.2", "1.3.0-rc.1", True, id="pre-release-inside"),
    P("<2", "2.0.0-rc.1", False, id="bound-pre-release-excluded"),
    P(">=1.0 <2", "2.0.0-rc1", False, id="bound-pre-release-excluded-glued"),
    P(">1.2.3-rc.9", "1.2.3-rc.10", True, id="pre-release-bound-numeric"),
    P(">1.2.3-rc.9", "1.2.3-rc.8", False, id="pre-release-bound-below"),
    P("^1.25", "1.26", True, id="two-part-version"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "tag", "inside"), CONTAINS)
def test_contains(text: str, tag: str, inside: bool) -> None:
    version = parse_semver(tag)
    assert version is not None and version.core is not None
    assert Range(text).contains(version.core, version.pre) is inside


BAD = [
    P("garbage", "invalid range", id="word"),
    P(">=1.0 <", "invalid range", id="dangling-operator"),
    P("1.2.3.4", "invalid range", id="four-parts"),
    P("latest", "invalid range", id="alias"),
    P("", "empty range", id="empty"),
    P("   ", "empty range", id="blank"),
    P("^1 ||", "empty alternative", id="empty-alternative"),
    P(">=a", "invalid range", id="letters"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_range(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Range(text)
