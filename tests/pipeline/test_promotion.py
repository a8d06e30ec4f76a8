"""Promotion decisions, one table: the source's exact image, never backwards, never a tag the
source has not run, held tags kept back, soak measured from the source's git time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tagbot import editor, policy
from tagbot.imageref import parse
from tagbot.models import Environment, ImageRef, PolicySpec, TagTime
from tagbot.pipeline.environments import Place
from tagbot.pipeline.holds import Hold
from tagbot.pipeline.promotion import promote

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
IMAGE = "ghcr.io/acme/api"
DEV = Environment("dev", ("dev/**",))
PROD = Environment("prod", ("prod/**",), "dev", timedelta(days=3))
DIGEST = "sha256:" + "a" * 64


class NoRegistry:
    """Promotion with a pinned source digest never asks the registry."""

    def get_digest(self, image: ImageRef, tag: str) -> str:
        raise AssertionError("promotion asked the registry for a digest")

    def get_created(self, image: ImageRef, tag: str) -> datetime | None:
        raise AssertionError("promotion asked the registry for a build time")

    def get_pushed(self, image: ImageRef, tag: str) -> TagTime | None:
        raise AssertionError("promotion asked the registry for a push time")


def where(env: Environment, *versions: str, since: datetime | None = None) -> Place:
    """`env` running `versions` (one file each)."""
    occs = []
    for i, version in enumerate(versions):
        text = f"containers:\n  - name: c\n    image: {IMAGE}:{version}\n"
        occs += editor.extract(f"{env.name}/f{i}.yaml", text).occurrences
    refs = {(o.image.tag or "", o.image.digest) for o in occs if o.image}
    return Place(env, occs, next(iter(refs)) if len(refs) == 1 else None, since)


CASES = [
    ("soaked", ["1.4.1"], ["1.4.0"], 4, [], "1.4.1", "promoted from dev, soak 3d: dev 1.4.1 since 2026-11-30 12:00 UTC"),
    ("waits", ["1.4.1"], ["1.4.0"], 1, [], None, "1.4.1 eligible in 2 d (soak 3d in dev)"),
    ("never-backwards", ["1.3.9"], ["1.4.0"], 9, [], None, "dev runs 1.3.9: not newer than 1.4.0 here (never backwards)"),
    ("same", ["1.4.0"], ["1.4.0"], 9, [], None, "runs what dev runs"),
    ("disagree", ["1.4.1", "1.4.2"], ["1.4.0"], 9, [], None, "dev runs several versions (1.4.1, 1.4.2); promote by hand (`tagbot set`)"),
    ("held", ["1.4.1"], ["1.4.0"], 9, ["1.4.1"], None, "1.4.1 held: by hand (`tagbot release ghcr.io/acme/api --env prod`)"),
    ("older-than-hold", ["1.4.1"], ["1.4.0"], 9, ["1.4.2"], None, "1.4.1 held: by hand (`tagbot release ghcr.io/acme/api --env prod`)"),
    ("newer-than-hold", ["1.4.2"], ["1.4.0"], 9, ["1.4.1"], "1.4.2", "promoted from dev, soak 3d: dev 1.4.2 since 2026-11-25 12:00 UTC"),
    ("soaked-exactly", ["1.4.1"], ["1.4.0"], 3, [], "1.4.1", "promoted from dev, soak 3d: dev 1.4.1 since 2026-12-01 12:00 UTC"),
    ("commit-in-the-future", ["1.4.1"], ["1.4.0"], -2, [], None, "1.4.1 eligible in 5 d (soak 3d in dev); dev's commit of it is dated 2026-12-06 12:00 UTC, ahead of now"),
    ("other-digest", [f"1.4.1@{DIGEST}"], [f"1.4.1@sha256:{'b' * 64}"], 9, [], None, "runs 1.4.1 as dev does, at another digest (a digest-only change is not promoted: `tagbot set`)"),
    ("soak-unknown", ["1.4.1"], ["1.4.0"], None, [], None, "1.4.1: soak unknown (no git history for it)"),
    ("digest-travels", [f"1.4.1@{DIGEST}"], ["1.4.0"], 4, [], "1.4.1", "promoted from dev, soak 3d: dev 1.4.1 since 2026-11-30 12:00 UTC"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("source", "target", "days", "held", "to", "note"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_promote(
    source: list[str],
    target: list[str],
    days: int | None,
    held: list[str],
    to: str | None,
    note: str,
) -> None:
    since = NOW - timedelta(days=days) if days is not None else None
    chain = [where(DEV, *source, since=since)]
    holds = [Hold(IMAGE, "prod", tag, "by hand") for tag in held]
    bare = policy.build(PolicySpec())
    found = promote(IMAGE, where(PROD, *target), chain, bare, holds, NoRegistry(), NOW)
    assert found.stage is not None
    assert found.stage.note == note
    assert [u.new_tag for u in found.updates] == ([to] if to else [])
    assert found.stage.eligible is bool(to)
    if "@" in source[0] and to:
        assert [u.new_digest for u in found.updates] == [parse(f"x:{source[0]}").digest]
    # Several versions in the source (a canary) is a note, not a failure: exit 0 every run.
    expected = [(note, "info")] if "several" in note else []
    assert [(p.error, p.level) for p in found.problems] == expected


def test_force_skips_soak_and_says_so() -> None:
    chain = [where(DEV, "1.4.1", since=NOW - timedelta(hours=1))]
    bare = policy.build(PolicySpec())
    found = promote(IMAGE, where(PROD, "1.4.0"), chain, bare, [], NoRegistry(), NOW, force=True)
    assert [u.new_tag for u in found.updates] == ["1.4.1"]
    assert "(soak skipped: --force)" in found.updates[0].reason
