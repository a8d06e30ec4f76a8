"""The min_age cooldown on the real registry: build times fetched only for the tags that could
win (newest first, stopping at the first old enough); reproducible-build epochs are no age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tagbot import policy
from tagbot.imageref import parse
from tagbot.models import PolicySpec, RegistryOptions, Rejection
from tagbot.pipeline import cooldown
from tagbot.scanner import Scanner
from tests.fakevendor.dockerhub import FakeDockerHub
from tests.support.registry import RegistryServer

pytestmark = pytest.mark.integration
NOW = datetime.now(UTC)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("created", "picked", "blobs", "waiting"),
    [
        pytest.param({"1.3.0": NOW - timedelta(days=5)}, "1.3.0", 1, [], id="newest-old-enough"),
        pytest.param({"1.3.0": NOW - timedelta(hours=1), "1.2.0": NOW - timedelta(days=1),
                      "1.1.0": NOW - timedelta(days=9)}, "1.1.0", 3, ["1.3.0", "1.2.0"],
                     id="two-too-new"),
        pytest.param({"1.3.0": EPOCH, "1.2.0": NOW - timedelta(days=4)}, "1.2.0", 2, ["1.3.0"],
                     id="epoch-is-unknown"),
        pytest.param({t: NOW for t in ("1.3.0", "1.2.0", "1.1.0", "1.0.0")}, None, 4,
                     ["1.3.0", "1.2.0", "1.1.0", "1.0.0"], id="all-too-new"),
    ],
)  # fmt: skip
def test_fetches_only_what_could_win(
    registry_anonymous: RegistryServer,
    repo_name: str,
    created: dict[str, datetime],
    picked: str | None,
    blobs: int,
    waiting: list[str],
) -> None:
    with registry_anonymous.seeder() as seeder:
        for tag in ("1.0.0", "1.1.0", "1.2.0", "1.3.0"):
            when = created.get(tag, NOW - timedelta(days=30))
            seeder.push_image(repo_name, tag, created=when, label=tag)
    image = parse(f"{registry_anonymous.host}/{repo_name}:0.9.0")
    with Scanner() as scanner:
        listing = scanner.list_tags(image)
        chooser = cooldown.AgedChooser(
            policy.build(PolicySpec()), timedelta(days=3), image, scanner, NOW
        )
        before = scanner.request_count.get("blob", 0)
        selection = chooser.select("0.9.0", listing.tags)
        fetched = scanner.request_count.get("blob", 0) - before
    assert selection.selected == picked
    assert fetched == blobs
    assert list(chooser.waiting) == waiting
    assert [r.tag for r in selection.rejected[: len(waiting)]] == waiting


def test_push_time_wins_over_build_time_and_an_epoch_push_is_no_age(
    registry_anonymous: RegistryServer, repo_name: str
) -> None:
    with registry_anonymous.seeder() as seeder:
        for tag in ("1.0.0", "1.1.0", "1.2.0"):
            seeder.push_image(repo_name, tag, created=NOW - timedelta(days=30), label=tag)
    host = registry_anonymous.host
    image = parse(f"{host}/{repo_name}:1.0.0")
    with FakeDockerHub() as hub:
        hub.push(repo_name, "1.2.0", NOW - timedelta(hours=2))  # built a month ago
        hub.push(repo_name, "1.1.0", EPOCH)  # a broken answer: the config's time counts
        options = RegistryOptions(host=host, push_times="dockerhub", push_times_url=hub.url)
        with Scanner([options]) as scanner:
            listing = scanner.list_tags(image)
            chooser = cooldown.AgedChooser(
                policy.build(PolicySpec()), timedelta(days=3), image, scanner, NOW
            )
            selection = chooser.select("1.0.0", listing.tags)
            counts = scanner.request_count
    assert selection.selected == "1.1.0"
    assert selection.rejected[0] == Rejection(
        "1.2.0", "too new: pushed 2 h ago, min_age 3d (push time from Docker Hub)"
    )
    assert counts["pushtime"] == 2 and counts["blob"] == 1  # 1.1.0's config, after its epoch
