"""Challenge-driven auth against a real registry: Basic, Bearer tokens per scope, expiry, refusals."""

from __future__ import annotations

import time

import pytest

from tagbot import imageref
from tagbot.errors import RegistryError
from tagbot.models import RegistryOptions
from tagbot.scanner.auth import Challenge, parse_challenge
from tests.scanner.conftest import MakeScanner, login_env, login_options
from tests.support.registry import RegistryServer
from tests.support.tokenserver import TokenServer


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",'
            'scope="repository:library/nginx:pull"',
            Challenge("bearer", "https://auth.docker.io/token", "registry.docker.io"),
        ),
        ('Basic realm="Registry Realm"', Challenge("basic", "Registry Realm")),
        ('basic realm="x"', Challenge("basic", "x")),
        (
            'Bearer realm="https://ghcr.io/token", service="ghcr.io", scope="repository:a/b:pull"',
            Challenge("bearer", "https://ghcr.io/token", "ghcr.io"),
        ),
        ("Bearer realm=https://r/token,service=s", Challenge("bearer", "https://r/token", "s")),
        (
            'Bearer realm="https://a/token",service="a", Basic realm="https://b"',
            Challenge("bearer", "https://a/token", "a"),
        ),
        ('Bearer realm="quoted \\"q\\"",service="s"', Challenge("bearer", 'quoted "q"', "s")),
        ('Negotiate realm="x"', None),
        ("", None),
        (None, None),
    ],
    ids=[
        "docker-hub",
        "basic",
        "lowercase",
        "spaces",
        "unquoted",
        "two",
        "escaped",
        "other",
        "empty",
        "none",
    ],
)
def test_parse_challenge(header: str | None, expected: Challenge | None) -> None:
    assert parse_challenge(header) == expected


def _seed(server: RegistryServer, repo: str, tags: list[str]) -> None:
    with server.seeder() as seeder:
        seeder.push_image(repo, tags)


@pytest.mark.integration
def test_htpasswd_registry_with_env_credentials(
    registry_htpasswd: RegistryServer, repo_name: str, make_scanner: MakeScanner
) -> None:
    _seed(registry_htpasswd, repo_name, ["1.0", "1.1"])
    scanner = make_scanner([login_options(registry_htpasswd.host)], login_env(registry_htpasswd))
    image = imageref.parse(f"{registry_htpasswd.host}/{repo_name}")
    assert sorted(scanner.list_tags(image).names) == ["1.0", "1.1"]
    # One ping learns the Basic challenge, so the listing itself needs a single request.
    assert scanner.request_count == {"ping": 1, "tags": 1}


@pytest.mark.integration
def test_wrong_password_is_a_clear_error(
    registry_htpasswd: RegistryServer, repo_name: str, make_scanner: MakeScanner
) -> None:
    env = {"REG_USER": "alice", "REG_PASSWORD": "not-the-password"}
    scanner = make_scanner([login_options(registry_htpasswd.host)], env)
    with pytest.raises(RegistryError) as caught:
        scanner.list_tags(imageref.parse(f"{registry_htpasswd.host}/{repo_name}"))
    message = str(caught.value)
    assert "refused with the credentials from $REG_PASSWORD" in message
    assert "wrong username or password" in message
    assert "not-the-password" not in message
    assert caught.value.status == 401 and not caught.value.transient


@pytest.mark.integration
def test_basic_registry_without_credentials(
    registry_htpasswd: RegistryServer, repo_name: str, make_scanner: MakeScanner
) -> None:
    scanner = make_scanner()
    with pytest.raises(RegistryError, match="needs a username and password and none were found"):
        scanner.list_tags(imageref.parse(f"{registry_htpasswd.host}/{repo_name}"))


