"""Bearer tokens for several repositories per request, against the real registry in token mode:
the count, partial grants, opaque tokens, refusals, expiry, concurrency."""

from __future__ import annotations

import base64
import json
import math
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tagbot import imageref
from tagbot.errors import RegistryError
from tagbot.models import ImageRef, TagList
from tagbot.scanner.batches import granted
from tests.scanner.conftest import MakeScanner, login_env, login_options
from tests.support.opaque import OpaqueProxy
from tests.support.registry import RegistryServer
from tests.support.tokenserver import Issued, TokenServer


def _jwt(claims: object) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln"


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        (
            _jwt({"access": [{"type": "repository", "name": "a/b", "actions": ["pull"]}]}),
            {"repository:a/b:pull"},
        ),
        (
            _jwt(
                {
                    "access": [
                        {"type": "repository", "name": "a", "actions": ["push", "pull"]},
                        {"type": "repository", "name": "b", "actions": ["*"]},
                        {"type": "repository", "name": "c", "actions": ["push"]},
                        {"type": "registry", "name": "catalog", "actions": ["*"]},
                        "junk",
                    ]
                }
            ),
            {"repository:a:pull", "repository:b:pull"},
        ),
        (_jwt({"access": []}), set()),
        (_jwt({"sub": "alice"}), None),
        (_jwt(["access"]), None),
        ("djE6YWNtZS9hcGk6MTcwMDAwMDAwMA==", None),
        ("a.!!!.c", None),
        ("a." + base64.urlsafe_b64encode(b"[" * 5000).decode() + ".c", None),
    ],
    ids=["one", "mixed", "none", "no-claim", "not-object", "opaque", "bad-base64", "deep"],
)
def test_granted_reads_the_access_claim(token: str, expected: set[str] | None) -> None:
    found = granted(token)
    assert (None if found is None else set(found)) == expected


def _seed(server: RegistryServer, repos: list[str]) -> list[ImageRef]:
    with server.seeder() as seeder:
        for repo in repos:
            seeder.push_image(repo, ["1.0"])
    return [imageref.parse(f"{server.host}/{repo}") for repo in repos]


def _at(host: str, images: list[ImageRef]) -> list[ImageRef]:
    """The same images seen through another host (a proxy)."""
    return [imageref.parse(f"{host}/{image.repository}") for image in images]


def _issued(server: TokenServer, prefix: str) -> list[Issued]:
    """The read-only tokens asked for the test's repositories (the seeder's push ones left out)."""
    return [
        i for i in server.issued if any(f":{prefix}/" in s and s.endswith(":pull") for s in i.asked)
    ]


def _listed(results: dict[str, TagList | RegistryError]) -> list[str]:
    return sorted(n for n, r in results.items() if isinstance(r, TagList) and r.names == ("1.0",))


@pytest.mark.integration
@pytest.mark.parametrize(("count", "batch"), [(7, 3), (5, 5), (3, 1)], ids=["7by3", "5by5", "off"])
def test_n_repositories_cost_one_token_request_per_batch(
    registry_token: RegistryServer,
    token_server: TokenServer,
    make_scanner: MakeScanner,
    repo_name: str,
    count: int,
    batch: int,
) -> None:
    images = _seed(registry_token, [f"{repo_name}/r{i}" for i in range(count)])
    options = login_options(registry_token.host, token_batch=batch)
    scanner = make_scanner([options], login_env(registry_token))
    results = scanner.list_many(images)
    assert _listed(results) == sorted(i.name for i in images)
    tokens = math.ceil(count / batch)
    assert scanner.request_count == {"ping": 1, "token": tokens, "tags": count}
    issued = _issued(token_server, repo_name)
    assert len(issued) == tokens and all(len(i.asked) <= batch for i in issued)
    # Each repository is asked for once, read only, and no other repository is.
    asked = sorted(s for i in issued for s in i.asked)
    assert asked == sorted(f"repository:{i.repository}:pull" for i in images)


