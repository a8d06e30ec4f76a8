"""Semver policy over real tag lists: what it picks, and the one reason it gives for a tag."""

from __future__ import annotations

from typing import Any

import pytest

from tagbot.models import PolicySpec
from tagbot.policy import build, reasons
from tests.policy.lists import assert_pick, tags

P = pytest.param
PICKS = [
    # nginx: variants are families; precision is kept; aliases never picked.
    P("nginx", "1.25.3", {}, "1.25.4", id="nginx-plain-patch"),
    P("nginx", "1.25.3-alpine", {}, "1.25.4-alpine", id="nginx-alpine-stays-alpine"),
    P("nginx", "1.25.2-alpine-slim", {}, "1.25.4-alpine-slim", id="nginx-alpine-slim"),
    P("nginx", "1.24.0-alpine-perl", {}, "1.25.4-alpine-perl", id="nginx-alpine-perl"),
    P("nginx", "1.25.3-perl", {}, "1.25.4-perl", id="nginx-perl"),
    P("nginx", "1.25.3-alpine3.18", {}, "1.25.4-alpine3.18", id="nginx-alpine3.18"),
    P("nginx", "1.25.3-alpine3.18-slim", {}, "1.25.4-alpine3.18-slim", id="nginx-alpine3.18-slim"),
    P("nginx", "1.24.0-bullseye", {}, None, id="nginx-no-newer-bullseye"),
    P("nginx", "1.23", {}, "1.25", id="nginx-two-part-stays-two-part"),
    P("nginx", "1", {}, None, id="nginx-one-part-alias-alone"),
    P("nginx", "1.23.3", {"range": "~1.23"}, "1.23.4", id="nginx-tilde"),
    P("nginx", "1.24.0", {"range": "~1.24"}, None, id="nginx-tilde-nothing-newer"),
    P("nginx", "1.22.1", {"range": ">=1.22 <1.25"}, "1.24.0", id="nginx-upper-bound"),
    P("nginx", "1.22.1", {"range": "1.x"}, "1.25.4", id="nginx-x-range"),
    P("nginx", "1.22.1", {"range": "*"}, "1.25.4", id="nginx-star"),
    P("nginx", "1.19.10", {"range": "^1.21"}, "1.25.4", id="nginx-caret-from-below"),
    P("nginx", None, {}, "1.25.4", id="nginx-no-current"),
    P("nginx", "1.25.4", {}, None, id="nginx-already-newest"),
    P("nginx", "1.26.0", {}, None, id="nginx-current-not-listed-no-downgrade"),
    P("nginx", "1.25.1-alpine", {"ignore": ("1.25.4*",)}, "1.25.3-alpine", id="nginx-ignore-glob"),
    P("nginx", "1.25.1", {"ignore": ("/^1\\.25\\.[34]$/",)}, "1.25.2", id="nginx-ignore-regex"),
    P("nginx", "mainline", {}, None, id="nginx-current-alias"),
    # redis: `-alpine3.19` is its own family; two-part release candidates.
    P("redis", "7.2.3", {}, "7.2.5", id="redis-plain"),
    P("redis", "7.2.3-alpine3.19", {}, "7.2.5-alpine3.19", id="redis-alpine3.19"),
    P("redis", "7.2.2-alpine3.18", {}, "7.2.3-alpine3.18", id="redis-alpine3.18-not-3.19"),
    P("redis", "7.2.3-bookworm", {}, "7.2.5-bookworm", id="redis-bookworm"),
    P("redis", "7.0.14", {"range": "~7.0"}, "7.0.15", id="redis-tilde-7.0"),
    P("redis", "6.2.13", {"range": "^6"}, "6.2.14", id="redis-caret-6"),
    P("redis", "7.2", {}, None, id="redis-two-part-rc-not-allowed"),
    P("redis", "7.2", {"prerelease": True}, "7.4-rc2", id="redis-two-part-rc-allowed"),
    P("redis", "7.2.3", {"prerelease": True}, "7.2.5", id="redis-rc-other-precision"),
    P("redis", "7.4-rc1", {}, "7.4-rc2", id="redis-current-rc"),
    P("redis", "7.4-rc1-alpine", {}, "7.4-rc2-alpine", id="redis-current-rc-alpine"),
    P("redis", "7.0-rc3", {}, "7.4-rc2", id="redis-current-rc-allows-later-rc"),
    # postgres: two-part releases; `16` is an alias; 17beta1 is a pre-release.
    P("postgres", "16.1", {}, "16.3", id="postgres-minor"),
    P("postgres", "16.2-bookworm", {}, "16.3-bookworm", id="postgres-bookworm"),
    P("postgres", "16.2-alpine3.19", {}, "16.3-alpine3.19", id="postgres-alpine3.19"),
    P("postgres", "16", {}, None, id="postgres-one-part-beta-not-allowed"),
    P("postgres", "15.6", {"range": "^15"}, "15.7", id="postgres-caret-15"),
    P("postgres", "9.6.24", {}, None, id="postgres-three-part-stays"),
    P("postgres", None, {}, "16.3", id="postgres-no-current"),
    P("postgres", "16.2", {"prerelease": True}, "16.3", id="postgres-beta-other-precision"),
    # node: codenames and lts are aliases; alpine3.18 and alpine3.19 are separate families.
    P("node", "20.11.0-alpine3.19", {"range": "^20"}, "20.11.1-alpine3.19", id="node-alpine3.19"),
    P("node", "20.10.0-alpine3.18", {"range": "^20"}, "20.11.1-alpine3.18", id="node-alpine3.18"),
    P("node", "20.11.0-bookworm-slim", {}, "21.6.2-bookworm-slim", id="node-bookworm-slim"),
    P("node", "20.11.0-bookworm-slim", {"range": "~20.11"}, "20.11.1-bookworm-slim", id="node-tilde"),
    P("node", "18.19.0", {"range": "18.x"}, "18.19.1", id="node-18.x"),
    P("node", "20-alpine", {}, "21-alpine", id="node-one-part-alpine"),
    P("node", "lts-alpine", {}, None, id="node-current-lts"),
    P("node", None, {}, "21.6.2", id="node-no-current"),
    # python: `-slim-bookworm`; alpha releases only when allowed or current.
    P("python", "3.12.1-slim-bookworm", {}, "3.12.2-slim-bookworm", id="python-slim-bookworm"),
    P("python", "3.11.7-slim-bookworm", {"range": "~3.11"}, "3.11.8-slim-bookworm", id="python-tilde"),
    P("python", "3.12.1-alpine3.19", {}, "3.12.2-alpine3.19", id="python-alpine3.19"),
    P("python", "3.12.1-alpine3.18", {}, None, id="python-alpine3.18-none"),
    P("python", "3.12-slim", {}, None, id="python-two-part-slim"),
    P("python", "3.12-slim", {"prerelease": True}, "3.13-rc-slim", id="python-two-part-rc"),
    P("python", "3.12.1-slim-bookworm", {"prerelease": True}, "3.13.0a4-slim-bookworm", id="python-alpha-allowed"),
    P("python", "3.13.0a3-slim-bookworm", {}, "3.13.0a4-slim-bookworm", id="python-current-alpha"),
    P("python", "3.12.2", {}, None, id="python-alpha-not-allowed"),
    P("python", "3.12.0", {"range": "<3.12.2"}, "3.12.1", id="python-less-than"),
    # bitnami: `-debian-12-rN`, revisions order numerically (r10 > r9).
    P("bitnami-nginx", "1.25.3-debian-12-r4", {}, "1.25.4-debian-12-r2", id="bitnami-next-release"),
    P("bitnami-nginx", "1.25.3-debian-12-r4", {"range": "1.25.3"}, "1.25.3-debian-12-r10", id="bitnami-revision"),
    P("bitnami-nginx", "1.25.3-debian-12-r9", {"range": "<1.25.4"}, "1.25.3-debian-12-r10", id="bitnami-r10-after-r9"),
    P("bitnami-nginx", "1.25.2-debian-11-r29", {}, "1.25.3-debian-11-r10", id="bitnami-debian-11-stays"),
    P("bitnami-nginx", "1.24.0-debian-11-r99", {"range": "~1.24"}, "1.24.0-debian-11-r153", id="bitnami-r153"),
    P("bitnami-nginx", "1.25.3", {}, "1.25.4", id="bitnami-plain"),
    # calver beside semver: never cross schemes; leading zeros are fine.
    P("app-calver-then-semver", "1.1.0", {}, "1.2.0", id="switch-semver-not-old-calver"),
    P("app-calver-then-semver", None, {}, "1.2.0", id="switch-no-current"),
    P("app-calver-then-semver", "1.2.0", {"prerelease": True}, "1.3.0-rc.2", id="switch-rc-allowed"),
    P("app-calver-then-semver", "2021.10.0", {}, "2022.06.2", id="switch-calver-stays-calver"),
    P("pihole", "v5.7", {}, "v5.8", id="pihole-v-two-part"),
    P("pihole", "v5.8.1", {}, None, id="pihole-v-not-to-calver"),
    P("pihole", "2022.04.1", {}, "2024.02.0", id="pihole-leading-zero"),
    P("homeassistant", "2024.1.5", {}, "2024.2.2", id="ha-calver-in-semver"),
    P("homeassistant", "2024.1.5", {"prerelease": True}, "2024.3.0b1", id="ha-beta-over-dev"),
    P("homeassistant", "2024.2.0b9", {}, "2024.3.0b1", id="ha-current-beta"),
    # golang: `1.22rc2` is a two-part release candidate of 1.22.
    P("golang", "1.21.6", {}, "1.22.0", id="golang-minor"),
    P("golang", "1.21.6-alpine3.19", {"range": "~1.21"}, "1.21.7-alpine3.19", id="golang-tilde-alpine"),
    P("golang", "1.21", {}, "1.22", id="golang-two-part"),
    P("golang", "1.22rc1", {}, "1.22", id="golang-rc-to-release"),
    P("golang", "1.21rc3", {}, "1.22", id="golang-old-rc-to-release"),
    P("golang", "1.22rc1-alpine3.19", {}, "1.22rc2-alpine3.19", id="golang-rc-alpine-unlisted-current"),
    # v-prefixed projects: the prefix is part of the family and kept as written.
    P("prometheus", "v2.49.1", {}, "v2.50.0", id="prometheus-v"),
    P("prometheus", "v2.45.2", {"range": "~2.45"}, "v2.45.3", id="prometheus-tilde"),
    P("prometheus", "v2.49.1", {"prerelease": True}, "v2.51.0-rc.0", id="prometheus-rc-allowed"),
    P("prometheus", "v2.50.0-rc.0", {}, "v2.51.0-rc.0", id="prometheus-current-rc"),
    P("traefik", "v2.10.7", {}, "v2.11.0", id="traefik-v-stays-v"),
    P("traefik", "2.10.7", {}, "2.11.0", id="traefik-plain-stays-plain"),
    P("traefik", "v2.10", {}, "v2.11", id="traefik-v-two-part"),
    P("traefik", "v3.0.0-rc9", {}, "v3.0.0-rc10", id="traefik-rc10-after-rc9"),
    P("traefik", "v3.0.0-rc3", {}, "v3.0.0-rc10", id="traefik-rc3-to-rc10"),
    P("traefik", "v2.10.7-windowsservercore-1809", {}, "v2.11.0-windowsservercore-1809", id="traefik-windows"),
    P("kube-apiserver", "v1.28.9", {"range": "~1.28"}, "v1.28.10", id="k8s-patch-10-after-9"),
    P("kube-apiserver", "v1.29.1", {}, "v1.29.2", id="k8s-patch"),
    P("kube-apiserver", "v1.30.0-alpha.1", {}, "v1.30.0-rc.2", id="k8s-alpha-to-rc"),
    P("kube-apiserver", "v1.29.0-rc.2", {"range": "~1.29"}, "v1.29.2", id="k8s-rc-to-release"),
    # Build metadata after `_`, edition suffixes.
    P("temurin", "21.0.1_12-jdk-jammy", {}, "21.0.2_13-jdk-jammy", id="temurin-jdk-jammy"),
    P("temurin", "21.0.1_12-jre-jammy", {}, "21.0.2_13-jre-jammy", id="temurin-jre-jammy"),
    P("temurin", "17.0.9_9-jdk-jammy", {"range": "^17"}, "17.0.10_7-jdk-jammy", id="temurin-17"),
    P("gitlab-ce", "16.8.1-ce.0", {}, "16.9.1-ce.0", id="gitlab-ce-edition"),
    P("gitlab-ce", "16.9.1-ce.0", {"prerelease": True}, "16.10.0-rc42.ce.0", id="gitlab-ce-rc"),
]  # fmt: skip


