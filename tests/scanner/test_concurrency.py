"""Adaptive per-host concurrency: grow on answers, halve on overload, pause on Retry-After."""

from __future__ import annotations

import time

import pytest

from tagbot import imageref
from tagbot.errors import RegistryError
from tagbot.models import RegistryOptions, TagList
from tagbot.scanner.concurrency import START, HostWindow
from tests.scanner.conftest import MakeScanner
from tests.support.rateproxy import RateProxy
from tests.support.registry import RegistryServer


def _soon() -> float:
    return time.monotonic() + 0.05


def test_a_full_window_makes_the_next_request_wait() -> None:
    window = HostWindow("r.example", ceiling=16)
    for _ in range(START):
        window.acquire(None)
    with pytest.raises(RegistryError, match=r"deadline reached before a request to r\.example"):
        window.acquire(_soon())
    assert window.in_flight == START


def test_answers_grow_the_window_up_to_the_ceiling() -> None:
    window = HostWindow("r.example", ceiling=6)
    for _ in range(200):
        window.release(window.acquire(None), "ok")
    assert window.limit == 6 and window.in_flight == 0


def test_overload_halves_the_window_once_per_event() -> None:
    window = HostWindow("r.example", ceiling=16)
    started = [window.acquire(None) for _ in range(4)]
    for start in started:  # four 429s to requests sent before the first was seen
        window.release(start, "overload")
    assert window.limit == 2
    window.release(window.acquire(None), "failed")  # a new event: halved again
    assert window.limit == 1
    window.release(window.acquire(None), "overload")
    assert window.limit == 1  # never below one


def test_a_pause_holds_every_request_to_the_host() -> None:
    window = HostWindow("r.example", ceiling=16)
    window.pause(60)
    with pytest.raises(RegistryError, match="deadline reached"):
        window.acquire(_soon())
    assert window.in_flight == 0


@pytest.mark.integration
@pytest.mark.timeout(120)
@pytest.mark.parametrize("headers", [False, True], ids=["retry-after", "ratelimit-headers"])
def test_a_rate_limited_registry_never_refuses_a_request_twice(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner, headers: bool
) -> None:
    with registry_anonymous.seeder() as seeder:
        seeder.push_image(repo_name, ["1.0"])
    names = [repo_name, *(f"{repo_name}-missing-{i}" for i in range(29))]
    with RateProxy(
        registry_anonymous.url, rate=20, burst=20, latency=0.01, headers=headers
    ) as proxy:
        scanner = make_scanner([RegistryOptions(host=proxy.host)])
        results = scanner.list_many([imageref.parse(f"{proxy.host}/{n}") for n in names])
        refused = dict(proxy.refused)
    listed = results.pop(f"{proxy.host}/{repo_name}")
    assert isinstance(listed, TagList) and listed.names == ("1.0",)
    # Every other answer is the registry's own 404: no request ended refused.
    assert all(isinstance(r, RegistryError) and r.status == 404 for r in results.values())
    assert max(refused.values(), default=0) <= 1, refused
    if not headers:
        assert sum(refused.values()) > 0  # the limit was reached: the test tested something


def test_a_budget_that_requests_in_flight_would_spend_pauses_the_host() -> None:
    window = HostWindow("r.example", ceiling=16)
    started = [window.acquire(None) for _ in range(3)]
    window.release(started.pop(), "ok")
    window.budget(5, 60)  # 5 left, 2 in flight: keep going
    window.release(window.acquire(None), "ok")
    window.budget(2, 60)  # 2 left, 2 in flight: they spend it, the next would be refused
    with pytest.raises(RegistryError, match="deadline reached"):
        window.acquire(_soon())
