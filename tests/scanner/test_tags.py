"""Listing tags: registry order, untrusted names dropped, clear errors for bad answers."""

from __future__ import annotations

import json

import pytest

from tagbot import imageref
from tagbot.errors import RegistryError
from tagbot.models import ImageRef, RegistryOptions
from tests.scanner.conftest import MakeScanner
from tests.support.proxies import FaultProxy, PagingProxy
from tests.support.registry import RegistryServer

TAGS_PATH = r"/tags/list"


@pytest.fixture
def image(registry_anonymous: RegistryServer, repo_name: str) -> ImageRef:
    with registry_anonymous.seeder() as seeder:
        seeder.push_image(repo_name, ["1.0", "latest"])
    return imageref.parse(f"{registry_anonymous.host}/{repo_name}")


def _through(proxy: FaultProxy, image: ImageRef) -> ImageRef:
    return imageref.parse(f"{proxy.host}/{image.repository}")


@pytest.mark.integration
def test_lists_a_real_repository(image: ImageRef, make_scanner: MakeScanner) -> None:
    listing = make_scanner().list_tags(image.with_version("1.0", None))
    assert sorted(listing.names) == ["1.0", "latest"]
    assert listing.image == image.with_version(None, None)
    assert all(t.digest is None and t.created is None for t in listing.tags)


@pytest.mark.integration
def test_missing_repository_is_a_clear_error(
    registry_anonymous: RegistryServer, make_scanner: MakeScanner
) -> None:
    with pytest.raises(RegistryError) as caught:
        make_scanner().list_tags(imageref.parse(f"{registry_anonymous.host}/no/such/repo"))
    assert str(caught.value) == (
        f"{registry_anonymous.host}: repository 'no/such/repo' not found (NAME_UNKNOWN)"
    )
    assert caught.value.status == 404 and not caught.value.transient


BAD_TAGS = [
    "bad tag",
    "-leading-dash",
    ".dot",
    "../../etc/passwd",
    "a" * 129,
    "new\nline: injected",
    "ünïcode",
    "",
    "x:y",
    "{{ .Values }}",
]


@pytest.mark.integration
def test_tags_breaking_the_grammar_are_dropped_with_a_warning(
    registry_anonymous: RegistryServer,
    image: ImageRef,
    make_scanner: MakeScanner,
    scanner_logs: pytest.LogCaptureFixture,
) -> None:
    good = ["1.0", "_under", "A.b-c_9", "a" * 128]
    body = json.dumps({"name": image.repository, "tags": [*good, *BAD_TAGS, 5, None, ["x"]]})
    with FaultProxy(registry_anonymous.url) as proxy:
        proxy.inject(TAGS_PATH, "body", body=body.encode())
        listing = make_scanner().list_tags(_through(proxy, image))
    assert listing.names == tuple(good)
    record = next(r for r in scanner_logs.records if "OCI tag grammar" in r.getMessage())
    assert record.count == len(BAD_TAGS) + 3  # type: ignore[attr-defined]
    assert "\n" not in record.examples  # type: ignore[attr-defined]


@pytest.mark.integration
def test_duplicate_tags_are_listed_once(
    registry_anonymous: RegistryServer, image: ImageRef, make_scanner: MakeScanner
) -> None:
    body = json.dumps({"name": image.repository, "tags": ["2.0", "1.0", "2.0"]}).encode()
    with FaultProxy(registry_anonymous.url) as proxy:
        proxy.inject(TAGS_PATH, "body", body=body)
        assert make_scanner().list_tags(_through(proxy, image)).names == ("2.0", "1.0")


@pytest.mark.integration
def test_null_tags_is_an_empty_repository(
    registry_anonymous: RegistryServer, image: ImageRef, make_scanner: MakeScanner
) -> None:
    with FaultProxy(registry_anonymous.url) as proxy:
        proxy.inject(TAGS_PATH, "body", body=b'{"name": "x", "tags": null}')
        assert make_scanner().list_tags(_through(proxy, image)).tags == ()