@pytest.mark.parametrize(("image", "current", "options", "expected"), PICKS)
def test_picks(
    image: str, current: str | None, options: dict[str, Any], expected: str | None
) -> None:
    assert_pick(image, current, options, expected)


REASONS = [
    P("nginx", "1.25.3-alpine", {}, "1.25.4", reasons.OTHER_FAMILY, id="variant-vs-plain"),
    P("nginx", "1.25.3-alpine", {}, "1.25.4-alpine-slim", reasons.OTHER_FAMILY, id="alpine-vs-alpine-slim"),
    P("nginx", "1.25.3-alpine", {}, "1.25.4-alpine3.18", reasons.OTHER_FAMILY, id="alpine-vs-alpine3.18"),
    P("nginx", "1.25.3-alpine", {}, "1.25-alpine", reasons.ALIAS, id="two-part-alias"),
    P("nginx", "1.25.3-alpine", {}, "1-alpine", reasons.ALIAS, id="one-part-alias"),
    P("nginx", "1.25.3-alpine", {}, "latest", reasons.ALIAS, id="latest"),
    P("nginx", "1.25.3-alpine", {}, "stable-alpine", reasons.ALIAS, id="stable-alpine"),
    P("nginx", "1.25.3-alpine", {}, "mainline-alpine3.18", reasons.ALIAS, id="mainline-alpine3.18"),
    P("nginx", "1.25.3-alpine", {}, "alpine", reasons.NOT_VERSION, id="bare-variant"),
    P("nginx", "1.25.3-alpine", {}, "1.25.2-alpine", reasons.OLDER, id="older"),
    P("nginx", "1.25.1-alpine", {}, "1.25.3-alpine", reasons.NOT_NEWEST, id="not-newest"),
    P("nginx", None, {}, "1.25", reasons.ALIAS, id="no-current-alias"),
    P("nginx", None, {}, "1.25.3", reasons.NOT_NEWEST, id="no-current-not-newest"),
    P("nginx", None, {}, "1.25.4-alpine", reasons.OTHER_FAMILY, id="no-current-variant"),
    P("nginx", "1.22.1", {"range": ">=1.22 <1.25"}, "1.25.4", reasons.OUTSIDE_RANGE, id="outside-range"),
    P("nginx", "1.25.1-alpine", {"ignore": ("1.25.4*",)}, "1.25.4-alpine", reasons.IGNORED, id="ignored"),
    P("nginx", "mainline", {}, "1.25.4", reasons.CURRENT_UNKNOWN, id="current-not-comparable"),
    P("redis", "7.2.3", {}, "7.4-rc2", reasons.PRERELEASE, id="rc-fewer-parts-pre-release"),
    P("redis", "7.2.3", {"prerelease": True}, "7.4-rc2", reasons.OTHER_FAMILY, id="rc-other-precision"),
    P("redis", "7.2", {}, "7.4-rc2", reasons.PRERELEASE, id="rc-pre-release"),
    P("redis", "7.2", {}, "7", reasons.ALIAS, id="redis-major-alias"),
    P("postgres", "16.2", {}, "17beta1", reasons.PRERELEASE, id="beta-pre-release"),
    P("python", "3.12.1-slim-bookworm", {}, "3.13.0a4-slim-bookworm", reasons.PRERELEASE, id="alpha"),
    P("python", "3.12.1-slim-bookworm", {}, "3.12.2-slim", reasons.OTHER_FAMILY, id="slim-vs-slim-bookworm"),
    P("node", "20.11.0-alpine3.19", {}, "iron", reasons.NOT_VERSION, id="codename"),
    P("node", "20.11.0-alpine3.19", {}, "iron-alpine3.19", reasons.OTHER_FAMILY, id="codename-prefix"),
    P("node", "20.11.0-alpine3.19", {}, "lts-alpine3.19", reasons.ALIAS, id="lts-alpine"),
    P("bitnami-nginx", "1.25.3-debian-12-r4", {}, "1.25.3-debian-12-r3", reasons.OLDER, id="older-revision"),
    P("bitnami-nginx", "1.25.3-debian-12-r4", {}, "1.25.3-debian-11-r10", reasons.OTHER_FAMILY, id="debian-11"),
    P("bitnami-nginx", "1.25.3-debian-12-r4", {}, "1.25.4", reasons.OTHER_FAMILY, id="revision-vs-none"),
    P("bitnami-nginx", "1.25.3", {},
      "sha256-7d3c2f3a1f5b9e0c0f4e2d8a5b7c1e9f3a6d2b8c4e0f1a7b3d9c5e2f8a4b6c10.sig",
      reasons.SIGNATURE, id="cosign-signature"),
    P("flux-main", "v1.3.0", {}, "sha-9f8e7d6", reasons.SHA, id="sha-prefixed"),
    P("flux-main", "v1.3.0", {}, "main-1a2b3c4-1705400000", reasons.NOT_VERSION, id="branch-build"),
    P("app-calver-then-semver", "1.1.0", {}, "2022.06.2", reasons.OTHER_FAMILY, id="calver-beside-semver"),
    P("app-calver-then-semver", "2021.10.0", {}, "1.2.0", reasons.OTHER_FAMILY, id="semver-beside-calver"),
    P("pihole", "v5.8.1", {}, "2024.02.0", reasons.OTHER_FAMILY, id="pihole-calver"),
    P("traefik", "v2.10.7", {}, "2.11.0", reasons.OTHER_FAMILY, id="no-v-vs-v"),
    P("traefik", "v2.10.7", {}, "mimolette", reasons.NOT_VERSION, id="traefik-codename"),
]  # fmt: skip


@pytest.mark.parametrize(("image", "current", "options", "tag", "reason"), REASONS)
def test_reasons(
    image: str, current: str | None, options: dict[str, Any], tag: str, reason: str
) -> None:
    selection = build(PolicySpec(**options)).select(current, tags(image))
    found = {r.tag: r.reason for r in selection.rejected}
    assert found[tag] == reason
