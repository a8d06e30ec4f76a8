"""TLS: a registry with a private CA is reached over HTTPS with `ca_bundle`, and only then."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tagbot import imageref
from tagbot.errors import RegistryError
from tagbot.models import RegistryOptions
from tests.scanner.conftest import MakeScanner
from tests.support import certs
from tests.support.registry import RegistryServer


@pytest.fixture(scope="module")
def tls_registry() -> Iterator[tuple[RegistryServer, certs.KeyPair]]:
    ca = certs.self_signed("tagbot test CA", ca=True)
    with RegistryServer("anonymous", tls=ca) as server:
        with server.seeder() as seeder:
            seeder.push_image("tls/app", ["1.0", "1.1"])
        yield server, ca


@pytest.mark.integration
def test_private_ca_bundle(
    tls_registry: tuple[RegistryServer, certs.KeyPair], make_scanner: MakeScanner, tmp_path: Path
) -> None:
    server, ca = tls_registry
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(ca.cert_pem)
    scanner = make_scanner([RegistryOptions(host=server.host, ca_bundle=str(bundle))])
    listing = scanner.list_tags(imageref.parse(f"{server.host}/tls/app"))
    assert sorted(listing.names) == ["1.0", "1.1"]


@pytest.mark.integration
def test_untrusted_certificate_is_a_clear_error(
    tls_registry: tuple[RegistryServer, certs.KeyPair], make_scanner: MakeScanner, tmp_path: Path
) -> None:
    server, _ = tls_registry
    other = tmp_path / "other-ca.pem"
    other.write_bytes(certs.self_signed("some other CA", ca=True).cert_pem)
    scanner = make_scanner([RegistryOptions(host=server.host, ca_bundle=str(other))])
    with pytest.raises(RegistryError, match=r"TLS certificate of \S+ not trusted") as caught:
        scanner.list_tags(imageref.parse(f"{server.host}/tls/app"))
    assert not caught.value.transient
    assert scanner.request_count == {"ping": 1}  # not retried: waiting will not fix trust


@pytest.mark.integration
def test_loopback_without_ca_bundle_speaks_plain_http(
    tls_registry: tuple[RegistryServer, certs.KeyPair], make_scanner: MakeScanner
) -> None:
    server, _ = tls_registry
    # Plain HTTP to a TLS port: the registry answers 400, which is no tag list.
    with pytest.raises(RegistryError, match="HTTP 400"):
        make_scanner().list_tags(imageref.parse(f"{server.host}/tls/app"))
