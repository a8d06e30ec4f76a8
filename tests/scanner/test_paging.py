"""Tag-list pagination: Link parsing, origin checks, and real paging through a proxy."""

from __future__ import annotations

import httpx
import pytest

from tagbot import imageref
from tagbot.errors import RegistryError
from tagbot.models import RegistryOptions
from tagbot.scanner.paging import next_target, next_url
from tests.scanner.conftest import MakeScanner, login_env, login_options
from tests.support.proxies import PagingProxy, PagingStyle
from tests.support.registry import RegistryServer

TAGS = [f"1.{i}" for i in range(7)]  # 7 tags, 2 per page: 4 pages
CURRENT = httpx.URL("https://r.example.com/v2/a/b/tags/list?n=1000")


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        (['</v2/a/b/tags/list?n=2&last=1.1>; rel="next"'], "/v2/a/b/tags/list?n=2&last=1.1"),
        (["</v2/x?last=b>; rel=next"], "/v2/x?last=b"),
        (['<https://r.example.com/v2/x?c=1>; rel="prev", </v2/x?c=3>; rel="next"'], "/v2/x?c=3"),
        (['</v2/x?c=1>; rel="prev"', '</v2/x?c=3>; rel="next"'], "/v2/x?c=3"),
        (['</v2/x?c=3>; title="page"; rel="last next"'], "/v2/x?c=3"),
        (['</v2/x?next_page=gAAAAABk_opaque==>; REL="Next"'], "/v2/x?next_page=gAAAAABk_opaque=="),
        (['</v2/x?c=1>; rel="prev"'], None),
        (["garbage"], None),
        ([], None),
    ],
    ids=[
        "spec",
        "unquoted",
        "two-in-one",
        "two-headers",
        "multi-rel",
        "opaque",
        "prev-only",
        "garbage",
        "none",
    ],
)
def test_next_target(links: list[str], expected: str | None) -> None:
    assert next_target(links) == expected


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("/v2/a/b/tags/list?n=2&last=x", "https://r.example.com/v2/a/b/tags/list?n=2&last=x"),
        (
            "https://r.example.com/v2/a/b/tags/list?c=9",
            "https://r.example.com/v2/a/b/tags/list?c=9",
        ),
        ("https://r.example.com:443/v2/x?c=9", "https://r.example.com/v2/x?c=9"),
        ("?last=y", "https://r.example.com/v2/a/b/tags/list?last=y"),
    ],
    ids=["relative", "absolute", "default-port", "query-only"],
)
def test_next_url_resolves(link: str, expected: str) -> None:
    assert str(next_url([f'<{link}>; rel="next"'], CURRENT, "r")) == expected


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example.com/v2/a/b/tags/list?last=x",
        "http://r.example.com/v2/a/b/tags/list?last=x",
        "https://r.example.com:8443/v2/a/b/tags/list?last=x",
        "//evil.example.com/v2/x",
    ],
    ids=["other-host", "downgrade", "other-port", "scheme-relative"],
)
def test_next_url_refuses_another_origin(link: str) -> None:
    with pytest.raises(RegistryError, match="another origin"):
        next_url([f'<{link}>; rel="next"'], CURRENT, "r")


@pytest.fixture
def seeded(registry_token: RegistryServer, repo_name: str) -> str:
    with registry_token.seeder() as seeder:
        seeder.push_image(repo_name, TAGS)
    return repo_name


@pytest.mark.integration
@pytest.mark.parametrize("style", ["last", "absolute", "cursor"])
def test_follows_every_page(
    registry_token: RegistryServer, seeded: str, make_scanner: MakeScanner, style: PagingStyle
) -> None:
    with PagingProxy(registry_token.url, page_size=2, style=style) as proxy:
        scanner = make_scanner([login_options(proxy.host)], login_env(registry_token))
        listing = scanner.list_tags(imageref.parse(f"{proxy.host}/{seeded}"))
        assert listing.names == tuple(TAGS)
        assert len(proxy.requests("/tags/list")) == 4
        # One request per page plus one token for the repository (and one ping per run).
        assert scanner.request_count == {"ping": 1, "token": 1, "tags": 4}


@pytest.mark.integration
def test_page_cap_stops_with_a_warning(
    registry_token: RegistryServer,
    seeded: str,
    make_scanner: MakeScanner,
    scanner_logs: pytest.LogCaptureFixture,
) -> None:
    with PagingProxy(registry_token.url, page_size=2) as proxy:
        options = login_options(proxy.host, page_cap=3)
        scanner = make_scanner([options], login_env(registry_token))
        listing = scanner.list_tags(imageref.parse(f"{proxy.host}/{seeded}"))
    assert listing.names == tuple(TAGS[:6])
    assert "tag list truncated at the page cap" in scanner_logs.text


@pytest.mark.integration
def test_link_to_another_origin_is_refused(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner
) -> None:
    with registry_anonymous.seeder() as seeder:
        seeder.push_image(repo_name, TAGS)
    with PagingProxy(registry_anonymous.url, page_size=2, style="foreign") as proxy:
        scanner = make_scanner([RegistryOptions(host=proxy.host)])
        with pytest.raises(RegistryError, match="next-page link points to another origin"):
            scanner.list_tags(imageref.parse(f"{proxy.host}/{repo_name}"))
        assert len(proxy.requests("/tags/list")) == 1


@pytest.mark.integration
def test_link_loop_stops(
    registry_anonymous: RegistryServer,
    repo_name: str,
    make_scanner: MakeScanner,
    scanner_logs: pytest.LogCaptureFixture,
) -> None:
    with registry_anonymous.seeder() as seeder:
        seeder.push_image(repo_name, TAGS)
    with PagingProxy(registry_anonymous.url, page_size=2, style="loop") as proxy:
        scanner = make_scanner()
        listing = scanner.list_tags(imageref.parse(f"{proxy.host}/{repo_name}"))
        assert len(proxy.requests("/tags/list")) == 2
    assert listing.names == ("1.0", "1.1")
    assert "tag list pages loop" in scanner_logs.text
