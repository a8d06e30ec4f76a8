"""Where credentials come from: config env vars, docker config (auths, helpers, store), CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagbot import imageref, redact
from tagbot.models import RegistryOptions
from tagbot.scanner import dockerconfig
from tagbot.scanner.credentials import Credentials, from_ci, from_options
from tagbot.scanner.sources import find_credentials
from tests.scanner.conftest import MakeScanner
from tests.support.dockerconfig import auth_entry, helper_calls, write_config, write_helper
from tests.support.registry import RegistryServer


def _pair(creds: Credentials | None) -> tuple[str, str | None, str | None] | None:
    return None if creds is None else (creds.source, creds.username, creds.password)


@pytest.mark.parametrize(
    ("registry", "options", "env", "expected"),
    [
        (
            "r.example.com",
            RegistryOptions(username_env="U", password_env="P"),
            {"U": "u1", "P": "p1"},
            ("$P", "u1", "p1"),
        ),
        ("r.example.com", RegistryOptions(username_env="U", password_env="P"), {"U": "u1"}, None),
        ("r.example.com", RegistryOptions(password_env="P"), {"P": "p1"}, None),
        ("ghcr.io", RegistryOptions(token_env="T"), {"T": "t1"}, ("$T", "tagbot", "t1")),
        (
            "europe-docker.pkg.dev",
            RegistryOptions(token_env="T"),
            {"T": "t1"},
            ("$T", "oauth2accesstoken", "t1"),
        ),
        ("gcr.io", RegistryOptions(token_env="T"), {"T": "t1"}, ("$T", "oauth2accesstoken", "t1")),
        (
            "acme.azurecr.io",
            RegistryOptions(token_env="T"),
            {"T": "t1"},
            ("$T", "00000000-0000-0000-0000-000000000000", "t1"),
        ),
        (
            "1234.dkr.ecr.eu-west-1.amazonaws.com",
            RegistryOptions(token_env="T"),
            {"T": "t1"},
            ("$T", "AWS", "t1"),
        ),
        (
            "quay.io",
            RegistryOptions(username_env="U", token_env="T"),
            {"U": "robot", "T": "t1"},
            ("$T", "robot", "t1"),
        ),
        ("quay.io", RegistryOptions(), {"T": "t1"}, None),
    ],
    ids=[
        "user-password",
        "password-unset",
        "no-username",
        "token-ghcr",
        "token-artifact-registry",
        "token-gcr",
        "token-acr",
        "token-ecr",
        "token-with-user",
        "nothing-named",
    ],
)
def test_from_options(
    registry: str,
    options: RegistryOptions,
    env: dict[str, str],
    expected: tuple[str, str, str] | None,
) -> None:
    assert _pair(from_options(registry, options, env)) == expected


@pytest.mark.parametrize(
    ("registry", "env", "expected"),
    [
        ("ghcr.io", {"GITHUB_TOKEN": "gh1"}, ("$GITHUB_TOKEN", "tagbot", "gh1")),
        (
            "ghcr.io",
            {"GITHUB_TOKEN": "gh1", "GITHUB_ACTOR": "octo"},
            ("$GITHUB_TOKEN", "octo", "gh1"),
        ),
        ("docker.io", {"GITHUB_TOKEN": "gh1"}, None),
        (
            "registry.gitlab.com",
            {
                "CI_REGISTRY": "registry.gitlab.com",
                "CI_REGISTRY_USER": "gitlab-ci-token",
                "CI_REGISTRY_PASSWORD": "job1",
            },
            ("$CI_REGISTRY_PASSWORD", "gitlab-ci-token", "job1"),
        ),
        (
            "ghcr.io",
            {
                "CI_REGISTRY": "registry.gitlab.com",
                "CI_REGISTRY_USER": "u",
                "CI_REGISTRY_PASSWORD": "p",
            },
            None,
        ),
    ],
    ids=["github-token", "github-actor", "not-ghcr", "gitlab-ci", "gitlab-other-host"],
)
def test_from_ci(registry: str, env: dict[str, str], expected: tuple[str, str, str] | None) -> None:
    assert _pair(from_ci(registry, env)) == expected


def test_docker_config_auths_keys_as_docker_writes_them(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        {
            "https://index.docker.io/v1/": auth_entry("hubuser", "hubpass"),
            "https://quay.io": {"username": "quser", "password": "qpass"},
            "registry.example.com:5000": auth_entry("ruser", "r:pass:with:colons"),
        },
    )
    config = dockerconfig.load(tmp_path / "config.json")
    env: dict[str, str] = {}
    assert _pair(dockerconfig.lookup(config, "docker.io", env)) == (
        "docker config",
        "hubuser",
        "hubpass",
    )
    assert _pair(dockerconfig.lookup(config, "quay.io", env)) == ("docker config", "quser", "qpass")
    assert _pair(dockerconfig.lookup(config, "registry.example.com:5000", env)) == (
        "docker config",
        "ruser",
        "r:pass:with:colons",
    )
    assert dockerconfig.lookup(config, "ghcr.io", env) is None
    # The base64 pair is as good as the password: it is registered as a secret.
    encoded = auth_entry("hubuser", "hubpass")["auth"]
    assert redact.scrub(f"auth {encoded} end") == "auth *** end"


@pytest.mark.parametrize(
    "text",
    ["{not json", "[1, 2]", '{"auths": {"r.example.com": {"auth": "%%%"}}}'],
    ids=["broken", "list", "bad-base64"],
)
def test_bad_docker_config_is_no_credentials(tmp_path: Path, text: str) -> None:
    (tmp_path / "config.json").write_text(text)
    config = dockerconfig.load(tmp_path / "config.json")
    assert dockerconfig.lookup(config, "r.example.com", {}) is None


def test_cred_helpers_win_over_store_and_auths(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    write_helper(bin_dir, "special", {"r.example.com": ("helper-user", "helper-secret")})
    write_helper(bin_dir, "store", {"other.example.com": ("store-user", "store-secret")})
    write_config(
        tmp_path / "docker",
        {
            "r.example.com": auth_entry("file-user", "file-pass"),
            "third.example.com": auth_entry("f", "p"),
        },
        cred_helpers={"r.example.com": "special"},
        creds_store="store",
    )
    env = {"PATH": str(bin_dir), "DOCKER_CONFIG": str(tmp_path / "docker")}
    find = lambda host: _pair(find_credentials(host, RegistryOptions(), env))  # noqa: E731
    assert find("r.example.com") == ("docker-credential-special", "helper-user", "helper-secret")
    assert find("other.example.com") == ("docker-credential-store", "store-user", "store-secret")
    # The store has nothing for this host: the plain `auths` entry still counts.
    assert find("third.example.com") == ("docker config", "f", "p")
    assert helper_calls(bin_dir, "special") == ["r.example.com"]
    assert helper_calls(bin_dir, "store") == ["other.example.com", "third.example.com"]


def test_helper_gets_docker_hubs_server_url(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    write_helper(bin_dir, "desktop", {"https://index.docker.io/v1/": ("hub", "hub-secret")})
    write_config(tmp_path / "docker", creds_store="desktop")
    env = {"PATH": str(bin_dir), "DOCKER_CONFIG": str(tmp_path / "docker")}
    assert _pair(find_credentials("docker.io", RegistryOptions(), env)) == (
        "docker-credential-desktop",
        "hub",
        "hub-secret",
    )


def test_helper_token_user_means_identity_token(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    write_helper(bin_dir, "acr", {"acme.azurecr.io": ("<token>", "refresh-1")})
    creds = dockerconfig.run_helper("acr", "acme.azurecr.io", {"PATH": str(bin_dir)})
    assert creds is not None and creds.identity_token == "refresh-1" and creds.password is None


def test_missing_helper_is_no_credentials(tmp_path: Path) -> None:
    assert dockerconfig.run_helper("absent", "r.example.com", {"PATH": str(tmp_path)}) is None
    assert dockerconfig.run_helper("../evil", "r.example.com", {"PATH": str(tmp_path)}) is None


def test_order_options_then_docker_config_then_ci(tmp_path: Path) -> None:
    write_config(tmp_path, {"ghcr.io": auth_entry("docker-user", "docker-pass")})
    options = RegistryOptions(username_env="U", password_env="P")
    env = {"DOCKER_CONFIG": str(tmp_path), "GITHUB_TOKEN": "gh", "U": "env-user", "P": "env-pass"}
    assert _pair(find_credentials("ghcr.io", options, env)) == ("$P", "env-user", "env-pass")
    assert _pair(find_credentials("ghcr.io", RegistryOptions(), env)) == (
        "docker config",
        "docker-user",
        "docker-pass",
    )
    env["DOCKER_CONFIG"] = str(tmp_path / "none")
    assert _pair(find_credentials("ghcr.io", RegistryOptions(), env)) == (
        "$GITHUB_TOKEN",
        "tagbot",
        "gh",
    )


def test_credentials_repr_hides_secrets() -> None:
    creds = Credentials("docker config", "user", "hunter2-password")
    assert "hunter2" not in repr(creds)


@pytest.mark.integration
@pytest.mark.parametrize("how", ["auths", "cred-helper", "creds-store"])
def test_docker_config_logs_in_to_a_real_registry(
    registry_htpasswd: RegistryServer,
    repo_name: str,
    make_scanner: MakeScanner,
    tmp_path: Path,
    how: str,
) -> None:
    with registry_htpasswd.seeder() as seeder:
        seeder.push_image(repo_name, ["1.0"])
    host, password = registry_htpasswd.host, registry_htpasswd.users["bob"]
    bin_dir, docker_dir = tmp_path / "bin", tmp_path / "docker"
    write_helper(bin_dir, "test", {host: ("bob", password)})
    if how == "auths":
        write_config(docker_dir, {f"http://{host}/v2/": auth_entry("bob", password)})
    elif how == "cred-helper":
        write_config(docker_dir, cred_helpers={host: "test"})
    else:
        write_config(docker_dir, creds_store="test")
    scanner = make_scanner(env={"DOCKER_CONFIG": str(docker_dir), "PATH": str(bin_dir)})
    assert scanner.list_tags(imageref.parse(f"{host}/{repo_name}")).names == ("1.0",)
    assert helper_calls(bin_dir, "test") == ([] if how == "auths" else [host])


@pytest.mark.integration
def test_anonymous_registry_never_asks_for_credentials(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner, tmp_path: Path
) -> None:
    with registry_anonymous.seeder() as seeder:
        seeder.push_image(repo_name, ["1.0"])
    bin_dir = tmp_path / "bin"
    write_helper(bin_dir, "test", {})
    write_config(tmp_path / "docker", creds_store="test")
    scanner = make_scanner(env={"DOCKER_CONFIG": str(tmp_path / "docker"), "PATH": str(bin_dir)})
    assert scanner.list_tags(imageref.parse(f"{registry_anonymous.host}/{repo_name}")).names == (
        "1.0",
    )
    assert helper_calls(bin_dir, "test") == []
