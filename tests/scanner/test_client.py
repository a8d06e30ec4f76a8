"""Faults between us and the registry: 429, 5xx, timeouts, dropped connections, huge bodies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from tagbot import imageref
from tagbot.errors import RegistryError
from tagbot.models import ImageRef, RegistryOptions
from tagbot.scanner.limits import backoff_delay, parse_retry_after
from tests.scanner.conftest import MakeScanner
from tests.support.proxies import FaultProxy
from tests.support.registry import RegistryServer, free_port
from tests.support.tcpcount import ConnectionCounter

TAGS = r"/tags/list"


def _http_date(offset: float) -> str:
    return format_datetime(datetime.now(UTC) + timedelta(seconds=offset), usegmt=True)


@pytest.mark.parametrize(
    ("value", "low", "high"),
    [
        ("0", 0, 0),
        ("7", 7, 7),
        (30.0, 25, 31),  # an HTTP date 30 s ahead, made when the test runs, not at collection
        (-30.0, 0, 0),
    ],
    ids=["zero", "seconds", "http-date", "past-date"],
)
def test_parse_retry_after(value: str | float, low: float, high: float) -> None:
    text = value if isinstance(value, str) else _http_date(value)
    seconds = parse_retry_after(text)
    assert seconds is not None and low <= seconds <= high


@pytest.mark.parametrize("value", [None, "", "soon", "-1", "1.5"])
def test_parse_retry_after_rejects(value: str | None) -> None:
    assert parse_retry_after(value) is None


def test_backoff_stays_within_its_exponential_bound() -> None:
    for attempt in range(6):
        for _ in range(50):
            assert 0.0 <= backoff_delay(attempt, 0.5, cap=4.0) <= min(4.0, 0.5 * 2**attempt)


@pytest.fixture
def proxy(registry_anonymous: RegistryServer, repo_name: str) -> FaultProxy:
    with registry_anonymous.seeder() as seeder:
        seeder.push_image(repo_name, ["1.0", "2.0"])
    with FaultProxy(registry_anonymous.url) as running:
        yield running  # type: ignore[misc]


@pytest.fixture
def image(proxy: FaultProxy, repo_name: str) -> ImageRef:
    return imageref.parse(f"{proxy.host}/{repo_name}")


@pytest.mark.integration
@pytest.mark.parametrize(
    ("status", "headers"),
    [(429, [("Retry-After", "0")]), (429, []), (500, []), (502, []), (503, [("Retry-After", "0")])],
    ids=["429-retry-after", "429-backoff", "500", "502", "503-retry-after"],
)
def test_transient_statuses_are_retried(
    proxy: FaultProxy,
    image: ImageRef,
    make_scanner: MakeScanner,
    status: int,
    headers: list[tuple[str, str]],
) -> None:
    proxy.inject(TAGS, "status", times=2, status=status, headers=headers)
    scanner = make_scanner()
    assert sorted(scanner.list_tags(image).names) == ["1.0", "2.0"]
    assert [s.fault for s in proxy.requests(TAGS)] == ["status", "status", None]


@pytest.mark.integration
def test_retries_are_bounded_then_transient(
    proxy: FaultProxy, image: ImageRef, make_scanner: MakeScanner
) -> None:
    proxy.inject(TAGS, "status", times=100, status=503)
    with pytest.raises(RegistryError) as caught:
        make_scanner().list_tags(image)
    assert caught.value.transient and caught.value.status == 503
    assert len(proxy.requests(TAGS)) == 4  # the first try and three retries


@pytest.mark.integration
def test_a_long_retry_after_is_not_waited_for(
    proxy: FaultProxy, image: ImageRef, make_scanner: MakeScanner
) -> None:
    proxy.inject(TAGS, "status", status=429, headers=[("Retry-After", "3600")])
    with pytest.raises(RegistryError, match=r"rate limited \(retry after 3600 s\)") as caught:
        make_scanner().list_tags(image)
    assert caught.value.transient
    assert len(proxy.requests(TAGS)) == 1


@pytest.mark.integration
def test_client_errors_are_not_retried(
    proxy: FaultProxy, image: ImageRef, make_scanner: MakeScanner
) -> None:
    proxy.inject(
        TAGS,
        "status",
        times=5,
        status=405,
        body=b'{"errors":[{"code":"UNSUPPORTED"}]}',
    )
    with pytest.raises(RegistryError, match=r"HTTP 405 for .*\(UNSUPPORTED\)") as caught:
        make_scanner().list_tags(image)
    assert not caught.value.transient
    assert len(proxy.requests(TAGS)) == 1


@pytest.mark.integration
def test_slow_answer_times_out_and_is_retried(
    proxy: FaultProxy, image: ImageRef, make_scanner: MakeScanner
) -> None:
    proxy.inject(TAGS, "slow")
    scanner = make_scanner([RegistryOptions(host=proxy.host, read_timeout=0.5)])
    assert sorted(scanner.list_tags(image).names) == ["1.0", "2.0"]
    assert [s.fault for s in proxy.requests(TAGS)] == ["slow", None]


@pytest.mark.integration
def test_always_slow_is_a_transient_timeout(
    proxy: FaultProxy, image: ImageRef, make_scanner: MakeScanner
) -> None:
    proxy.inject(TAGS, "slow", times=10)
    # breaker=10: this test is about retries; test_breaker.py is about giving up on a host.
    scanner = make_scanner([RegistryOptions(host=proxy.host, read_timeout=0.3, breaker=10)])
    with pytest.raises(RegistryError, match=r"timed out: no answer for 0\.3 s") as caught:
        scanner.list_tags(image)
    assert caught.value.transient
    assert len(proxy.requests(TAGS)) == 4


@pytest.mark.integration
def test_timeouts_in_a_row_give_up_on_the_host(
    proxy: FaultProxy, image: ImageRef, make_scanner: MakeScanner
) -> None:
    proxy.inject(TAGS, "slow", times=10)
    scanner = make_scanner([RegistryOptions(host=proxy.host, read_timeout=0.3, breaker=2)])
    with pytest.raises(RegistryError, match=r"timed out.*gave up on .* after 2 failures in a row"):
        scanner.list_tags(image)
    with pytest.raises(RegistryError, match="gave up on") as caught:
        scanner.get_digest(image, "1.0")  # the same host: no request at all
    assert caught.value.transient
    assert len(proxy.requests(TAGS)) == 2
    assert proxy.requests("/manifests/") == []


@pytest.mark.integration
def test_dropped_connection_is_retried(
    proxy: FaultProxy, image: ImageRef, make_scanner: MakeScanner
) -> None:
    proxy.inject(TAGS, "drop")
    assert sorted(make_scanner().list_tags(image).names) == ["1.0", "2.0"]
    assert [s.fault for s in proxy.requests(TAGS)] == ["drop", None]


@pytest.mark.integration
@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "chunked"])
def test_response_size_is_bounded(
    proxy: FaultProxy, image: ImageRef, make_scanner: MakeScanner, chunked: bool
) -> None:
    proxy.inject(TAGS, "huge", chunked=chunked)
    with pytest.raises(RegistryError, match="larger than 8388608 bytes") as caught:
        make_scanner().list_tags(image)
    assert not caught.value.transient


@pytest.mark.integration
def test_unreachable_registry_is_transient(make_scanner: MakeScanner) -> None:
    image = imageref.parse(f"127.0.0.1:{free_port()}/nobody/home")
    with pytest.raises(RegistryError, match=r"cannot reach 127\.0\.0\.1") as caught:
        make_scanner().list_tags(image)
    assert caught.value.transient


@pytest.mark.integration
def test_retry_log_lines_name_the_host(
    proxy: FaultProxy,
    image: ImageRef,
    make_scanner: MakeScanner,
    scanner_logs: pytest.LogCaptureFixture,
) -> None:
    proxy.inject(TAGS, "status", status=503, headers=[("Retry-After", "0")])
    make_scanner().list_tags(image)
    retries = [r for r in scanner_logs.records if r.getMessage() == "retrying"]
    assert [(r.__dict__["host"], r.__dict__["kind"], r.__dict__["status"]) for r in retries] == [
        (proxy.host, "tags", 503)
    ]


@pytest.mark.integration
def test_connections_are_reused_for_lists_and_digest_heads(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner
) -> None:
    with registry_anonymous.seeder() as seeder:
        seeder.push_image(repo_name, ["1.0", "2.0", "3.0"])
    with ConnectionCounter(("127.0.0.1", registry_anonymous.port)) as counter:
        scanner = make_scanner([RegistryOptions(host=counter.host)])
        image = imageref.parse(f"{counter.host}/{repo_name}:1.0")
        assert sorted(scanner.list_tags(image).names) == ["1.0", "2.0", "3.0"]
        digests = [scanner.get_digest(image, tag) for tag in ("1.0", "2.0", "3.0")]
        assert all(d.startswith("sha256:") for d in digests)  # three HEADs, each answered
        # One connection for the ping, the list and the HEADs: a HEAD's response used to be
        # closed unread, which dropped its connection (a handshake per digest, TLS on HTTPS).
        assert counter.accepted == 1
