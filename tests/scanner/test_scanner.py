"""The Scanner as the pipeline uses it: list many, list once, share one client across threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tagbot import imageref
from tagbot.errors import RegistryError
from tagbot.models import TagList
from tagbot.scanner.scanner import _handled
from tests.scanner.conftest import MakeScanner, login_env, login_options
from tests.support.proxies import FaultProxy
from tests.support.registry import RegistryServer
from tests.support.seed import Pushed
from tests.support.tokenserver import TokenServer


@pytest.mark.integration
def test_list_many_keys_by_name_and_keeps_failures_per_image(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner
) -> None:
    host = registry_anonymous.host
    with registry_anonymous.seeder() as seeder:
        seeder.push_image(f"{repo_name}/a", ["1.0"])
        seeder.push_image(f"{repo_name}/b", ["2.0", "2.1"])
    images = [
        imageref.parse(f"{host}/{repo_name}/a:1.0"),
        imageref.parse(f"{host}/{repo_name}/b:2.0"),
        imageref.parse(f"{host}/{repo_name}/a:0.9"),  # the same repository again
        imageref.parse(f"{host}/{repo_name}/missing:1"),
    ]
    scanner = make_scanner()
    results = scanner.list_many(images)
    assert sorted(results) == sorted({i.name for i in images})
    a, b, missing = (results[f"{host}/{repo_name}/{n}"] for n in ("a", "b", "missing"))
    assert isinstance(a, TagList) and a.names == ("1.0",)
    assert isinstance(b, TagList) and sorted(b.names) == ["2.0", "2.1"]
    assert isinstance(missing, RegistryError) and missing.status == 404
    assert scanner.request_count == {"ping": 1, "tags": 3}
    assert scanner.list_many([]) == {}


@pytest.mark.integration
def test_each_repository_is_listed_once_per_scanner(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner
) -> None:
    with registry_anonymous.seeder() as seeder:
        seeder.push_image(repo_name, ["1.0"])
    with FaultProxy(registry_anonymous.url) as proxy:
        scanner = make_scanner()
        image = imageref.parse(f"{proxy.host}/{repo_name}")
        with ThreadPoolExecutor(8) as pool:
            listings = list(pool.map(lambda _: scanner.list_tags(image), range(32)))
        scanner.list_many([image, image.with_version("1.0", None)])
        assert len(proxy.requests("/tags/list")) == 1
    assert all(listing == listings[0] for listing in listings)


@pytest.mark.integration
def test_a_failed_listing_is_not_repeated_in_the_same_run(
    registry_anonymous: RegistryServer, make_scanner: MakeScanner, repo_name: str
) -> None:
    with FaultProxy(registry_anonymous.url) as proxy:
        scanner = make_scanner()
        image = imageref.parse(f"{proxy.host}/{repo_name}/never-pushed")
        for _ in range(3):
            with pytest.raises(RegistryError):
                scanner.list_tags(image)
        assert len(proxy.requests("/tags/list")) == 1


@pytest.mark.integration
def test_eight_threads_share_one_scanner(
    registry_token: RegistryServer,
    token_server: TokenServer,
    repo_name: str,
    make_scanner: MakeScanner,
) -> None:
    repos = [f"{repo_name}/r{i}" for i in range(4)]
    pushed: dict[tuple[str, str], Pushed] = {}
    with registry_token.seeder() as seeder:
        for repo in repos:
            for minor in range(5):
                tag = f"1.{minor}"
                pushed[repo, tag] = seeder.push_image(
                    repo, [tag], fmt="oci" if minor % 2 else "docker"
                )
    # One token per repository (token_batch 1): the single flight of lone tokens.
    options = login_options(registry_token.host, token_batch=1)
    scanner = make_scanner([options], login_env(registry_token))
    # 160 lookups over 20 distinct (repository, tag) pairs, from 8 threads at once.
    work = [(repo, f"1.{i % 5}") for i in range(40) for repo in repos]

    def lookup(item: tuple[str, str]) -> tuple[tuple[str, str], str, tuple[str, ...]]:
        repo, tag = item
        image = imageref.parse(f"{registry_token.host}/{repo}")
        return item, scanner.get_digest(image, tag), scanner.list_tags(image).names

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lookup, work))
    assert len(results) == len(work)
    for item, digest, names in results:
        assert digest == pushed[item].digest
        assert sorted(names) == [f"1.{i}" for i in range(5)]
    # Single flight: one token per repository, one listing per repository, one HEAD per tag.
    assert scanner.request_count == {"ping": 1, "token": 4, "tags": 4, "manifest": 20}
    for repo in repos:
        assert len(token_server.tokens_for(f"repository:{repo}:pull")) == 1


def test_scanner_is_a_context_manager(make_scanner: MakeScanner) -> None:
    with make_scanner() as scanner:
        assert scanner.request_count == {}


def test_any_exception_handling_an_answer_becomes_a_registry_error() -> None:
    # Issue 18: the per-image boundary catches RegistryError; nothing else may escape it.
    def hostile() -> None:
        raise RecursionError("maximum recursion depth exceeded")

    with pytest.raises(RegistryError) as caught:
        _handled(hostile, "r.example", "the tags of 'app'")
    assert str(caught.value) == (
        "r.example: could not handle the answer for the tags of 'app' (RecursionError)"
    )
    assert not caught.value.transient