@pytest.mark.integration
def test_an_identity_token_asks_for_a_batch_in_one_oauth2_post(
    registry_token: RegistryServer,
    token_server: TokenServer,
    make_scanner: MakeScanner,
    repo_name: str,
    tmp_path: Path,
) -> None:
    from tests.support.dockerconfig import write_config

    images = _seed(registry_token, [f"{repo_name}/r{i}" for i in range(4)])
    token_server.refresh_tokens["refresh-token-for-bob"] = "bob"
    write_config(
        tmp_path / "docker", {registry_token.host: {"identitytoken": "refresh-token-for-bob"}}
    )
    scanner = make_scanner(env={"DOCKER_CONFIG": str(tmp_path / "docker")})
    assert len(_listed(scanner.list_many(images))) == 4
    issued = _issued(token_server, repo_name)
    assert [(i.user, i.grant, len(i.scopes)) for i in issued] == [("bob", "refresh_token", 4)]
    assert scanner.request_count["token"] == 1


@pytest.mark.integration
def test_a_partial_grant_is_used_only_where_it_grants(
    registry_token: RegistryServer,
    token_server: TokenServer,
    make_scanner: MakeScanner,
    repo_name: str,
    scanner_logs: pytest.LogCaptureFixture,
) -> None:
    token_server.grants = "first"  # a token server that reads one `scope` only
    images = _seed(registry_token, [f"{repo_name}/r{i}" for i in range(8)])
    options = login_options(registry_token.host, token_batch=5)
    scanner = make_scanner([options], login_env(registry_token))
    assert len(_listed(scanner.list_many(images[:5]))) == 5
    # The JWT names one repository: the other four get tokens of their own before any
    # listing, so no request is refused.
    assert scanner.request_count == {"ping": 1, "token": 5, "tags": 5}
    assert sorted(len(i.asked) for i in _issued(token_server, repo_name)) == [1, 1, 1, 1, 5]
    # That host has shown it reads one scope: it is asked one repository at a time.
    assert len(_listed(scanner.list_many(images[5:]))) == 3
    assert scanner.request_count == {"ping": 1, "token": 8, "tags": 8}
    assert sorted(len(i.asked) for i in _issued(token_server, repo_name)) == [1] * 7 + [5]
    stopped = [r for r in scanner_logs.records if r.getMessage().startswith("token batching")]
    assert [getattr(r, "registry", None) for r in stopped] == [registry_token.host]
    logged = " ".join(str(vars(r)) for r in scanner_logs.records)
    assert not any(i.token in logged for i in token_server.issued)  # never a token


@pytest.mark.integration
def test_a_repository_the_batch_did_not_grant_fails_alone(
    registry_token: RegistryServer,
    token_server: TokenServer,
    make_scanner: MakeScanner,
    repo_name: str,
) -> None:
    images = _seed(registry_token, [f"{repo_name}/r{i}" for i in range(3)])
    token_server.denied.add(images[1].repository)  # Docker Hub's answer for a private repository
    options = login_options(registry_token.host, token_batch=3)
    scanner = make_scanner([options], login_env(registry_token))
    results = scanner.list_many(images)
    assert _listed(results) == sorted([images[0].name, images[2].name])
    denied = results[images[1].name]
    assert isinstance(denied, RegistryError) and denied.status == 401
    assert f"access to repository '{images[1].repository}' refused" in str(denied)
    # One batch, then one lone token for the repository it left out (which grants nothing).
    assert scanner.request_count == {"ping": 1, "token": 2, "tags": 3}


@pytest.fixture
def opaque(registry_token: RegistryServer, token_server: TokenServer) -> Iterator[OpaqueProxy]:
    """The token registry behind a proxy that reads opaque tokens (`token_server.opaque`)."""
    with OpaqueProxy(registry_token.url, token_server) as proxy:
        yield proxy


@pytest.mark.integration
def test_an_opaque_token_serves_its_whole_batch(
    registry_token: RegistryServer,
    token_server: TokenServer,
    opaque: OpaqueProxy,
    make_scanner: MakeScanner,
    repo_name: str,
) -> None:
    images = _at(opaque.host, _seed(registry_token, [f"{repo_name}/r{i}" for i in range(6)]))
    token_server.opaque = True  # after seeding: the seeder reads the registry's JWTs directly
    options = login_options(opaque.host, token_batch=3)
    scanner = make_scanner([options], login_env(registry_token))
    assert len(_listed(scanner.list_many(images))) == 6
    assert scanner.request_count == {"ping": 1, "token": 2, "tags": 6}
    assert all(i.token.startswith("opq_") for i in _issued(token_server, repo_name))