@pytest.mark.integration
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>Bad gateway</html>", "tag list is not JSON"),
        (b'{"name": "x", "tags": ', "tag list is not JSON"),
        (b'["1.0"]', "tag list is not a JSON object"),
        (b'{"name": "x", "tags": "1.0"}', "tag list has no `tags` array"),
    ],
    ids=["html", "truncated", "array", "tags-string"],
)
def test_malformed_tag_list_is_a_clear_transient_error(
    registry_anonymous: RegistryServer,
    image: ImageRef,
    make_scanner: MakeScanner,
    body: bytes,
    message: str,
) -> None:
    with FaultProxy(registry_anonymous.url) as proxy:
        proxy.inject(TAGS_PATH, "body", body=body, times=10)
        with pytest.raises(RegistryError, match=message) as caught:
            make_scanner().list_tags(_through(proxy, image))
        # A 200 that is not a tag list is a fault on the way (issue 18): asked again, 3 times.
        assert len(proxy.requests(TAGS_PATH)) == 4
    assert caught.value.transient


@pytest.mark.integration
def test_one_malformed_tag_list_is_asked_again(
    registry_anonymous: RegistryServer, image: ImageRef, make_scanner: MakeScanner
) -> None:
    with FaultProxy(registry_anonymous.url) as proxy:
        proxy.inject(TAGS_PATH, "body", body=b'{"name": "x", "tags": ')
        listing = make_scanner().list_tags(_through(proxy, image))
        assert [s.fault for s in proxy.requests(TAGS_PATH)] == ["body", None]
    assert listing.names


@pytest.mark.integration
@pytest.mark.parametrize("status", [413, 400])
def test_refused_page_size_falls_back_to_the_registry_default(
    registry_anonymous: RegistryServer,
    repo_name: str,
    make_scanner: MakeScanner,
    status: int,
) -> None:
    with registry_anonymous.seeder() as seeder:
        for name in ("a", "b"):
            seeder.push_image(f"{repo_name}/{name}", ["1.0"])
    with FaultProxy(registry_anonymous.url) as proxy:
        proxy.inject(r"/tags/list\?n=", "status", status=status)
        scanner = make_scanner()
        for name in ("a", "b"):
            image = imageref.parse(f"{proxy.host}/{repo_name}/{name}")
            assert scanner.list_tags(image).names == ("1.0",)
        paths = [s.path.rpartition("/")[2] for s in proxy.requests(TAGS_PATH)]
    # Refused once, asked again without `n`, and never sent `n` to this registry again.
    assert paths == ["list?n=1000", "list", "list"]


@pytest.mark.integration
@pytest.mark.parametrize("status", [200, 404], ids=["ok", "not-found"])
def test_json_nested_a_thousand_deep_is_a_problem_not_a_crash(
    registry_anonymous: RegistryServer, image: ImageRef, make_scanner: MakeScanner, status: int
) -> None:
    # Issue 18: `[` a thousand times ended the whole run with a RecursionError.
    with FaultProxy(registry_anonymous.url) as proxy:
        if status == 200:
            proxy.inject(TAGS_PATH, "body", body=b"[" * 100_000, times=10)
        else:
            proxy.inject(TAGS_PATH, "status", status=404, body=b"[" * 60_000, times=10)
        with pytest.raises(RegistryError) as caught:
            make_scanner().list_tags(_through(proxy, image))
    if status == 200:
        assert "tag list is not JSON" in str(caught.value) and caught.value.transient
    else:
        assert caught.value.status == 404 and "not found" in str(caught.value)


@pytest.mark.integration
def test_more_tags_than_max_tags_is_a_clear_problem_and_stops_reading(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner
) -> None:
    with registry_anonymous.seeder() as seeder:
        seeder.push_image(repo_name, [f"1.0.{i}" for i in range(10)])
    with PagingProxy(registry_anonymous.url, page_size=3) as proxy:
        scanner = make_scanner([RegistryOptions(host=proxy.host, max_tags=5)])
        with pytest.raises(RegistryError, match=r"more than 5 tags; not listed") as caught:
            scanner.list_tags(imageref.parse(f"{proxy.host}/{repo_name}"))
        # Page two would make 6: nothing past it is read (memory stays bounded by max_tags).
        assert len(proxy.requests(TAGS_PATH)) == 2
    assert not caught.value.transient
