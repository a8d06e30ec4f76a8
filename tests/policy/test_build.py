"""The factory (tagbot/policy/build.py): bad settings fail at build; the select contract holds."""

from __future__ import annotations

from typing import Any

import pytest

from tagbot.errors import ConfigError
from tagbot.models import PolicySpec, Tag
from tagbot.policy import POLICIES, build, reasons
from tests.policy.lists import all_images, names, tags

P = pytest.param
BAD_SPECS = [
    P({"kind": "newest"}, "unknown policy 'newest'", id="unknown-kind"),
    P({"order": "random"}, "unknown order 'random'", id="unknown-order"),
    P({"range": "^1.2 <"}, "invalid range", id="bad-range"),
    P({"range": "latest"}, "invalid range", id="word-range"),
    P({"range": ""}, "empty range", id="empty-range"),
    P({"kind": "numerical", "range": ">=100"}, "'range' applies to semver and calver", id="range-on-numerical"),
    P({"kind": "alphabetical", "range": "^1"}, "'range' applies to semver and calver", id="range-on-alphabetical"),
    P({"filter": "(unclosed"}, "invalid filter regex", id="bad-filter"),
    P({"filter": "^v(?P<v>.*)", "extract": "$version"}, "no group named 'version'", id="extract-unknown-group"),
    P({"extract": "$ts"}, "'extract' needs a 'filter'", id="extract-without-filter"),
    P({"ignore": ("/[/",)}, "invalid ignore regex", id="bad-ignore-regex"),
    P({"ignore": ("",)}, "empty ignore rule", id="empty-ignore"),
    P({"kind": "digest", "range": "^1"}, "'range' does not apply to the digest policy", id="digest-range"),
    P({"kind": "digest", "filter": "x"}, "'filter' does not apply", id="digest-filter"),
    P({"kind": "pin", "prerelease": True}, "'prerelease' does not apply", id="pin-prerelease"),
    P({"kind": "newest-build", "order": "numerical"}, "'order' does not apply", id="newest-order"),
    P({"kind": "newest-build", "range": "*"}, "'range' does not apply", id="newest-range"),
]  # fmt: skip


