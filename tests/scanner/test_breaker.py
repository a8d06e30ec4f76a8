"""A registry that stopped answering: its images fail at once, the other hosts' are listed."""

from __future__ import annotations

import pytest

from tagbot import imageref
from tagbot.errors import RegistryError
from tagbot.models import RegistryOptions, TagList
from tagbot.scanner.breaker import Breaker
from tests.scanner.conftest import MakeScanner
from tests.support.blackhole import BlackHole
from tests.support.registry import RegistryServer


def test_the_breaker_opens_at_the_threshold_with_the_first_error() -> None:
    breaker = Breaker("r.example", threshold=3)
    breaker.failure("r.example timed out (first)")
    breaker.success()  # an answer ends the streak
    breaker.failure("r.example timed out (second)")
    breaker.failure("r.example timed out (third)")
    breaker.check()  # two in a row: still closed
    breaker.failure("r.example timed out (fourth)")
    with pytest.raises(RegistryError) as caught:
        breaker.check()
    assert str(caught.value) == (
        "r.example timed out (second) (gave up on r.example for this run after 3 failures in a row)"
    )
    assert caught.value.transient


def test_a_tripped_breaker_keeps_its_first_error() -> None:
    breaker = Breaker("r.example", threshold=5)
    breaker.trip(RegistryError("TLS certificate not trusted"), "its ping failed")
    breaker.trip(RegistryError("something later"), "its ping failed")
    with pytest.raises(RegistryError, match=r"^TLS certificate not trusted \(gave up") as caught:
        breaker.check()
    assert not caught.value.transient


@pytest.mark.integration
@pytest.mark.timeout(120)
def test_a_black_hole_fails_all_its_images_with_one_ping_and_the_healthy_are_listed(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner
) -> None:
    healthy = [f"{repo_name}/ok{i}" for i in range(5)]
    with registry_anonymous.seeder() as seeder:
        for repo in healthy:
            seeder.push_image(repo, ["1.0"])
    with BlackHole() as hole:
        options = [RegistryOptions(host=hole.host, read_timeout=1.0)]
        scanner = make_scanner(options)
        stuck = [imageref.parse(f"{hole.host}/team/app{i}") for i in range(40)]
        fine = [imageref.parse(f"{registry_anonymous.host}/{repo}") for repo in healthy]
        results = scanner.list_many([*stuck, *fine])
        connections = hole.connections
    for image in fine:
        listing = results[image.name]
        assert isinstance(listing, TagList) and listing.names == ("1.0",)
    errors = [results[image.name] for image in stuck]
    assert all(isinstance(e, RegistryError) and e.transient for e in errors)
    first = f"{hole.host} timed out: no answer for 1 s"
    assert sorted({str(e) for e in errors}) == [
        first,  # the image whose thread sent the ping
        f"{first} (gave up on {hole.host} for this run after its ping failed)",
    ]
    assert connections == 1  # one ping, never retried, and nothing after it
    assert scanner.request_count == {"ping": 2, "tags": 5}