@pytest.mark.integration
def test_token_registry_one_token_per_repository(
    registry_token: RegistryServer,
    token_server: TokenServer,
    make_scanner: MakeScanner,
    repo_name: str,
) -> None:
    repos = [f"{repo_name}/a", f"{repo_name}/b"]
    for repo in repos:
        _seed(registry_token, repo, ["1.0", "2.0"])
    scanner = make_scanner([login_options(registry_token.host)], login_env(registry_token))
    for repo in repos:
        image = imageref.parse(f"{registry_token.host}/{repo}")
        assert sorted(scanner.list_tags(image).names) == ["1.0", "2.0"]
        assert scanner.get_digest(image, "1.0").startswith("sha256:")
        assert scanner.get_digest(image, "2.0").startswith("sha256:")
    # Least privilege: each token covers exactly one repository, read only.
    for repo in repos:
        issued = token_server.tokens_for(f"repository:{repo}:pull")
        assert [(i.user, i.scopes) for i in issued] == [("alice", (f"repository:{repo}:pull",))]
    assert scanner.request_count == {"ping": 1, "token": 2, "tags": 2, "manifest": 4}


@pytest.mark.integration
def test_anonymous_token_for_public_pull(
    registry_token: RegistryServer,
    token_server: TokenServer,
    make_scanner: MakeScanner,
    repo_name: str,
) -> None:
    _seed(registry_token, repo_name, ["1.0"])
    scanner = make_scanner()
    assert scanner.list_tags(imageref.parse(f"{registry_token.host}/{repo_name}")).names == ("1.0",)
    assert [i.grant for i in token_server.tokens_for(f"repository:{repo_name}:pull")] == [
        "anonymous"
    ]


@pytest.mark.integration
def test_token_server_refuses_wrong_password(
    registry_token: RegistryServer, make_scanner: MakeScanner, repo_name: str
) -> None:
    env = {"REG_USER": "alice", "REG_PASSWORD": "wrong-password-123"}
    scanner = make_scanner([login_options(registry_token.host)], env)
    with pytest.raises(RegistryError) as caught:
        scanner.list_tags(imageref.parse(f"{registry_token.host}/{repo_name}"))
    assert "token server refused the credentials from $REG_PASSWORD" in str(caught.value)
    assert "wrong-password-123" not in str(caught.value)
    assert caught.value.status == 401


@pytest.mark.integration
def test_anonymous_refused_when_the_token_server_wants_a_login(
    registry_token: RegistryServer,
    token_server: TokenServer,
    make_scanner: MakeScanner,
    repo_name: str,
) -> None:
    token_server.anonymous_pull = False
    with pytest.raises(RegistryError, match="token server refused anonymous access"):
        make_scanner().list_tags(imageref.parse(f"{registry_token.host}/{repo_name}"))


@pytest.mark.integration
def test_token_cached_until_expires_in(
    registry_token: RegistryServer,
    token_server: TokenServer,
    make_scanner: MakeScanner,
    repo_name: str,
) -> None:
    _seed(registry_token, repo_name, ["1.0", "2.0", "3.0"])
    token_server.expires_in = 1
    scanner = make_scanner([login_options(registry_token.host)], login_env(registry_token))
    image = imageref.parse(f"{registry_token.host}/{repo_name}")
    scanner.list_tags(image)
    scope = f"repository:{repo_name}:pull"
    assert len(token_server.tokens_for(scope)) == 1
    time.sleep(1.0)  # the one-second token is now past its lifetime: it must not be reused
    scanner.get_digest(image, "1.0")
    assert len(token_server.tokens_for(scope)) == 2
    assert scanner.request_count["manifest"] == 1  # fetched before use, not after a 401


@pytest.mark.integration
def test_token_reused_within_its_lifetime(
    registry_token: RegistryServer,
    token_server: TokenServer,
    make_scanner: MakeScanner,
    repo_name: str,
) -> None:
    _seed(registry_token, repo_name, ["1.0", "2.0", "3.0"])
    scanner = make_scanner([login_options(registry_token.host)], login_env(registry_token))
    image = imageref.parse(f"{registry_token.host}/{repo_name}")
    scanner.list_tags(image)
    for tag in ("1.0", "2.0", "3.0"):
        scanner.get_digest(image, tag)
    assert len(token_server.tokens_for(f"repository:{repo_name}:pull")) == 1