@pytest.mark.integration
def test_an_opaque_token_refused_for_a_repository_is_replaced_by_its_own(
    registry_token: RegistryServer,
    token_server: TokenServer,
    opaque: OpaqueProxy,
    make_scanner: MakeScanner,
    repo_name: str,
) -> None:
    token_server.grants = "first"  # the token covers one repository, and nothing says which
    images = _at(opaque.host, _seed(registry_token, [f"{repo_name}/r{i}" for i in range(6)]))
    token_server.opaque = True  # after seeding: the seeder reads the registry's JWTs directly
    options = login_options(opaque.host, token_batch=4)
    scanner = make_scanner([options], login_env(registry_token))
    results = scanner.list_many(images[:4])
    # No image fails that a token of its own serves: three refusals, three lone tokens.
    assert _listed(results) == sorted(i.name for i in images[:4])
    assert scanner.request_count == {"ping": 1, "token": 4, "tags": 7}
    # Refused for half its scopes: the host is asked one repository at a time from now on.
    assert len(_listed(scanner.list_many(images[4:]))) == 2
    assert scanner.request_count == {"ping": 1, "token": 6, "tags": 9}


@pytest.mark.integration
def test_a_failed_batch_request_falls_back_to_one_token_per_repository(
    registry_token: RegistryServer,
    token_server: TokenServer,
    make_scanner: MakeScanner,
    repo_name: str,
) -> None:
    token_server.max_scopes = 2  # a server that refuses long queries
    images = _seed(registry_token, [f"{repo_name}/r{i}" for i in range(4)])
    options = login_options(registry_token.host, token_batch=4)
    scanner = make_scanner([options], login_env(registry_token))
    assert len(_listed(scanner.list_many(images))) == 4
    # The 400 is retried as a client error is: not at all. Then one token per repository.
    assert scanner.request_count == {"ping": 1, "token": 5, "tags": 4}


@pytest.mark.integration
def test_batched_tokens_expire_like_any_other(
    registry_token: RegistryServer,
    token_server: TokenServer,
    make_scanner: MakeScanner,
    repo_name: str,
) -> None:
    images = _seed(registry_token, [f"{repo_name}/r{i}" for i in range(3)])
    token_server.expires_in = 1
    options = login_options(registry_token.host, token_batch=3)
    scanner = make_scanner([options], login_env(registry_token))
    assert len(_listed(scanner.list_many(images))) == 3
    assert scanner.request_count["token"] == 1
    time.sleep(1.0)  # past the one-second lifetime: a new token before use, never after a 401
    for image in images:
        scanner.get_digest(image, "1.0")
    assert scanner.request_count == {"ping": 1, "token": 4, "tags": 3, "manifest": 3}


@pytest.mark.integration
def test_threads_waiting_for_tokens_share_batches(
    registry_token: RegistryServer,
    token_server: TokenServer,
    make_scanner: MakeScanner,
    repo_name: str,
) -> None:
    images = _seed(registry_token, [f"{repo_name}/r{i}" for i in range(6)])
    scanner = make_scanner([login_options(registry_token.host)], login_env(registry_token))
    # No list_many, nothing expected: each thread asks as it goes (as prefetching does).
    work = [image for image in images for _ in range(5)]
    with ThreadPoolExecutor(8) as pool:
        listed = list(pool.map(lambda image: scanner.list_tags(image).names, work))
    assert listed == [("1.0",)] * len(work)
    # Single flight: every repository is in exactly one token request, and listed once.
    asked = sorted(s for i in _issued(token_server, repo_name) for s in i.asked)
    assert asked == sorted(f"repository:{i.repository}:pull" for i in images)
    counts = scanner.request_count
    assert counts["tags"] == 6 and 1 <= counts["token"] <= 6


@pytest.mark.integration
def test_images_prefetched_one_by_one_share_token_requests(
    registry_token: RegistryServer,
    token_server: TokenServer,
    make_scanner: MakeScanner,
    repo_name: str,
) -> None:
    images = _seed(registry_token, [f"{repo_name}/r{i}" for i in range(6)])
    scanner = make_scanner([login_options(registry_token.host)], login_env(registry_token))
    for image in images:  # as a plan does while it reads files
        scanner.prefetch(image)
    assert len(_listed(scanner.list_many(images))) == 6
    asked = sorted(s for i in _issued(token_server, repo_name) for s in i.asked)
    assert asked == sorted(f"repository:{i.repository}:pull" for i in images)
    counts = scanner.request_count
    assert counts["tags"] == 6 and counts["token"] == len(_issued(token_server, repo_name))
