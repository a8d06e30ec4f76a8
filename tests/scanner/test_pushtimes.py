"""Push times from the vendors' APIs, against fake Docker Hub, Quay, Harbor and GitHub packages
servers: the payloads read, auth sent, one GitHub walk per package, and every failure (404, 5xx,
a slow answer, a refused login) an answer of None with one warning naming the host, no secret."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from tagbot.imageref import parse
from tagbot.models import RegistryOptions, TagTime
from tagbot.scanner.pushtimes import vendor_for
from tests.fakevendor.dockerhub import JWT, FakeDockerHub
from tests.fakevendor.github import TOKEN, FakeGitHubPackages
from tests.fakevendor.harbor import FakeHarbor
from tests.fakevendor.quay import FakeQuay
from tests.scanner.conftest import MakeScanner

pytestmark = pytest.mark.integration
WHEN = datetime(2026, 12, 4, 7, 30, 15, tzinfo=UTC)


@pytest.fixture
def hub() -> Iterator[FakeDockerHub]:
    with FakeDockerHub(users={"alice": "hub-password-1"}) as fake:
        yield fake


@pytest.fixture
def quay() -> Iterator[FakeQuay]:
    with FakeQuay() as fake:
        yield fake


@pytest.fixture
def harbor() -> Iterator[FakeHarbor]:
    with FakeHarbor(users={"robot$ci": "harbor-secret-1"}) as fake:
        yield fake


@pytest.fixture
def ghcr() -> Iterator[FakeGitHubPackages]:
    with FakeGitHubPackages() as fake:
        yield fake


@pytest.mark.parametrize(
    ("registry", "setting", "vendor"),
    [
        ("docker.io", "auto", "dockerhub"),
        ("quay.io", "auto", "quay"),
        ("ghcr.io", "auto", "github"),
        ("harbor.example.com", "auto", None),
        ("harbor.example.com", "harbor", "harbor"),
        ("ghcr.io", "none", None),
        ("registry.example.com", "quay", "quay"),
    ],
)
def test_the_api_is_chosen_by_host_unless_configured(
    registry: str, setting: str, vendor: str | None
) -> None:
    options = RegistryOptions(push_times=setting)  # type: ignore[arg-type]
    assert vendor_for(registry, options) == vendor


def test_docker_hub_tag_last_pushed_for_an_official_image(
    hub: FakeDockerHub, make_scanner: MakeScanner
) -> None:
    hub.push("library/nginx", "1.27.3", WHEN)
    scanner = make_scanner([RegistryOptions(host="docker.io", push_times_url=hub.url)])

    found = scanner.get_pushed(parse("nginx"), "1.27.3")

    assert found == TagTime(WHEN, "push time from Docker Hub")
    assert hub.requests == [("GET", "/v2/namespaces/library/repositories/nginx/tags/1.27.3")]
    assert hub.seen == [None]  # anonymous
    assert scanner.request_count == {"pushtime": 1}
    assert scanner.get_pushed(parse("nginx"), "1.27.3") == found  # asked once per run
    assert scanner.request_count == {"pushtime": 1}


def test_docker_hub_unknown_tag_is_no_answer(hub: FakeDockerHub, make_scanner: MakeScanner) -> None:
    scanner = make_scanner([RegistryOptions(host="docker.io", push_times_url=hub.url)])
    assert scanner.get_pushed(parse("acme/api"), "9.9.9") is None


def test_docker_hub_private_repository_with_a_login(
    hub: FakeDockerHub, make_scanner: MakeScanner, scanner_logs: pytest.LogCaptureFixture
) -> None:
    hub.push("acme/api", "1.2.0", WHEN)
    hub.private.add("acme/api")
    options = RegistryOptions(
        host="docker.io", username_env="HUB_USER", password_env="HUB_PASS", push_times_url=hub.url
    )
    env = {"HUB_USER": "alice", "HUB_PASS": "hub-password-1"}
    scanner = make_scanner([options], env=env)

    assert scanner.get_pushed(parse("acme/api"), "1.2.0") == TagTime(
        WHEN, "push time from Docker Hub"
    )
    assert scanner.get_pushed(parse("acme/api"), "1.1.0") is None
    assert hub.logins == 1  # one JWT for the run
    assert hub.seen[1:] == [f"Bearer {JWT}", f"Bearer {JWT}"]
    assert "hub-password-1" not in scanner_logs.text and JWT not in scanner_logs.text


def test_docker_hub_refused_login_goes_on_anonymously(
    hub: FakeDockerHub, make_scanner: MakeScanner, scanner_logs: pytest.LogCaptureFixture
) -> None:
    hub.push("acme/web", "2.0.0", WHEN)
    options = RegistryOptions(
        host="docker.io", username_env="HUB_USER", password_env="HUB_PASS", push_times_url=hub.url
    )
    scanner = make_scanner([options], env={"HUB_USER": "alice", "HUB_PASS": "wrong-password-9"})

    assert scanner.get_pushed(parse("acme/web"), "2.0.0") == TagTime(
        WHEN, "push time from Docker Hub"
    )
    assert hub.seen[1:] == [None]
    refused = [r for r in scanner_logs.records if r.getMessage() == "push-time API login refused"]
    assert [(r.levelno, getattr(r, "status", None)) for r in refused] == [(logging.WARNING, 401)]
    assert "wrong-password-9" not in scanner_logs.text


def test_docker_hub_token_from_env(hub: FakeDockerHub, make_scanner: MakeScanner) -> None:
    hub.push("acme/api", "1.2.0", WHEN)
    options = RegistryOptions(
        host="docker.io", push_times_url=hub.url, push_times_token_env="HUB_TOKEN"
    )
    scanner = make_scanner([options], env={"HUB_TOKEN": "dckr_pat_fake123"})
    scanner.get_pushed(parse("acme/api"), "1.2.0")
    assert hub.seen == ["Bearer dckr_pat_fake123"] and hub.logins == 0


@pytest.mark.parametrize("epoch", [True, False], ids=["start_ts", "last_modified"])
def test_quay_active_tag_start_time(quay: FakeQuay, make_scanner: MakeScanner, epoch: bool) -> None:
    quay.epoch_only = epoch
    quay.push("acme/api", "1.2.0", WHEN)
    quay.history["acme/api", "1.2.0"] = [(WHEN - timedelta(days=40), WHEN)]  # moved away
    scanner = make_scanner([RegistryOptions(host="quay.io", push_times_url=quay.url)])

    assert scanner.get_pushed(parse("quay.io/acme/api"), "1.2.0") == TagTime(
        WHEN, "push time from Quay"
    )
    assert scanner.get_pushed(parse("quay.io/acme/api"), "0.1.0") is None
    assert scanner.get_pushed(parse("quay.io/acme/gone"), "1.0.0") is None  # 404


def test_harbor_encodes_the_repository_twice_and_takes_the_tags_own_time(
    harbor: FakeHarbor, make_scanner: MakeScanner
) -> None:
    harbor.push("platform/team/api", "1.2.0", WHEN)
    options = RegistryOptions(
        host="harbor.example.com",
        username_env="H_USER",
        password_env="H_PASS",
        push_times="harbor",
        push_times_url=harbor.url,
    )
    scanner = make_scanner([options], env={"H_USER": "robot$ci", "H_PASS": "harbor-secret-1"})

    found = scanner.get_pushed(parse("harbor.example.com/platform/team/api"), "1.2.0")

    assert found == TagTime(WHEN, "push time from Harbor")  # not the artifact's, an hour older
    assert harbor.requests == [
        ("GET", "/api/v2.0/projects/platform/repositories/team%252Fapi/artifacts/1.2.0")
    ]


def test_harbor_without_credentials_is_a_warning_and_no_answer(
    harbor: FakeHarbor, make_scanner: MakeScanner, scanner_logs: pytest.LogCaptureFixture
) -> None:
    harbor.push("platform/api", "1.2.0", WHEN)
    options = RegistryOptions(
        host="harbor.example.com", push_times="harbor", push_times_url=harbor.url
    )
    scanner = make_scanner([options])

    assert scanner.get_pushed(parse("harbor.example.com/platform/api"), "1.2.0") is None
    assert scanner.get_pushed(parse("harbor.example.com/platform/api"), "1.1.0") is None
    warnings = [r for r in scanner_logs.records if r.levelno == logging.WARNING]
    assert [(r.getMessage(), getattr(r, "host", None)) for r in warnings] == [
        (
            "push-time API failed; ages fall back to the image config's created time",
            harbor.origin.removeprefix("http://"),
        )
    ]  # once per API and run
    assert "HTTP 401" in getattr(warnings[0], "error", "")


def test_github_walks_each_package_once_and_stops_at_the_tag(
    ghcr: FakeGitHubPackages, make_scanner: MakeScanner
) -> None:
    old = WHEN - timedelta(days=30)
    for index, tag in enumerate(["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"]):
        ghcr.version("team/api", [tag], old, WHEN - timedelta(days=5 - index))
    options = RegistryOptions(
        host="ghcr.io", push_times_url=ghcr.url, push_times_token_env="PACKAGES_TOKEN"
    )
    scanner = make_scanner([options], env={"PACKAGES_TOKEN": TOKEN})
    image = parse("ghcr.io/acme/team/api")

    assert scanner.get_pushed(image, "1.3.0") == TagTime(
        WHEN - timedelta(days=2), "push time from GitHub packages"
    )  # `updated_at`: when the tag was put on the version
    assert ghcr.pages == ["orgs/acme/team%2Fapi?page=1"]  # newest first: found on page 1
    assert scanner.get_pushed(image, "1.4.0") is not None  # the same page, no request
    assert scanner.get_pushed(image, "1.0.0") == TagTime(
        WHEN - timedelta(days=5), "push time from GitHub packages"
    )
    assert scanner.get_pushed(image, "0.9.0") is None
    assert ghcr.pages == [f"orgs/acme/team%2Fapi?page={n}" for n in (1, 2, 3)]


def test_github_user_package_and_the_ghcr_login_as_token(
    ghcr: FakeGitHubPackages, make_scanner: MakeScanner
) -> None:
    ghcr.owners["users"] = "bob"
    ghcr.version("tool", ["0.3.0"], WHEN, WHEN)
    options = RegistryOptions(host="ghcr.io", push_times_url=ghcr.url)
    scanner = make_scanner([options], env={"GITHUB_TOKEN": TOKEN})

    found = scanner.get_pushed(parse("ghcr.io/bob/tool"), "0.3.0")

    assert found == TagTime(WHEN, "push time from GitHub packages")
    assert ghcr.pages == ["users/bob/tool?page=1"]  # after the organisation's 404


def test_github_without_a_token_asks_nothing(
    ghcr: FakeGitHubPackages, make_scanner: MakeScanner
) -> None:
    ghcr.version("api", ["1.0.0"], WHEN, WHEN)
    scanner = make_scanner([RegistryOptions(host="ghcr.io", push_times_url=ghcr.url)])
    assert scanner.get_pushed(parse("ghcr.io/acme/api"), "1.0.0") is None
    assert ghcr.seen == []


def test_a_failing_api_is_one_walk_and_one_warning(
    ghcr: FakeGitHubPackages, make_scanner: MakeScanner, scanner_logs: pytest.LogCaptureFixture
) -> None:
    ghcr.version("api", ["1.0.0"], WHEN, WHEN)
    ghcr.failing = 100
    options = RegistryOptions(host="ghcr.io", push_times_url=ghcr.url)
    scanner = make_scanner([options], env={"GITHUB_TOKEN": TOKEN})

    assert scanner.get_pushed(parse("ghcr.io/acme/api"), "1.0.0") is None
    assert scanner.get_pushed(parse("ghcr.io/acme/api"), "1.1.0") is None
    assert len(ghcr.seen) == 4  # one request and its 3 retries, for the whole package
    warnings = [r for r in scanner_logs.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "HTTP 503" in getattr(warnings[0], "error", "")
    assert TOKEN not in scanner_logs.text


def test_a_slow_api_is_no_answer(
    quay: FakeQuay, make_scanner: MakeScanner, scanner_logs: pytest.LogCaptureFixture
) -> None:
    quay.push("acme/api", "1.2.0", WHEN)
    quay.delay = 1.0
    options = RegistryOptions(
        host="quay.io", push_times_url=quay.url, read_timeout=0.2, timeout=0.3, breaker=1
    )
    scanner = make_scanner([options])

    assert scanner.get_pushed(parse("quay.io/acme/api"), "1.2.0") is None
    assert scanner.get_pushed(parse("quay.io/acme/api"), "1.1.0") is None
    assert len(quay.seen) == 1  # the breaker gave the API up after its first timeout
    failed = [r for r in scanner_logs.records if r.getMessage().startswith("push-time API failed")]
    assert [r.levelno for r in failed] == [logging.WARNING, logging.DEBUG]
    assert "timed out: no answer for 0.2 s" in getattr(failed[0], "error", "")