@pytest.mark.integration
def test_refused_token_is_fetched_again_on_401(
    registry_token: RegistryServer,
    token_server: TokenServer,
    make_scanner: MakeScanner,
    repo_name: str,
) -> None:
    _seed(registry_token, repo_name, ["1.0"])
    token_server.expired_next = 1  # the first token is dead on arrival (revoked, clock skew)
    scanner = make_scanner([login_options(registry_token.host)], login_env(registry_token))
    image = imageref.parse(f"{registry_token.host}/{repo_name}")
    assert scanner.list_tags(image).names == ("1.0",)
    assert len(token_server.tokens_for(f"repository:{repo_name}:pull")) == 2
    assert scanner.request_count == {"ping": 1, "token": 2, "tags": 2}


@pytest.mark.integration
def test_tokens_that_never_work_end_in_a_clear_error(
    registry_token: RegistryServer,
    token_server: TokenServer,
    make_scanner: MakeScanner,
    repo_name: str,
) -> None:
    token_server.expired_next = 10
    scanner = make_scanner([login_options(registry_token.host)], login_env(registry_token))
    with pytest.raises(RegistryError) as caught:
        scanner.list_tags(imageref.parse(f"{registry_token.host}/{repo_name}"))
    assert f"access to repository '{repo_name}' refused" in str(caught.value)
    # Bounded: the challenge is known from the ping, so one renewal and no more.
    assert scanner.request_count["token"] == 2


@pytest.mark.integration
def test_identity_token_uses_the_oauth2_refresh_grant(
    registry_token: RegistryServer,
    token_server: TokenServer,
    make_scanner: MakeScanner,
    repo_name: str,
    tmp_path,
) -> None:
    from tests.support.dockerconfig import write_config

    _seed(registry_token, repo_name, ["1.0"])
    token_server.refresh_tokens["refresh-token-for-alice"] = "alice"
    write_config(
        tmp_path / "docker", {registry_token.host: {"identitytoken": "refresh-token-for-alice"}}
    )
    scanner = make_scanner(env={"DOCKER_CONFIG": str(tmp_path / "docker")})
    assert scanner.list_tags(imageref.parse(f"{registry_token.host}/{repo_name}")).names == ("1.0",)
    issued = token_server.tokens_for(f"repository:{repo_name}:pull")
    assert [(i.user, i.grant) for i in issued] == [("alice", "refresh_token")]


@pytest.mark.integration
def test_token_env_is_a_password_with_a_default_user(
    registry_htpasswd: RegistryServer, make_scanner: MakeScanner, repo_name: str
) -> None:
    _seed(registry_htpasswd, repo_name, ["1.0"])
    options = RegistryOptions(
        host=registry_htpasswd.host, username_env="REG_USER", token_env="REG_TOKEN"
    )
    env = {"REG_USER": "bob", "REG_TOKEN": registry_htpasswd.users["bob"]}
    scanner = make_scanner([options], env)
    assert scanner.list_tags(imageref.parse(f"{registry_htpasswd.host}/{repo_name}")).names == (
        "1.0",
    )


@pytest.mark.integration
def test_insufficient_scope_is_final_without_a_second_token(
    registry_token: RegistryServer,
    token_server: TokenServer,
    make_scanner: MakeScanner,
    repo_name: str,
) -> None:
    # Docker Hub answers a missing or private repository this way: a token that grants nothing.
    _seed(registry_token, repo_name, ["1.0"])
    token_server.denied.add(repo_name)
    scanner = make_scanner([login_options(registry_token.host)], login_env(registry_token))
    with pytest.raises(RegistryError) as caught:
        scanner.list_tags(imageref.parse(f"{registry_token.host}/{repo_name}"))
    assert str(caught.value) == (
        f"{registry_token.host}: access to repository '{repo_name}' refused with the credentials "
        "from $REG_PASSWORD (no such repository, no permission, or wrong credentials)"
    )
    assert scanner.request_count == {"ping": 1, "token": 1, "tags": 1}
