"""tagbot.config: loading, every error with its key and line, and conversion into records."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tagbot.config import Config, check_config, json_schema, load_config
from tagbot.errors import ConfigError
from tagbot.imageref import parse
from tagbot.models import GitOptions, PolicySpec, RegistryOptions
from tests.support.certs import self_signed

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config.example.yaml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tagbot.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(tmp_path: Path, text: str) -> Config:
    return load_config(write(tmp_path, text))


def issues(tmp_path: Path, text: str) -> list[tuple[int | None, str, str]]:
    config, found = check_config(write(tmp_path, text))
    assert (config is None) == bool(found)
    return [(i.line, i.key, i.message) for i in found]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty-file"),
        pytest.param("version: 1\n", id="minimal"),
        pytest.param("images:\n  - name: nginx\n", id="one-rule"),
        pytest.param("defaults: null\n", id="defaults-null"),
        pytest.param("\ufeffversion: 1\n", id="bom"),
    ],
)
def test_valid(tmp_path: Path, text: str) -> None:
    assert issues(tmp_path, text) == []


def test_defaults_are_sensible(tmp_path: Path) -> None:
    config = load(tmp_path, "version: 1\n")
    assert config.git_options() == GitOptions()
    assert config.registry_options() == ()
    assert config.policy_for(parse("nginx:1.25")) == PolicySpec(kind="semver")


def test_full_example_loads() -> None:
    config = load_config(EXAMPLE)
    assert config.git.provider == "github"
    assert len(config.images) >= 4


def _schema_paths(schema: dict[str, Any], node: dict[str, Any], prefix: str) -> set[str]:
    paths = set()
    for key, prop in node.get("properties", {}).items():
        path = f"{prefix}{key}"
        paths.add(path)
        for ref in [prop, *prop.get("anyOf", []), prop.get("items", {})]:
            if "$ref" in ref:
                target = schema["$defs"][ref["$ref"].rsplit("/", 1)[-1]]
                paths |= _schema_paths(schema, target, f"{path}.")
    return paths


def _data_paths(node: Any, prefix: str) -> set[str]:
    paths = set()
    if isinstance(node, list):
        for item in node:
            paths |= _data_paths(item, prefix)
    if isinstance(node, dict):
        for key, value in node.items():
            paths |= {f"{prefix}{key}", *_data_paths(value, f"{prefix}{key}.")}
    return paths


def test_example_sets_every_schema_key() -> None:
    # So the commented example cannot drift from the models: every key appears in it.
    schema = json_schema()
    example = YAML(typ="safe").load(EXAMPLE.read_text(encoding="utf-8"))
    missing = _schema_paths(schema, schema, "") - _data_paths(example, "")
    assert missing == set()


BAD = [
    ("unknown-key", "git:\n  provder: github\n", [(2, "git.provder", "unknown key; did you mean 'provider'?")]),
    ("unknown-top-key", "version: 1\nimagess: []\n", [(2, "imagess", "unknown key; did you mean 'images'?")]),
    ("unknown-key-no-guess", "registries:\n  - host: x\n    zzz: 1\n", [(3, "registries[0].zzz", "unknown key; expected one of: host, username_env, password_env, token_env, insecure, ca_bundle, requests_per_second, concurrency, page_cap, max_tags, timeout, connect_timeout, read_timeout, breaker, token_batch, push_times, push_times_url, push_times_token_env")]),
    ("wrong-enum", "git:\n  provider: bitbucket\n", [(2, "git.provider", "must be 'github', 'gitlab' or 'git'")]),
    ("wrong-mode", "git:\n  mode: merge\n", [(2, "git.mode", "must be 'pull-request' or 'push'")]),
    ("wrong-policy", "images:\n- name: x\n  policy: latest\n", [(3, "images[0].policy", "must be 'semver', 'calver', 'numerical', 'alphabetical', 'digest', 'newest-build' or 'pin'")]),
    ("wrong-version", "version: 2\n", [(1, "version", "must be 1")]),
    ("glob-not-list", "include: '**/*.yaml'\n", [(1, "include", "must be a list, not a string")]),
    ("glob-not-string", "images:\n  - name: 5\n", [(2, "images[0].name", "must be a string, not an integer (quote it)")]),
    ("glob-unclosed", "exclude: ['a/[b']\n", [(1, "exclude[0]", "unclosed '[' at character 3 of glob 'a/[b'")]),
    ("glob-empty", "images:\n  - name: ''\n", [(2, "images[0].name", "must not be empty")]),
    ("name-missing", "images:\n  - policy: semver\n", [(2, "images[0].name", "required key is missing")]),
    ("range-number", "images:\n  - name: x\n    range: 1.2\n", [(3, "images[0].range", "must be a string, not a number (quote it)")]),
    ("bool-as-string", "defaults:\n  prerelease: 'yes'\n", [(2, "defaults.prerelease", "must be true or false, not a string")]),
    ("section-not-mapping", "git: github\n", [(1, "git", "must be a mapping, not a string")]),
    ("rule-not-mapping", "images:\n  - nginx\n", [(2, "images[0]", "must be a mapping, not a string")]),
    ("rate-zero", "registries:\n  - host: x\n    requests_per_second: 0\n", [(3, "registries[0].requests_per_second", "must be greater than 0")]),
    ("retries-negative", "git:\n  push_retries: -1\n", [(2, "git.push_retries", "must be greater than or equal to 0")]),
    ("password-alone", "registries:\n  - host: x\n    username_env: U\n", [(2, "registries[0].password_env", "username_env and password_env go together")]),
    ("push-times-vendor", "registries:\n  - host: x\n    push_times: harbour\n", [(3, "registries[0].push_times", "must be 'auto', 'dockerhub', 'quay', 'harbor', 'github' or 'none'")]),
    ("push-times-url", "registries:\n  - host: x\n    push_times_url: harbor.example.com\n", [(3, "registries[0].push_times_url", "must be an http:// or https:// URL")]),
    ("push-times-none-token", "registries:\n  - host: x\n    push_times: none\n    push_times_token_env: T\n", [(4, "registries[0].push_times_token_env", "push_times is none: push_times_token_env would never be used")]),
    ("env-name-bad", "git:\n  token_env: MY-TOKEN\n", [(2, "git.token_env", "must be an environment variable name, such as GITHUB_TOKEN")]),
    ("template-unknown", "git:\n  pr_title: 'bump {img}'\n", [(2, "git.pr_title", "unknown placeholder {img}; use {image} {from} {to} {count} {images}")]),
    ("template-broken", "git:\n  commit_message: 'bump {image'\n", [(2, "git.commit_message", "not a valid template: expected '}' before end of string")]),
    ("api-url-not-http", "git:\n  api_url: github.example.com\n", [(2, "git.api_url", "must be an http:// or https:// URL")]),
    ("root-list", "- a\n- b\n", [(1, "(root)", "the file must hold a mapping")]),
    ("yaml-syntax", "git:\n  provider: github\n bad: [\n", [(3, "(yaml)", "expected <block end>, but found '<block mapping start>'")]),
    ("duplicate-key", "version: 1\ngit: {}\ngit: {}\n", [(3, "(yaml)", 'found duplicate key "git"')]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in BAD])
def test_bad_field(tmp_path: Path, text: str, expected: list[tuple[int, str, str]]) -> None:
    assert issues(tmp_path, text) == expected


POLICY_BAD = [
    ("bad-range", "images:\n  - name: a\n    range: '>=1 <<2'\n", (3, "images[0].range", "invalid range '>=1 <<2'")),
    ("bad-range-defaults", "defaults:\n  range: '^1.x.y.z'\n", (2, "defaults.range", "invalid range '^1.x.y.z'")),
    ("range-not-ordered", "images:\n  - name: a\n    policy: numerical\n    range: '^1'\n", (4, "images[0].range", "'range' applies to semver and calver")),
    ("bad-filter", "images:\n  - name: a\n    filter: '(open'\n", (3, "images[0].filter", "invalid filter regex '(open'")),
    ("extract-no-filter", "images:\n  - name: a\n    extract: $ts\n", (3, "images[0].extract", "'extract' needs a 'filter'")),
    ("extract-no-group", "images:\n  - name: a\n    filter: '^(?P<n>[0-9]+)$'\n    extract: $ts\n", (4, "images[0].extract", "extract '$ts' uses $ts: no group named 'ts'")),
    ("bad-ignore-regex", "images:\n  - name: a\n    ignore: ['/[/']\n", (3, "images[0].ignore", "invalid ignore regex '/[/'")),
    ("prerelease-digest", "images:\n  - name: a\n    policy: digest\n    prerelease: true\n", (4, "images[0].prerelease", "'prerelease' does not apply to the digest policy")),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in POLICY_BAD])
def test_policy_is_built_at_load(tmp_path: Path, text: str, expected: tuple[int, str, str]) -> None:
    ((line, key, message),) = issues(tmp_path, text)
    assert (line, key) == expected[:2]
    assert message.startswith(expected[2])


def test_policy_errors_reported_with_field_errors(tmp_path: Path) -> None:
    text = "git:\n  mode: merge\nimages:\n  - name: a\n    range: '<<2'\n  - name: 5\n"
    assert [(line, key) for line, key, _ in issues(tmp_path, text)] == [
        (2, "git.mode"),
        (5, "images[0].range"),
        (6, "images[1].name"),
    ]


SECRETS = [
    ("git-token", "git:\n  token: s3cr3t-value\n", 2, "git.token", "token_env"),
    ("registry-password", "registries:\n  - host: x\n    password: s3cr3t-value\n", 3, "registries[0].password", "password_env"),
    ("rule-secret", "images:\n  - name: x\n    secret: s3cr3t-value\n", 3, "images[0].secret", "secret_env"),
    ("top-api-key", "api_key: s3cr3t-value\n", 1, "api_key", "api_key_env"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "line", "key", "use"), [pytest.param(*s[1:], id=s[0]) for s in SECRETS]
)
def test_secret_in_file_is_rejected(
    tmp_path: Path, text: str, line: int, key: str, use: str
) -> None:
    message = f"secrets never live in the file: use {use}"
    assert issues(tmp_path, text) == [(line, key, message)]
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    assert "s3cr3t-value" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        pytest.param("git:\n  token_env: ghp_abcdefghijklmnop\n", "git.token_env", id="gh-token"),
        pytest.param("git:\n  repository: https://x:ghp_abcdefgh@github.com/a/b\n", "git.repository", id="url-password"),
        pytest.param("git:\n  repository: https://ghp_abcdefgh@github.com/a/b\n", "git.repository", id="url-user-token"),
        pytest.param("registries:\n  - host: x\n    token_env: glpat-abcdefghijk\n", "registries[0].token_env", id="gl-token"),
    ],
)  # fmt: skip
def test_secret_value_is_rejected_without_echo(tmp_path: Path, text: str, key: str) -> None:
    (found,) = issues(tmp_path, text)
    assert found[1] == key
    assert found[2].startswith("secrets never live in the file")
    assert "abcdefgh" not in found[2]


def test_duplicate_secret_key_is_not_echoed(tmp_path: Path) -> None:
    text = "registries:\n  - host: x\n    password: abcdefgh1\n    password: abcdefgh2\n"
    assert issues(tmp_path, text) == [(4, "(yaml)", 'found duplicate key "password"')]


def test_ssh_user_is_not_a_secret(tmp_path: Path) -> None:
    config = load(tmp_path, "git:\n  repository: ssh://git@github.com/acme/deploy.git\n")
    assert config.git_options().repository == "ssh://git@github.com/acme/deploy.git"


def test_every_error_reported_at_once_in_line_order(tmp_path: Path) -> None:
    text = """\
        version: 1
        git:
          provider: bitbucket
          grouping: all
          labels: dependencies
        include: ["**/*.yaml"]
        images:
          - name: ok
          - name: "ghcr.io/acme/*"
            prerelease: maybe
          - policy: calver
        registries:
          - host: ghcr.io
            password: hunter2-secret
        """
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).splitlines() == [
        f"{path}:3: git.provider: must be 'github', 'gitlab' or 'git'",
        f"{path}:5: git.labels: must be a list, not a string",
        f"{path}:10: images[1].prerelease: must be true or false, not a string",
        f"{path}:11: images[2].name: required key is missing",
        f"{path}:14: registries[0].password: secrets never live in the file: use password_env",
    ]
    assert "hunter2" not in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "nope.yaml")
    assert str(caught.value) == f"{tmp_path / 'nope.yaml'}: no such file"


RULES = """\
    images:
      - name: "ghcr.io/acme/legacy"
        pin: true
      - name: "ghcr.io/acme/web"
        policy: numerical
        filter: '^main-(?P<n>[0-9]+)$'
        extract: $n
      - name: "ghcr.io/acme/*"
        range: "^1.2"
        ignore: ["*-rc*"]
        digest: true
      - name: "nginx"
        policy: calver
      - name: "docker.io/bitnami/**"
        prerelease: true
    """


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        pytest.param("ghcr.io/acme/legacy:1", PolicySpec(kind="pin"), id="pin-first-match"),
        pytest.param("ghcr.io/acme/web:main-1", PolicySpec(kind="numerical", filter="^main-(?P<n>[0-9]+)$", extract="$n"), id="specific-before-glob"),
        pytest.param("ghcr.io/acme/api:1.2.0", PolicySpec(range="^1.2", ignore=("*-rc*",), pin_digest=True), id="glob"),
        pytest.param("ghcr.io/acme/team/api:1", PolicySpec(), id="star-stays-in-segment"),
        pytest.param("nginx:1.25", PolicySpec(kind="calver"), id="familiar-name"),
        pytest.param("docker.io/library/nginx:1.25", PolicySpec(kind="calver"), id="normalised-spelling"),
        pytest.param("bitnami/redis/sub:7", PolicySpec(prerelease=True), id="double-star"),
        pytest.param("quay.io/other:1", PolicySpec(), id="defaults"),
    ],
)  # fmt: skip
def test_rule_order(tmp_path: Path, image: str, expected: PolicySpec) -> None:
    assert load(tmp_path, RULES).policy_for(parse(image)) == expected


def test_defaults_null_leaves_unnamed_images(tmp_path: Path) -> None:
    config = load(tmp_path, RULES + "defaults: null\n")
    assert config.policy_for(parse("quay.io/other:1")) is None
    assert config.policy_for(parse("nginx:1")) == PolicySpec(kind="calver")


def test_defaults_policy(tmp_path: Path) -> None:
    config = load(tmp_path, "defaults:\n  policy: calver\n  prerelease: true\n")
    assert config.policy_for(parse("x:1")) == PolicySpec(kind="calver", prerelease=True)


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        pytest.param("values.yaml", True, id="root-file"),
        pytest.param("./values.yaml", True, id="dot-slash"),
        pytest.param("apps/api/values.yml", True, id="nested"),
        pytest.param("apps/api/README.md", False, id="not-included"),
        pytest.param("charts/api/templates/deploy.yaml", False, id="excluded-glob"),
        pytest.param("charts/api/values.yaml", True, id="beside-excluded"),
        pytest.param("vendor/x/y.yaml", False, id="excluded-directory"),
        pytest.param("vendorish/y.yaml", True, id="prefix-is-not-directory"),
        pytest.param("apps\\api\\values.yaml", True, id="backslashes"),
    ],
)
def test_include_exclude(tmp_path: Path, path: str, wanted: bool) -> None:
    config = load(tmp_path, "exclude: ['charts/**/templates/**', vendor]\n")
    assert config.wants(path) is wanted


def test_include_narrows(tmp_path: Path) -> None:
    config = load(tmp_path, "include: ['deploy/*.yaml']\n")
    assert [config.wants(p) for p in ("deploy/a.yaml", "deploy/x/a.yaml", "a.yaml")] == [
        True,
        False,
        False,
    ]


def test_registry_options(tmp_path: Path) -> None:
    pem = self_signed("test CA", ca=True).cert_pem
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs/ca.pem").write_bytes(pem)
    (tmp_path / "abs.pem").write_bytes(pem)
    text = """\
        registries:
          - host: ghcr.io
            username_env: GHCR_USER
            password_env: GHCR_TOKEN
            requests_per_second: 5
          - host: "*.internal"
            token_env: INTERNAL
            insecure: true
            ca_bundle: certs/ca.pem
            page_cap: 3
            timeout: 2.5
            connect_timeout: 1
            read_timeout: 2
            concurrency: 4
            breaker: 1
            max_tags: 500
            push_times: harbor
            push_times_url: https://harbor.internal
          - host: "*"
            ca_bundle: ABSOLUTE
            push_times_token_env: HUB_TOKEN
        """.replace("ABSOLUTE", str(tmp_path / "abs.pem"))
    assert load(tmp_path, text).registry_options() == (
        RegistryOptions("ghcr.io", "GHCR_USER", "GHCR_TOKEN", requests_per_second=5.0),
        RegistryOptions(
            "*.internal",
            token_env="INTERNAL",
            insecure=True,
            ca_bundle=str(tmp_path / "certs/ca.pem"),
            page_cap=3,
            timeout=2.5,
            connect_timeout=1.0,
            read_timeout=2.0,
            concurrency=4,
            breaker=1,
            max_tags=500,
            push_times="harbor",
            push_times_url="https://harbor.internal",
        ),
        RegistryOptions("*", ca_bundle=str(tmp_path / "abs.pem"), push_times_token_env="HUB_TOKEN"),
    )


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (None, "cannot read"),
        (b"not a certificate\n", "holds no PEM certificate"),
        (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "not a usable PEM"),
    ],
    ids=["missing", "not-pem", "broken-pem"],
)
def test_an_unusable_ca_bundle_is_a_config_error(
    tmp_path: Path, content: bytes | None, error: str
) -> None:
    if content is not None:
        (tmp_path / "ca.pem").write_bytes(content)
    path = tmp_path / "tagbot.yaml"
    path.write_text("registries:\n  - host: x\n    ca_bundle: ca.pem\n")
    config, issues = check_config(path)
    assert config is None
    assert [(i.line, i.key) for i in issues] == [(3, "registries[0].ca_bundle")]
    assert error in issues[0].message


def test_git_options(tmp_path: Path) -> None:
    text = """\
        git:
          repository: https://gitlab.example.com/acme/deploy.git
          base_branch: prod
          provider: gitlab
          mode: push
          author: {name: bot, email: bot@example.com}
          labels: [deps, images]
          reviewers: [alice, bob]
          token_env: DEPLOY_TOKEN
          api_url: https://gitlab.example.com
          project: acme/deploy
          branch_prefix: bump/
          push_retries: 0
        """
    assert load(tmp_path, text).git_options() == GitOptions(
        repository="https://gitlab.example.com/acme/deploy.git",
        base_branch="prod",
        provider="gitlab",
        mode="push",
        author_name="bot",
        author_email="bot@example.com",
        labels=("deps", "images"),
        reviewers=("alice", "bob"),
        token_env="DEPLOY_TOKEN",
        api_url="https://gitlab.example.com",
        project="acme/deploy",
        branch_prefix="bump/",
        push_retries=0,
    )


@pytest.mark.parametrize(
    ("written", "resolved"),
    [
        ("../deploy.git", "{parent}/deploy.git"),
        ("repos/deploy.git", "{dir}/repos/deploy.git"),
        ("/srv/git/deploy.git", "/srv/git/deploy.git"),
        (".", "."),
        ("file:///srv/git/deploy.git", "file:///srv/git/deploy.git"),
        ("git@github.com:acme/deploy.git", "git@github.com:acme/deploy.git"),
        ("https://github.com/acme/deploy.git", "https://github.com/acme/deploy.git"),
    ],
    ids=["parent", "below", "absolute", "checkout", "file-url", "scp", "https"],
)
def test_a_repository_path_is_relative_to_the_config_file(tmp_path: Path, written, resolved):
    config = load(tmp_path, f"git:\n  repository: {written!r}\n")
    folder = tmp_path.absolute()
    expected = resolved.format(dir=folder, parent=folder.parent)
    assert config.git_options().repository == expected


def test_app_commit_and_timeout_keys_reach_the_provider(tmp_path: Path) -> None:
    text = """\
        git:
          provider: github
          app_id_env: APP_ID
          private_key_env: APP_KEY
          commit_via: api
          timeout: 20
          assignees: [carol]
        """
    options = load(tmp_path, text).git_options()
    assert (options.app_id_env, options.private_key_env) == ("APP_ID", "APP_KEY")
    assert (options.commit_via, options.timeout, options.assignees) == ("api", 20, ("carol",))


GLOB_FIRST = """\
    images:
      - name: "ghcr.io/acme/*"
        policy: calver
      - name: "ghcr.io/acme/web"
        pin: true
      - name: "nginx"
        policy: numerical
      - name: "docker.io/library/nginx"
        pin: true
      - name: "docker.io/library/nginx"
        policy: semver
    """


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        pytest.param("ghcr.io/acme/web:1", PolicySpec(kind="calver"), id="earlier-glob-beats-later-name"),
        pytest.param("nginx:1", PolicySpec(kind="numerical"), id="familiar-name-before-full-name"),
        pytest.param("docker.io/library/redis:7", PolicySpec(), id="no-rule"),
    ],
)  # fmt: skip
def test_first_rule_wins_whether_name_or_glob(
    tmp_path: Path, image: str, expected: PolicySpec
) -> None:
    assert load(tmp_path, GLOB_FIRST).policy_for(parse(image)) == expected
