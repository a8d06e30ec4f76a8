"""Digests and build times against a real registry: Docker v2, OCI, multi-arch indexes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tagbot import imageref
from tagbot.errors import RegistryError
from tagbot.scanner.manifest import ACCEPT, parse_time
from tests.scanner.conftest import MakeScanner, login_env, login_options
from tests.support.proxies import FaultProxy
from tests.support.registry import RegistryServer
from tests.support.seed import digest_of

BUILT = datetime(2024, 5, 17, 8, 30, 15, tzinfo=UTC)


def test_accept_lists_every_modern_manifest_type_index_first() -> None:
    assert ACCEPT.split(", ") == [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-17T08:30:15Z", BUILT),
        ("2024-05-17T08:30:15.123456789Z", BUILT.replace(microsecond=123456)),
        ("2024-05-17T10:30:15+02:00", BUILT),
        ("2024-05-17T08:30:15", BUILT),
        ("yesterday", None),
        ("", None),
    ],
    ids=["utc", "nanoseconds", "offset", "naive", "words", "empty"],
)
def test_parse_time(text: str, expected: datetime | None) -> None:
    assert parse_time(text) == expected


@pytest.mark.integration
@pytest.mark.parametrize("fmt", ["docker", "oci"])
def test_digest_of_a_single_image(
    registry_token: RegistryServer, repo_name: str, make_scanner: MakeScanner, fmt: str
) -> None:
    with registry_token.seeder() as seeder:
        pushed = seeder.push_image(repo_name, ["1.0"], fmt=fmt, created=BUILT)  # type: ignore[arg-type]
    scanner = make_scanner([login_options(registry_token.host)], login_env(registry_token))
    image = imageref.parse(f"{registry_token.host}/{repo_name}")
    # The digest of the exact bytes pushed: no schema1 conversion, no 404 for OCI.
    assert scanner.get_digest(image, "1.0") == pushed.digest == digest_of(pushed.body)
    assert scanner.get_created(image, "1.0") == BUILT


@pytest.mark.integration
@pytest.mark.parametrize("fmt", ["oci", "docker"])
def test_multi_arch_digest_is_the_index_digest(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner, fmt: str
) -> None:
    with registry_anonymous.seeder() as seeder:
        # arm64 first, built at another time: the build time must come from linux/amd64.
        times = {"linux/arm64": datetime(2020, 1, 1, tzinfo=UTC), "linux/amd64": BUILT}
        platforms = ["linux/arm64", "linux/amd64"]
        index = seeder.push_index(repo_name, "1.0", platforms, fmt=fmt, created=times)  # type: ignore[arg-type]
    scanner = make_scanner()
    image = imageref.parse(f"{registry_anonymous.host}/{repo_name}")
    digest = scanner.get_digest(image, "1.0")
    assert digest == index.digest
    assert digest not in dict(index.children).values()
    assert scanner.get_created(image, "1.0") == BUILT
    # Index, then the linux/amd64 manifest, then its config blob.
    assert scanner.request_count == {"ping": 1, "manifest": 3, "blob": 1}


@pytest.mark.integration
def test_index_without_linux_amd64_uses_the_first_platform(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner
) -> None:
    with registry_anonymous.seeder() as seeder:
        # A buildkit attestation (unknown/unknown) comes first and has no build time.
        times = {"unknown/unknown": None, "linux/arm64": BUILT}
        seeder.push_index(repo_name, "1.0", ["unknown/unknown", "linux/arm64"], created=times)
    image = imageref.parse(f"{registry_anonymous.host}/{repo_name}")
    assert make_scanner().get_created(image, "1.0") == BUILT


@pytest.mark.integration
def test_image_without_created_has_no_time(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner
) -> None:
    with registry_anonymous.seeder() as seeder:
        seeder.push_image(repo_name, ["1.0"], created=None)
    image = imageref.parse(f"{registry_anonymous.host}/{repo_name}")
    assert make_scanner().get_created(image, "1.0") is None


@pytest.mark.integration
def test_missing_tag_is_a_clear_error(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner
) -> None:
    with registry_anonymous.seeder() as seeder:
        seeder.push_image(repo_name, ["1.0"])
    image = imageref.parse(f"{registry_anonymous.host}/{repo_name}")
    with pytest.raises(RegistryError, match=f"tag '9.9' of '{repo_name}' not found") as caught:
        make_scanner().get_digest(image, "9.9")
    assert caught.value.status == 404


def test_invalid_tag_never_reaches_a_url(make_scanner: MakeScanner) -> None:
    image = imageref.parse("127.0.0.1:9/a/b")
    with pytest.raises(RegistryError, match="invalid tag"):
        make_scanner().get_digest(image, "../../v2/_catalog")
    assert make_scanner().request_count == {}


@pytest.mark.integration
def test_digest_and_created_are_fetched_once(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner
) -> None:
    with registry_anonymous.seeder() as seeder:
        seeder.push_image(repo_name, ["1.0"], created=BUILT)
    scanner = make_scanner()
    image = imageref.parse(f"{registry_anonymous.host}/{repo_name}")
    for _ in range(3):
        scanner.get_digest(image, "1.0")
        scanner.get_created(image, "1.0")
    assert scanner.request_count == {"ping": 1, "manifest": 2, "blob": 1}


@pytest.mark.integration
def test_config_blob_not_matching_its_digest_is_refused(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner
) -> None:
    with registry_anonymous.seeder() as seeder:
        seeder.push_image(repo_name, ["1.0"], created=BUILT)
    with FaultProxy(registry_anonymous.url) as proxy:
        proxy.inject(r"/blobs/sha256:", "body", body=b'{"created": "2099-01-01T00:00:00Z"}')
        image = imageref.parse(f"{proxy.host}/{repo_name}")
        with pytest.raises(RegistryError, match="content does not match digest"):
            make_scanner().get_created(image, "1.0")


@pytest.mark.integration
def test_blob_redirect_to_storage_gets_no_credentials(
    registry_htpasswd: RegistryServer,
    registry_anonymous: RegistryServer,
    repo_name: str,
    make_scanner: MakeScanner,
) -> None:
    # Registries redirect blob downloads to object storage (S3, a CDN): another origin, which
    # must not see the registry's Authorization header. Here the "storage" is a proxy in front
    # of a second registry that holds the same config blob.
    for server in (registry_htpasswd, registry_anonymous):
        with server.seeder() as seeder:
            pushed = seeder.push_image(repo_name, ["1.0"], created=BUILT)
    config = json.loads(pushed.body)["config"]["digest"]
    with FaultProxy(registry_htpasswd.url) as front, FaultProxy(registry_anonymous.url) as storage:
        location = f"{storage.url}/v2/{repo_name}/blobs/{config}"
        front.inject(r"/blobs/", "status", status=307, headers=[("Location", location)])
        scanner = make_scanner([login_options(front.host)], login_env(registry_htpasswd))
        image = imageref.parse(f"{front.host}/{repo_name}")
        assert scanner.get_created(image, "1.0") == BUILT
        assert [s.authorized for s in front.requests("/blobs/")] == [True]
        assert [s.authorized for s in storage.requests("/blobs/")] == [False]
    assert scanner.request_count["blob"] == 2  # the redirect and the storage's answer


HOSTILE_DIGESTS = [
    pytest.param("evil+x:" + "A" * 5000, id="unknown-algorithm-5007-chars"),
    pytest.param("sha256:" + "A" * 64, id="uppercase-hex"),
    pytest.param("sha256:" + "a" * 63, id="short"),
    pytest.param("sha512:" + "a" * 64, id="sha512-too-short"),
    pytest.param("sha256:" + "a" * 64 + " junk", id="trailing-junk"),
]


@pytest.mark.integration
@pytest.mark.parametrize("header", HOSTILE_DIGESTS)
def test_a_hostile_content_digest_never_leaves_the_scanner(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner, header: str
) -> None:
    with FaultProxy(registry_anonymous.url) as proxy:
        proxy.inject(
            r"/manifests/", "status", status=200, headers=[("Docker-Content-Digest", header)]
        )
        image = imageref.parse(f"{proxy.host}/{repo_name}")
        with pytest.raises(RegistryError, match=r"invalid digest .* refused") as caught:
            make_scanner().get_digest(image, "1.0")
    assert len(str(caught.value)) < 200  # quoted cut short, never 5,000 characters


@pytest.mark.integration
def test_a_manifest_nested_a_thousand_deep_is_a_problem_not_a_crash(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner
) -> None:
    with FaultProxy(registry_anonymous.url) as proxy:
        proxy.inject(r"/manifests/", "body", body=b"[" * 100_000)
        image = imageref.parse(f"{proxy.host}/{repo_name}")
        with pytest.raises(RegistryError, match="not a JSON object") as caught:
            make_scanner().get_created(image, "1.0")
    assert caught.value.transient


@pytest.mark.integration
def test_without_created_in_the_config_the_oci_annotation_says_when(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner
) -> None:
    note = {"org.opencontainers.image.created": "2024-05-06T07:08:09Z"}
    with registry_anonymous.seeder() as seeder:
        seeder.push_image(repo_name, ["1.0"], created=None, annotations=note)
    image = imageref.parse(f"{registry_anonymous.host}/{repo_name}")
    assert make_scanner().get_created(image, "1.0") == datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
