"""Table tests for tagbot/imageref.py: distribution/reference's grammar and Docker Hub defaults."""

from __future__ import annotations

import pytest

from tagbot import imageref
from tagbot.errors import InvalidReference
from tagbot.models import ImageRef

SHA = "sha256:" + "a" * 64

# (text, registry, repository, tag, digest)
VALID = [
    ("nginx", "docker.io", "library/nginx", None, None),
    ("nginx:1.25", "docker.io", "library/nginx", "1.25", None),
    ("library/nginx:1", "docker.io", "library/nginx", "1", None),
    ("docker.io/nginx", "docker.io", "library/nginx", None, None),
    ("docker.io/library/nginx:1", "docker.io", "library/nginx", "1", None),
    ("index.docker.io/nginx", "docker.io", "library/nginx", None, None),
    ("Index.Docker.io/nginx", "docker.io", "library/nginx", None, None),
    ("registry-1.docker.io/bitnami/redis:7", "docker.io", "bitnami/redis", "7", None),
    ("bitnami/redis:7.2.4-debian-12-r0", "docker.io", "bitnami/redis", "7.2.4-debian-12-r0", None),
    ("ghcr.io/acme/api:1.2.3", "ghcr.io", "acme/api", "1.2.3", None),
    ("GHCR.io/acme/api", "ghcr.io", "acme/api", None, None),
    ("localhost/foo", "localhost", "foo", None, None),
    ("localhost:5000/foo:1", "localhost:5000", "foo", "1", None),
    ("10.42.0.1:30000/test-image:1.0.0", "10.42.0.1:30000", "test-image", "1.0.0", None),
    ("[::1]:5000/foo:1", "[::1]:5000", "foo", "1", None),
    ("registry-host.io:5000/myreg/ubuntu", "registry-host.io:5000", "myreg/ubuntu", None, None),
    ("localhost:5000", "docker.io", "library/localhost", "5000", None),  # as Docker reads it
    (f"ubuntu:12.04.5@{SHA}", "docker.io", "library/ubuntu", "12.04.5", SHA),
    (f"quay.io/a/b@{SHA}", "quay.io", "a/b", None, SHA),
    ("a__b/c.d-e:x_Y.1-2", "docker.io", "a__b/c.d-e", "x_Y.1-2", None),
    ("gcr.io/knative-releases/knative.dev/pkg/cmd/migrate:v1", "gcr.io",
     "knative-releases/knative.dev/pkg/cmd/migrate", "v1", None),
    ("quay.io/x/y:" + "t" * 128, "quay.io", "x/y", "t" * 128, None),
    ("  nginx:1  ", "docker.io", "library/nginx", "1", None),
]  # fmt: skip

INVALID = [
    ("", "empty image reference"),
    ("nginx:", "invalid tag ''"),
    ("nginx:-1", "invalid tag '-1'"),
    ("nginx:" + "t" * 129, "invalid tag"),
    ("nginx@sha256:abc", "invalid digest"),
    ("nginx@sha256:" + "A" * 64, "invalid digest"),
    ("nginx@", "invalid digest ''"),
    ("@" + SHA, "empty image name"),
    ("UPPER:1", "must be lowercase"),
    ("someregistry.io/someContainer:v2", "must be lowercase"),
    ("CONTAINER_IMAGES_REGISTRY/adservice", "invalid registry host"),
    ("a//b", "invalid repository name"),
    ("-a", "invalid repository name"),
    ("a___b", "invalid repository name"),
    ("quay.io/", "invalid repository name ''"),
    ("nginx:1.2:3", "invalid repository name"),
    ("${IMAGE}:latest", "invalid"),
    ("export X=$Y:1", "invalid"),
    ("a" * 256, "longer than 255"),
]


@pytest.mark.parametrize(
    ("text", "registry", "repository", "tag", "digest"), VALID, ids=[v[0][:40] for v in VALID]
)
def test_parse(text: str, registry: str, repository: str, tag: str, digest: str) -> None:
    ref = imageref.parse(text)
    assert (ref.registry, ref.repository, ref.tag, ref.digest) == (
        registry,
        repository,
        tag,
        digest,
    )


@pytest.mark.parametrize(("text", "reason"), INVALID, ids=[i[0][:40] or "empty" for i in INVALID])
def test_parse_rejects(text: str, reason: str) -> None:
    with pytest.raises(InvalidReference, match=reason.replace("$", r"\$").replace("(", r"\(")):
        imageref.parse(text)
    assert imageref.try_parse(text) is None


@pytest.mark.parametrize(
    ("text", "familiar", "name"),
    [
        ("docker.io/library/nginx:1", "nginx:1", "docker.io/library/nginx"),
        ("index.docker.io/bitnami/redis", "bitnami/redis", "docker.io/bitnami/redis"),
        ("docker.io/library/a/b", "library/a/b", "docker.io/library/a/b"),
        (f"ghcr.io/acme/api:1@{SHA}", f"ghcr.io/acme/api:1@{SHA}", "ghcr.io/acme/api"),
        (f"quay.io/a@{SHA}", f"quay.io/a@{SHA}", "quay.io/a"),
    ],
    ids=["hub-official", "hub-legacy-host", "hub-library-nested", "tag-and-digest", "digest-only"],
)
def test_str_and_name(text: str, familiar: str, name: str) -> None:
    ref = imageref.parse(text)
    assert (str(ref), ref.name) == (familiar, name)


def test_equality_ignores_spelling() -> None:
    assert imageref.parse("nginx:1") == imageref.parse("docker.io/library/nginx:1")
    assert imageref.parse("nginx:1").spelling == "nginx"
    assert imageref.parse("nginx:1") != imageref.parse("nginx:2")


@pytest.mark.parametrize(
    ("digest", "valid"),
    [
        (SHA, True),
        ("sha256:" + "a" * 63, False),
        ("sha512:" + "b" * 128, True),
        ("sha512:" + "b" * 64, False),
        ("sha256:25a0d4", False),
        ("md5:" + "c" * 32, True),  # unknown algorithms: the grammar only
        ("sha256", False),
    ],
    ids=["sha256", "sha256-short", "sha512", "sha512-short", "truncated", "other-algo", "no-hex"],
)
def test_valid_digest(digest: str, valid: bool) -> None:
    assert imageref.valid_digest(digest) is valid


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("nginx", (None, "nginx")),
        ("bitnami/redis", (None, "bitnami/redis")),
        ("quay.io/a/b", ("quay.io", "a/b")),
        ("localhost/a", ("localhost", "a")),
        ("host:5000/a", ("host:5000", "a")),
        ("Upper/a", ("Upper", "a")),
    ],
    ids=["bare", "hub-user", "dotted-host", "localhost", "port", "uppercase-is-a-host"],
)
def test_split_domain(name: str, split: tuple[str | None, str]) -> None:
    assert imageref.split_domain(name) == split


def test_format_ref_keeps_spelling() -> None:
    ref = imageref.parse("docker.io/nginx:1")
    assert imageref.format_ref(ref.spelling or "", "2", None) == "docker.io/nginx:2"
    assert imageref.format_ref("nginx", "2", SHA) == f"nginx:2@{SHA}"
    assert imageref.format_ref("nginx", None, None) == "nginx"


def test_with_version_keeps_name() -> None:
    ref = ImageRef("ghcr.io", "acme/api", "1", None, "ghcr.io/acme/api")
    assert ref.with_version("2", SHA) == ImageRef("ghcr.io", "acme/api", "2", SHA)
