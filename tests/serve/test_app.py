"""The service in-process (Starlette's TestClient): signed events accepted, everything else
refused with the right status and never queued; health, readiness and metrics."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tagbot.config import load_config
from tagbot.errors import ConfigError
from tagbot.serve.app import create_app
from tagbot.serve.auth import signature
from tests.e2e.conftest import MakeWorld
from tests.e2e.serving import SECRETS, Receiver, serve_config
from tests.e2e.world import DEPLOY, World
from tests.serve import payloads as p

pytestmark = pytest.mark.integration
GITHUB = SECRETS["TAGBOT_TEST_GITHUB_SECRET"]


def sources(host: str) -> list[dict[str, Any]]:
    """Every kind under test; GitHub and Docker Hub images live on the test registry."""
    return [
        {"kind": "distribution", "secret_env": "TAGBOT_TEST_REGISTRY_TOKEN"},
        {"kind": "github", "secret_env": "TAGBOT_TEST_GITHUB_SECRET", "registry": host},
        {"kind": "harbor", "secret_env": "TAGBOT_TEST_HARBOR_AUTH"},
        {"kind": "dockerhub", "secret_env": "TAGBOT_TEST_DOCKERHUB_TOKEN", "registry": host},
        {"kind": "generic", "secret_env": "TAGBOT_TEST_CI_TOKEN"},
    ]


@pytest.fixture
def world(make_world: MakeWorld) -> World:
    """A push-mode world."""
    return make_world({"repository": "."})


def client_for(
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    extra: list[dict[str, Any]] | None = None,
    **serve: Any,
) -> TestClient:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    git = {"provider": "git", "mode": "push", "repository": world.remote.url}
    path = tmp_path / "serve.yaml"
    listed = sources(world.registry.host) + (extra or [])
    path.write_text(serve_config(world.reg, git, sources=listed, **serve))
    return TestClient(create_app(load_config(path), tmp_path, grace=30))


@pytest.fixture
def client(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The service with a long debounce, so what is accepted stays queued."""
    with client_for(world, tmp_path, monkeypatch, debounce=60, queue=2, max_body=4096) as client:
        wait_ready(client)
        yield client


def wait_ready(client: TestClient) -> None:
    deadline = time.monotonic() + 60
    while client.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, "not ready"
        time.sleep(0.05)


def github_post(
    client: TestClient, data: Any, secret: str | None = GITHUB, event: str = "package"
) -> Any:
    body = json.dumps(data).encode()
    headers = {"X-GitHub-Event": event, "Content-Type": "application/json"}
    if secret is not None:
        headers["X-Hub-Signature-256"] = signature(secret, body)
    return client.post("/v1/events/github", content=body, headers=headers)


def test_signed_github_harbor_and_dockerhub_events_are_accepted(
    client: TestClient, world: World
) -> None:
    host = world.registry.host
    package = p.github_package(world.ns, "api", "1.5.0")  # the source's `registry:` is the test's
    harbor = p.harbor(host, world.ns, "web", "2.1.0-alpine")
    hub = p.dockerhub(f"{world.ns}/api", "1.5.0")
    token = SECRETS["TAGBOT_TEST_DOCKERHUB_TOKEN"]

    gh = github_post(client, package)
    hb = client.post(
        "/v1/events/harbor",
        json=harbor,
        headers={"Authorization": SECRETS["TAGBOT_TEST_HARBOR_AUTH"]},
    )
    dh = client.post(f"/v1/events/dockerhub?token={token}", json=hub)
    other_owner = github_post(client, p.github_package("someone-else", "api", "1.5.0"))

    assert (gh.status_code, gh.json()["images"]) == (202, [world.image("api")])
    assert (hb.status_code, hb.json()["images"]) == (202, [world.image("web")])
    assert (dh.status_code, dh.json()["images"]) == (202, [world.image("api")])  # coalesced
    assert (other_owner.status_code, other_owner.json()["reason"]) == (200, "no reference uses it")
    assert "tagbot_queue_depth 2.0" in client.get("/metrics").text


