"""calver, numerical and alphabetical order (tagbot/policy/ordered.py) over real tag lists."""

from __future__ import annotations

from typing import Any

import pytest

from tagbot.models import PolicySpec, Tag
from tagbot.policy import build, reasons
from tests.policy.lists import assert_pick, tags

P = pytest.param
PICKS = [
    P("ubuntu", "jammy-20240111", {"kind": "calver"}, "jammy-20240125", id="ubuntu-codename-date"),
    P("ubuntu", "noble-20240212", {"kind": "calver"}, "noble-20240225", id="ubuntu-noble"),
    P("ubuntu", "22.04", {"kind": "calver"}, "24.04", id="ubuntu-yy-mm"),
    P("ubuntu", "jammy-20240125", {"kind": "calver"}, None, id="ubuntu-newest"),
    P("minio", "RELEASE.2024-01-16T16-07-38Z", {"kind": "calver"}, "RELEASE.2024-02-09T21-25-16Z", id="minio-iso"),
    P("minio", "RELEASE.2024-01-16T16-07-38Z-cpuv1", {"kind": "calver"}, "RELEASE.2024-02-09T21-25-16Z-cpuv1", id="minio-cpuv1"),
    P("minio", "RELEASE.2024-01-16T16-07-38Z.fips", {"kind": "calver"}, "RELEASE.2024-02-09T21-25-16Z.fips", id="minio-fips"),
    P("minio", None, {"kind": "calver"}, None, id="minio-no-current-no-plain"),
    P("pihole", "2022.04.1", {"kind": "calver"}, "2024.02.0", id="pihole-leading-zero"),
    P("pihole", "2022.01", {"kind": "calver"}, "2022.05", id="pihole-two-part"),
    P("pihole", "2022.04.1", {"kind": "calver", "range": "<2023"}, "2022.12.1", id="pihole-range"),
    P("pihole", None, {"kind": "calver"}, "2024.02.0", id="pihole-no-current"),
    P("homeassistant", "2024.1.5", {"kind": "calver"}, "2024.2.2", id="ha-calver"),
    P("ci-builds", "999", {"kind": "numerical"}, "1010", id="builds-numeric-not-text"),
    P("ci-builds", "1010", {"kind": "numerical"}, None, id="builds-newest"),
    P("ci-builds", "build-1011", {"kind": "numerical"}, "build-1012", id="builds-prefixed"),
    P("ci-builds", None, {"kind": "numerical"}, "1010", id="builds-no-current"),
    P("ci-builds", "998", {"kind": "numerical", "ignore": ("1010",)}, "1002", id="builds-ignore"),
    P("minio", "RELEASE.2024-01-16T16-07-38Z", {"kind": "alphabetical", "filter": "^RELEASE\\.[-0-9T]+Z$"}, "RELEASE.2024-02-09T21-25-16Z", id="minio-alphabetical"),
    P("ci-builds", "998", {"kind": "alphabetical", "filter": "^[0-9]+$"}, "999", id="alphabetical-is-text"),
]  # fmt: skip


@pytest.mark.parametrize(("image", "current", "options", "expected"), PICKS)
def test_picks(
    image: str, current: str | None, options: dict[str, Any], expected: str | None
) -> None:
    assert_pick(image, current, options, expected)


REASONS = [
    P("ubuntu", "jammy-20240111", "calver", "noble-20240225", reasons.OTHER_FAMILY, id="other-codename"),
    P("ubuntu", "jammy-20240111", "calver", "jammy-20231211.1", reasons.OTHER_FAMILY, id="extra-part"),
    P("ubuntu", "jammy-20240111", "calver", "jammy-20231128", reasons.OLDER, id="older-date"),
    P("ubuntu", "jammy-20240111", "calver", "jammy", reasons.NOT_DATE, id="codename"),
    P("ubuntu", "jammy-20240111", "calver", "rolling", reasons.ALIAS, id="rolling"),
    P("pihole", "2022.04.1", "calver", "v5.8.1", reasons.NOT_DATE, id="semver-is-not-a-date"),
    P("pihole", "2022.04.1", "calver", "2022.05", reasons.ALIAS, id="fewer-parts"),
    P("pihole", "2022.04.1", "calver", "nightly", reasons.ALIAS, id="nightly"),
    P("minio", "RELEASE.2024-01-16T16-07-38Z", "calver", "RELEASE.2024-02-09T21-25-16Z-cpuv1", reasons.OTHER_FAMILY, id="suffix"),
    P("ci-builds", "1001", "numerical", "999", reasons.OLDER, id="smaller-number"),
    P("ci-builds", "1001", "numerical", "build-1012", reasons.OTHER_FAMILY, id="prefixed-number"),
    P("ci-builds", "1001", "numerical", "1012-debug", reasons.OTHER_FAMILY, id="suffixed-number"),
    P("ci-builds", "1001", "numerical", "pr-77", reasons.OTHER_FAMILY, id="pr"),
    P("ci-builds", "1001", "numerical", "main", reasons.ALIAS, id="branch-alias"),
    P("pihole", "1001", "numerical", "v5.8.1", reasons.NOT_NUMBER, id="semver-is-not-a-number"),
    P("ci-builds", "1001", "numerical", "1002", reasons.NOT_NEWEST, id="not-newest"),
]  # fmt: skip


@pytest.mark.parametrize(("image", "current", "kind", "tag", "reason"), REASONS)
def test_reasons(image: str, current: str, kind: Any, tag: str, reason: str) -> None:
    selection = build(PolicySpec(kind=kind)).select(current, tags(image))
    assert {r.tag: r.reason for r in selection.rejected}[tag] == reason


def test_numerical_reads_decimals_as_flux_does() -> None:
    listed = [Tag("1.5"), Tag("1.10"), Tag("2")]
    selection = build(PolicySpec(kind="numerical")).select("1.2", listed)
    assert selection.selected == "2"
    assert {r.tag: r.reason for r in selection.rejected} == {
        "1.5": reasons.NOT_NEWEST,
        "1.10": reasons.OLDER,  # 1.10 is 1.1, below 1.2
    }


def test_current_not_a_date_keeps_it() -> None:
    selection = build(PolicySpec(kind="calver")).select("v5.8.1", tags("pihole"))
    assert selection.selected is None
    assert selection.reason == "current tag v5.8.1 is not a date in calver order"
    assert {r.reason for r in selection.rejected} == {reasons.CURRENT_UNKNOWN}


DATES = [
    "2023.12.31",
    "2024.01.15",
    "2024.02.01",
    "2024-01-15",
    "2024-02-09",
    "20240115",
    "20240301",
]
DATE_PICKS = [
    P("2024.01.15", "2024.02.01", id="dotted"),
    P("2024-01-15", "2024-02-09", id="dashed"),
    P("20240115", "20240301", id="compact"),
    P("2023.12.31", "2024.02.01", id="year-boundary"),
    P("2024.02.01", None, id="newest-dotted"),
]


@pytest.mark.parametrize(("current", "expected"), DATE_PICKS)
def test_date_formats_stay_apart(current: str, expected: str | None) -> None:
    selection = build(PolicySpec(kind="calver")).select(current, [Tag(n) for n in DATES])
    assert selection.selected == expected
