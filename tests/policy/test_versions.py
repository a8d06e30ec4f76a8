"""Tolerant tag reading (tagbot/policy/versions.py): anatomy of a tag and the order of versions."""

from __future__ import annotations

import pytest

from tagbot.policy.versions import natural, parse_semver

P = pytest.param
ANATOMY = [
    # tag, prefix, parts, pre-release?, variant, revision family?
    P("1.25.3", "", (1, 25, 3), False, "", False, id="plain"),
    P("v1.25.3", "v", (1, 25, 3), False, "", False, id="v-prefix"),
    P("1.27.1-alpine", "", (1, 27, 1), False, "alpine", False, id="alpine-is-a-variant"),
    P("1.25.4-alpine3.18-slim", "", (1, 25, 4), False, "alpine3.18-slim", False, id="alpine3.18-slim"),
    P("3.12.2-slim-bookworm", "", (3, 12, 2), False, "slim-bookworm", False, id="slim-bookworm"),
    P("1.25.3-debian-12-r4", "", (1, 25, 3), False, "debian-12", True, id="bitnami-revision"),
    P("1.2.3-r1", "", (1, 2, 3), False, "", True, id="alpine-package-revision"),
    P("1.2.3-2", "", (1, 2, 3), False, "", True, id="numeric-rebuild"),
    P("1.25", "", (1, 25), False, "", False, id="two-part"),
    P("1.2.3.4", "", (1, 2, 3, 4), False, "", False, id="four-part"),
    P("1.0.0-rc.10", "", (1, 0, 0), True, "", False, id="dotted-rc"),
    P("1.0.0-rc10", "", (1, 0, 0), True, "", False, id="glued-rc"),
    P("1.0.0-RC1", "", (1, 0, 0), True, "", False, id="upper-rc"),
    P("7.4-rc2-alpine", "", (7, 4), True, "alpine", False, id="rc-then-variant"),
    P("17beta1-bookworm", "", (17,), True, "bookworm", False, id="postgres-beta"),
    P("3.13.0a4-slim", "", (3, 13, 0), True, "slim", False, id="python-alpha"),
    P("2024.3.0b1", "", (2024, 3, 0), True, "", False, id="calver-beta"),
    P("8.0-M01", "", (8, 0), True, "", False, id="milestone"),
    P("22-ea-19-jdk", "", (22,), True, "jdk", False, id="early-access"),
    P("1.2.3-devel", "", (1, 2, 3), False, "devel", False, id="devel-is-not-dev"),
    P("1.2.3-preview.2", "", (1, 2, 3), True, "", False, id="preview"),
    P("21.0.2_13-jdk-jammy", "", (21, 0, 2), False, "jdk-jammy", False, id="build-after-underscore"),
    P("16.8.1-ce.0", "", (16, 8, 1), False, "ce.0", False, id="gitlab-edition"),
    P("release-2.4.1", "release-", (2, 4, 1), False, "", False, id="word-prefix"),
    P("2022.04.1", "", (2022, 4, 1), False, "", False, id="calver-leading-zero"),
]  # fmt: skip


@pytest.mark.parametrize(("tag", "prefix", "parts", "pre", "variant", "revision"), ANATOMY)
def test_anatomy(
    tag: str, prefix: str, parts: tuple[int, ...], pre: bool, variant: str, revision: bool
) -> None:
    version = parse_semver(tag)
    assert version is not None
    assert (version.family.prefix, version.key[0], version.prerelease) == (prefix, parts, pre)
    assert (version.family.variant, version.family.revision) == (variant, revision)


@pytest.mark.parametrize(
    "tag", ["latest", "alpine", "bookworm", "", "8u402-b06-jdk", "1.2.3alpine"]
)
def test_not_a_version(tag: str) -> None:
    assert parse_semver(tag) is None


@pytest.mark.parametrize(
    ("tag", "scheme"),
    [
        P("2024.01.15", "calendar", id="dotted-date"),
        P("20240115", "calendar", id="compact-date"),
        P("jammy-20240125", "calendar", id="prefixed-date"),
        P("1.25.3", "semver", id="semver"),
        P("1999", "calendar", id="year"),
        P("1234", "semver", id="build-number"),
        P("12345678", "semver", id="eight-digits-not-a-date"),
    ],
)
def test_scheme(tag: str, scheme: str) -> None:
    version = parse_semver(tag)
    assert version is not None
    assert version.family.scheme == scheme


ORDER = [
    # lower, higher
    P("1.0.0-rc9", "1.0.0-rc10", id="rc9-rc10"),
    P("1.0.0-rc.9", "1.0.0-rc.10", id="rc.9-rc.10"),
    P("1.0.0-rc10", "1.0.0-rc.11", id="glued-vs-dotted"),
    P("1.0.0-alpha.2", "1.0.0-beta.1", id="alpha-beta"),
    P("1.0.0-beta.11", "1.0.0-rc.1", id="beta-rc"),
    P("1.0.0-rc.1", "1.0.0", id="rc-release"),
    P("1.0.0-rc", "1.0.0-rc.1", id="bare-rc-first"),
    P("3.13.0a4", "3.13.0b1", id="python-a-b"),
    P("3.13.0b4", "3.13.0rc1", id="python-b-rc"),
    P("2024.3.0.dev20240220", "2024.3.0b0", id="dev-before-beta"),
    P("1.9.0", "1.10.0", id="numeric-minor"),
    P("1.28.9", "1.28.10", id="numeric-patch"),
    P("1.25.3-debian-12-r9", "1.25.3-debian-12-r10", id="revision-r10"),
    P("1.25.3-debian-12-r10", "1.25.4-debian-12-r0", id="release-beats-revision"),
    P("2022.04.1", "2022.10.0", id="leading-zero-month"),
    P("8.0-M9", "8.0-M10", id="milestones"),
]  # fmt: skip


@pytest.mark.parametrize(("lower", "higher"), ORDER)
def test_order(lower: str, higher: str) -> None:
    low, high = parse_semver(lower), parse_semver(higher)
    assert low is not None and high is not None
    assert low.key < high.key


def test_build_metadata_does_not_order() -> None:
    one, two = parse_semver("21.0.2_13-jdk"), parse_semver("21.0.2_14-jdk")
    assert one is not None and two is not None
    assert one.key == two.key


NATURAL = [
    P("21.0.2_9-jdk", "21.0.2_14-jdk", id="build-numbers-by-value"),
    P("1.2.3_1", "1.2.3_1a", id="then-the-text"),
    P("1²", "1³", id="a-digit-no-regex-reads-stays-text"),
    P("v1", "v01x", id="numbers-first-then-text"),
]


@pytest.mark.parametrize(("lower", "higher"), NATURAL)
def test_natural_order_of_names(lower: str, higher: str) -> None:
    assert natural(lower) < natural(higher)
    assert sorted([higher, lower], key=natural) == [lower, higher]


def test_natural_key_alternates_text_and_numbers() -> None:
    assert natural("1.2.3_14-jdk") == ("", 1, ".", 2, ".", 3, "_", 14, "-jdk")
    assert natural("latest") == ("latest",)