REJECTED = [
    ("github-unsigned", "github", None, 401, "unsigned"),
    ("github-bad-signature", "github", "not-the-secret", 401, "bad signature"),
    ("harbor-wrong-auth", "harbor", "wrong", 401, "bad credentials"),
    ("dockerhub-no-token", "dockerhub", None, 401, "no token"),
    ("ci-no-bearer", "generic", None, 401, "no credentials"),
]


@pytest.mark.parametrize(
    ("kind", "secret", "status", "reason"), [pytest.param(*r[1:], id=r[0]) for r in REJECTED]
)
def test_unauthenticated_events_are_refused_and_logged_without_body(
    client: TestClient,
    world: World,
    caplog: pytest.LogCaptureFixture,
    kind: str,
    secret: str | None,
    status: int,
    reason: str,
) -> None:
    logging.getLogger("tagbot.serve").addHandler(caplog.handler)
    data = {"image": world.image("api") + ":1.5.0", "marker": "BODY-MARKER"}
    if kind == "github":
        answer = github_post(
            client, {**p.github_package("x", "api", "1"), "marker": "BODY-MARKER"}, secret
        )
    else:
        headers = {"Authorization": secret} if secret else {}
        path = "/v1/images" if kind == "generic" else f"/v1/events/{kind}"
        answer = client.post(path, json=data, headers=headers)
    logging.getLogger("tagbot.serve").removeHandler(caplog.handler)

    assert (answer.status_code, answer.json()["reason"]) == (status, reason)
    assert client.get("/readyz").json()["status"] == "ready"
    assert "tagbot_queue_depth 0.0" in client.get("/metrics").text
    record = next(r for r in caplog.records if r.getMessage() == "event")
    assert record.levelno == logging.WARNING and record.__dict__["reason"] == reason
    assert "BODY-MARKER" not in caplog.text
    assert not any(s in caplog.text for s in SECRETS.values() if s)


def test_oversized_and_malformed_bodies_are_refused(client: TestClient) -> None:
    bearer = {"Authorization": f"Bearer {SECRETS['TAGBOT_TEST_CI_TOKEN']}"}
    big = client.post("/v1/images", content=b"{" + b" " * 5000 + b"}", headers=bearer)
    not_json = client.post("/v1/images", content=b"{not json", headers=bearer)
    wrong_shape = client.post("/v1/images", json={"image": 5}, headers=bearer)
    signed_garbage = github_post(client, ["not", "an", "object"])

    assert (big.status_code, big.json()["reason"]) == (413, "too large")
    assert (not_json.status_code, not_json.json()["reason"]) == (400, "malformed")
    assert wrong_shape.status_code == 400
    assert signed_garbage.status_code == 400
    metrics = client.get("/metrics").text
    assert (
        'tagbot_events_total{outcome="rejected",reason="malformed",source="generic"} 2.0' in metrics
    )
    assert (
        'tagbot_events_total{outcome="rejected",reason="too large",source="generic"} 1.0' in metrics
    )


def test_a_full_queue_answers_429_with_retry_after(client: TestClient, world: World) -> None:
    bearer = {"Authorization": f"Bearer {SECRETS['TAGBOT_TEST_CI_TOKEN']}"}
    first = client.post(
        "/v1/images", json={"images": [world.image("api"), world.image("web")]}, headers=bearer
    )
    again = client.post("/v1/images", json={"image": world.image("api") + ":9.9.9"}, headers=bearer)
    full = client.post("/v1/images", json={"image": world.image("worker")}, headers=bearer)

    assert first.status_code == 202 and again.status_code == 202  # api coalesces
    assert (full.status_code, full.headers["Retry-After"]) == (429, "65")
    assert "tagbot_queue_depth 2.0" in client.get("/metrics").text