@pytest.mark.parametrize(("options", "message"), BAD_SPECS)
def test_bad_spec_fails_at_build(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build(PolicySpec(**options))


@pytest.mark.parametrize(
    ("kind", "needs"),
    [
        ("semver", "tags"),
        ("calver", "tags"),
        ("numerical", "tags"),
        ("alphabetical", "tags"),
        ("pin", "tags"),
        ("digest", "digest"),
        ("newest-build", "created"),
    ],
)
def test_needs(kind: Any, needs: str) -> None:
    assert kind in POLICIES
    assert build(PolicySpec(kind=kind)).needs == needs


SPECS = [
    PolicySpec(),
    PolicySpec(prerelease=True, range=">=1 <100"),
    PolicySpec(kind="calver"),
    PolicySpec(kind="numerical", ignore=("*-debug",)),
    PolicySpec(kind="alphabetical", filter="[0-9]"),
    PolicySpec(kind="pin"),
    PolicySpec(kind="digest"),
    PolicySpec(kind="newest-build"),
]
CASES = [
    P(image, current, spec, id=f"{image}-{spec.kind}-{i}-{'none' if current is None else j}")
    for image in all_images()
    for i, spec in enumerate(SPECS)
    for j, current in enumerate((None, names(image)[len(names(image)) // 2], "0.0.1-not-listed"))
]


@pytest.mark.parametrize(("image", "current", "spec"), CASES)
def test_every_tag_once_with_one_known_reason(
    image: str, current: str | None, spec: PolicySpec
) -> None:
    listed = [*tags(image), Tag("1.2.3+build"), Tag("x" * 129), Tag(names(image)[0])]
    selection = build(spec).select(current, listed)
    expected = {t.name for t in listed} - {current, selection.selected}
    rejected = [r.tag for r in selection.rejected]
    assert sorted(rejected) == sorted(expected)  # each once, duplicates listed once
    assert all(r.reason in reasons.ALL for r in selection.rejected)
    assert selection.selected is None or selection.selected in {t.name for t in listed}
    assert build(spec).select(current, listed) == selection  # pure: same answer twice


def test_invalid_tags_are_rejected_not_raised() -> None:
    listed = [Tag("1.2.4"), Tag("1.2.5+build"), Tag("-1.2.6"), Tag("1.2.7\n"), Tag("x" * 129)]
    selection = build(PolicySpec()).select("1.2.3", listed)
    assert selection.selected == "1.2.4"
    assert [r.reason for r in selection.rejected] == [reasons.INVALID] * 4


def test_same_version_different_build_metadata() -> None:
    listed = [Tag("1.2.3_1"), Tag("1.2.3_3"), Tag("1.2.2_9")]
    selection = build(PolicySpec()).select("1.2.3_2", listed)
    assert selection.selected is None
    assert [r.reason for r in selection.rejected] == [reasons.SAME, reasons.SAME, reasons.OLDER]


def test_equal_versions_tie_break_by_natural_name() -> None:
    listed = [Tag("21.0.2_9-jdk"), Tag("21.0.2_13-jdk"), Tag("21.0.2_10-jdk")]
    selection = build(PolicySpec()).select("21.0.1_12-jdk", listed)
    assert selection.selected == "21.0.2_13-jdk"
    assert build(PolicySpec()).select("21.0.1_12-jdk", listed[::-1]).selected == "21.0.2_13-jdk"


WHY = [
    P("nginx", "1.25.3-alpine", {}, "newest semver tag in family X.Y.Z-alpine", id="picked"),
    P("nginx", "1.24.0", {"range": "~1.24"}, "already newest in family X.Y.Z, range ~1.24", id="newest"),
    P("nginx", "1.24.0-bullseye", {}, "already newest in family X.Y.Z-bullseye", id="newest-variant"),
    P("nginx", "1.24.0-ubuntu", {}, "no candidate in family X.Y.Z-ubuntu", id="no-family"),
    P("nginx", None, {}, "newest semver tag in plain tags", id="no-current"),
    P("nginx", "latest", {}, "current tag latest is not a version in semver order", id="alias-current"),
    P("bitnami-nginx", "1.25.3-debian-12-r4", {}, "newest semver tag in family X.Y.Z-debian-12-rN", id="bitnami"),
    P("prometheus", "v2.49.1", {}, "newest semver tag in family vX.Y.Z", id="v-prefix"),
    P("ubuntu", "jammy-20240111", {"kind": "calver"}, "newest calver tag in family jammy-YYYY", id="calver"),
    P("minio", None, {"kind": "calver"}, "no calver tag among plain tags", id="calver-none"),
    P("flux-main", None, {"kind": "numerical", "filter": "^main-[a-f0-9]+-(?P<ts>[0-9]+)$", "extract": "$ts"},
      "newest numerical tag in plain tags, filter ^main-[a-f0-9]+-(?P<ts>[0-9]+)$", id="filter"),
]  # fmt: skip


@pytest.mark.parametrize(("image", "current", "options", "why"), WHY)
def test_selection_reason(
    image: str, current: str | None, options: dict[str, Any], why: str
) -> None:
    assert build(PolicySpec(**options)).select(current, tags(image)).reason == why


def test_every_reason_string_is_reachable() -> None:
    """Each documented reason comes out of at least one real selection."""
    sig = "sha256-" + "c" * 64 + ".sig"
    found: set[str] = set()
    runs = [
        (PolicySpec(ignore=("*-perl",), range="<1.25.4"), "1.25.1", tags("nginx")),
        (PolicySpec(), "1.24.0-alpine", [*tags("bitnami-nginx"), Tag("1.2.3+b"), Tag("1a2b3c4")]),
        (PolicySpec(), "7.2", tags("redis")),
        (PolicySpec(), "1.2.3_2", [Tag("1.2.3_1")]),
        (PolicySpec(), "latest", tags("nginx")),
        (PolicySpec(kind="calver"), "2022.04.1", tags("pihole")),
        (PolicySpec(kind="numerical"), "1000", [*tags("ci-builds"), Tag("v5.8.1")]),
        (PolicySpec(kind="numerical", filter="^main-[0-9a-f]+-(?P<t>.*)", extract="$t"), "main-1a2b3c4-1705400000", tags("flux-main")),
        (PolicySpec(kind="pin"), "1.25.3", tags("nginx")),
        (PolicySpec(kind="digest"), "latest", tags("nginx")),
        (PolicySpec(kind="newest-build"), "a", [Tag("a", created=None), Tag(sig)]),
        (PolicySpec(kind="newest-build"), None, [Tag("b", created=None)]),
    ]  # fmt: skip
    for spec, current, listed in runs:
        found |= {r.reason for r in build(spec).select(current, listed).rejected}
    assert found == set(reasons.ALL)
