"""Total time: a trickling answer is cut at `timeout`, and nothing runs past the run's deadline."""

from __future__ import annotations

import json
import time

import pytest

from tagbot import imageref
from tagbot.errors import RegistryError
from tagbot.models import RegistryOptions, TagList
from tagbot.scanner import Retry
from tests.scanner.conftest import MakeScanner
from tests.support.blackhole import BlackHole
from tests.support.proxies import FaultProxy
from tests.support.registry import RegistryServer

TAGS = r"/tags/list"


@pytest.mark.integration
@pytest.mark.timeout(120)
def test_a_trickling_answer_is_cut_at_the_total_timeout(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner
) -> None:
    # Issue 18: one byte every 10 ms never trips a read timeout; only a total time ends it.
    body = json.dumps({"name": repo_name, "tags": ["1.0"] * 20_000}).encode()
    with FaultProxy(registry_anonymous.url) as proxy:
        proxy.inject(TAGS, "trickle", times=10, body=body, interval=0.01)
        options = RegistryOptions(host=proxy.host, timeout=1.0, read_timeout=10.0)
        scanner = make_scanner([options], retry=Retry(attempts=1, backoff=0.01))
        image = imageref.parse(f"{proxy.host}/{repo_name}")
        with pytest.raises(RegistryError, match="no complete answer within 1 s") as caught:
            scanner.list_tags(image)
        sent = proxy.sent
    assert caught.value.transient
    assert len(proxy.requests(TAGS)) == 2  # the try and one retry, each cut
    assert sent < len(body)


@pytest.mark.integration
@pytest.mark.timeout(120)
def test_after_the_deadline_unfinished_images_fail_at_once_as_transient(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner
) -> None:
    with registry_anonymous.seeder() as seeder:
        seeder.push_image(repo_name, ["1.0"])
    with BlackHole() as hole:
        # Timeouts far beyond the deadline: only the deadline can end the wait.
        options = [RegistryOptions(host=hole.host, read_timeout=600, timeout=600)]
        scanner = make_scanner(options, deadline=time.monotonic() + 3.0)
        healthy = imageref.parse(f"{registry_anonymous.host}/{repo_name}")
        assert isinstance(scanner.list_tags(healthy), TagList)
        stuck = [imageref.parse(f"{hole.host}/team/app{i}") for i in range(10)]
        results = scanner.list_many(stuck)
        # Past the deadline, a new request is not even sent.
        before = scanner.request_count
        with pytest.raises(RegistryError, match="deadline reached") as late:
            scanner.get_digest(healthy, "1.0")
        assert scanner.request_count == before
    assert late.value.transient
    for image in stuck:
        error = results[image.name]
        assert isinstance(error, RegistryError) and error.transient
        assert str(error).startswith("deadline reached"), str(error)