def test_events_that_name_no_used_image_are_acknowledged_and_ignored(client: TestClient) -> None:
    bearer = {"Authorization": f"Bearer {SECRETS['TAGBOT_TEST_CI_TOKEN']}"}
    other = client.post("/v1/images", json={"image": "ghcr.io/acme/unused:1.0"}, headers=bearer)
    ping = github_post(client, {"zen": "Design for failure."}, event="ping")
    pull = client.post(
        "/v1/events/distribution",
        json=p.distribution("r.example.com", "acme/api", "1", action="pull"),
        headers={"Authorization": f"Bearer {SECRETS['TAGBOT_TEST_REGISTRY_TOKEN']}"},
    )

    assert (other.status_code, other.json()["reason"]) == (200, "no reference uses it")
    assert (ping.status_code, ping.json()["reason"]) == (200, "not a package event")
    assert (pull.status_code, pull.json()["reason"]) == (200, "not a push")
    assert "tagbot_queue_depth 0.0" in client.get("/metrics").text


def test_health_and_unknown_sources(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.post("/v1/events/nope", json={}).status_code == 404
    assert client.get("/v1/images").status_code == 405


def test_a_missing_secret_stops_the_service_before_it_starts(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TAGBOT_TEST_HARBOR_AUTH")
    git = {"provider": "git", "mode": "push", "repository": world.remote.url}
    path = tmp_path / "serve.yaml"
    path.write_text(serve_config(world.reg, git, sources=sources(world.registry.host)))

    with pytest.raises(ConfigError, match=r"serve source harbor: set \$TAGBOT_TEST_HARBOR_AUTH"):
        create_app(load_config(path), tmp_path)


def test_an_accepted_event_is_published_after_the_debounce(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = world.remote.sha("main")
    with client_for(world, tmp_path, monkeypatch, debounce=0.1) as client:
        wait_ready(client)
        token = {"Authorization": f"Bearer {SECRETS['TAGBOT_TEST_CI_TOKEN']}"}
        assert (
            client.post(
                "/v1/images", json={"image": world.image("worker")}, headers=token
            ).status_code
            == 202
        )
        deadline = time.monotonic() + 60
        while world.remote.sha("main") == seed:
            assert time.monotonic() < deadline, client.get("/metrics").text
            time.sleep(0.1)
    assert (
        world.remote.subjects("main")[0] == f"chore(deps): update {world.reg}/worker to 2024.03.20"
    )
    assert world.remote.sha("main~1") == seed


def test_a_merged_tagbot_pr_is_notified_and_other_prs_are_not(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def pull_request(branch: str, merged: bool) -> dict[str, Any]:
        pull = {"title": "chore(deps): update api to 1.5.0", "merged": merged}
        pull |= {"html_url": "https://github.com/acme/config/pull/7", "head": {"ref": branch}}
        return {"action": "closed", "number": 7, "pull_request": pull}

    with Receiver() as receiver:
        monkeypatch.setenv("TAGBOT_TEST_NOTIFY_URL", receiver.url)
        ours = github_post(client, pull_request("tagbot/api", True), event="pull_request")
        closed = github_post(client, pull_request("tagbot/api", False), event="pull_request")
        theirs = github_post(client, pull_request("feature/x", True), event="pull_request")

    assert (ours.status_code, ours.json()["reason"]) == (200, "merged")
    assert closed.json()["reason"] == theirs.json()["reason"] == "not a merge of tagbot's"
    [body] = receiver.bodies
    assert body["title"] == "merged: chore(deps): update api to 1.5.0"
    assert "https://github.com/acme/config/pull/7" in body["message"]
    assert "environment: e2e" in body["message"]


def test_an_exact_ci_call_sets_the_tag_it_names_once_the_registry_lists_it(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAGBOT_TEST_SET_TOKEN", "set-bearer-secret-2718")
    seed = world.remote.sha("main")
    exact = {
        "kind": "generic",
        "name": "deploy",
        "secret_env": "TAGBOT_TEST_SET_TOKEN",
        "exact": True,
    }
    with client_for(world, tmp_path, monkeypatch, debounce=0.1, extra=[exact]) as client:
        wait_ready(client)
        token = {"Authorization": "Bearer set-bearer-secret-2718"}
        untagged = client.post(
            "/v1/events/deploy", json={"image": world.image("api")}, headers=token
        )
        missing = client.post(
            "/v1/events/deploy", json={"image": world.image("web") + ":9.9.9"}, headers=token
        )
        # The policy (range ^1.0) would pick 1.5.0: the CI names 1.4.1, and gets it.
        named = client.post(
            "/v1/events/deploy", json={"image": world.image("api") + ":1.4.1"}, headers=token
        )
        deadline = time.monotonic() + 60
        while world.remote.sha("main") == seed or client.get("/metrics").text.count(
            "tagbot_plans_in_flight 1.0"
        ):
            assert time.monotonic() < deadline, client.get("/metrics").text
            time.sleep(0.1)
        metrics = client.get("/metrics").text

    assert (untagged.status_code, untagged.json()["reason"]) == (400, "no tag")
    assert missing.status_code == named.status_code == 202
    assert world.remote.subjects("main")[0] == f"chore(deps): update {world.reg}/api to 1.4.1"
    assert world.remote.sha("main~1") == seed
    assert f"{world.reg}/api:1.4.1" in world.remote.read("main", DEPLOY)
    assert "2.0.1-alpine" in world.remote.read("main", "charts/web/values.yaml")  # never trusted
    assert "tagbot_problems_total 1.0" in metrics


def test_each_repository_of_the_config_gets_its_own_worker_and_commit(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    other = world.remote.copy(tmp_path / "other.git")
    remotes = [world.remote, other]
    seeds = [r.sha("main") for r in remotes]
    git = {"provider": "git", "mode": "push", "repository": world.remote.url}
    text = serve_config(world.reg, git, sources=sources(world.registry.host), debounce=0.1)
    text += f"repositories: [{{repository: {world.remote.url}}}, {{repository: {other.url}}}]\n"
    path = tmp_path / "serve.yaml"
    path.write_text(text)
    token = {"Authorization": f"Bearer {SECRETS['TAGBOT_TEST_CI_TOKEN']}"}

    with TestClient(create_app(load_config(path), tmp_path, grace=30)) as client:
        wait_ready(client)
        answer = client.post("/v1/images", json={"image": world.image("web")}, headers=token)
        deadline = time.monotonic() + 60
        while any(r.sha("main") == seed for r, seed in zip(remotes, seeds, strict=True)):
            assert time.monotonic() < deadline, client.get("/metrics").text
            time.sleep(0.1)

    assert (answer.status_code, answer.json()["images"]) == (202, [world.image("web")])
    for remote, seed in zip(remotes, seeds, strict=True):
        assert remote.sha("main~1") == seed
        assert remote.subjects("main")[0] == f"chore(deps): update {world.reg}/web to 2.1.0-alpine"


def test_a_failed_publish_is_notified_and_counted(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.remote.install_hook("pre-receive", "#!/bin/sh\necho 'protected branch' >&2\nexit 1\n")
    seed = world.remote.sha("main")
    with Receiver() as receiver, client_for(world, tmp_path, monkeypatch, debounce=0.1) as client:
        monkeypatch.setenv("TAGBOT_TEST_NOTIFY_URL", receiver.url)
        wait_ready(client)
        token = {"Authorization": f"Bearer {SECRETS['TAGBOT_TEST_CI_TOKEN']}"}
        assert (
            client.post("/v1/images", json={"image": world.image("api")}, headers=token).status_code
            == 202
        )
        deadline = time.monotonic() + 60
        while 'tagbot_plans_total{result="problems"} 1.0' not in client.get("/metrics").text:
            assert time.monotonic() < deadline, client.get("/metrics").text
            time.sleep(0.1)

    assert world.remote.sha("main") == seed
    [body] = receiver.bodies
    assert body["type"] == "failure" and body["title"].startswith("tagbot failed (e2e)")
    assert "protected branch" in body["message"]
