"""Throwaway keys and certificates: a token-signing certificate, a CA, and a TLS server cert."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class KeyPair:
    """A private key and its certificate, PEM-encoded (and the certificate's DER for `x5c`)."""

    key_pem: bytes
    cert_pem: bytes
    cert_der: bytes

    def write(self, directory: Path, stem: str) -> tuple[Path, Path]:
        """Write `STEM.crt` and `STEM.key` into `directory`; return both paths."""
        cert, key = directory / f"{stem}.crt", directory / f"{stem}.key"
        cert.write_bytes(self.cert_pem)
        key.write_bytes(self.key_pem)
        key.chmod(0o600)
        return cert, key


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pair(key: rsa.RSAPrivateKey, cert: x509.Certificate) -> KeyPair:
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return KeyPair(
        key_pem,
        cert.public_bytes(serialization.Encoding.PEM),
        cert.public_bytes(serialization.Encoding.DER),
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: rsa.RSAPublicKey
) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
    )


def self_signed(common_name: str, *, ca: bool = False) -> KeyPair:
    """A self-signed certificate: a token signer (ca=False) or a certificate authority."""
    key = _key()
    name = _name(common_name)
    builder = _builder(name, name, key.public_key()).add_extension(
        x509.BasicConstraints(ca=ca, path_length=None), critical=True
    )
    return _pair(key, builder.sign(key, hashes.SHA256()))


def server_cert(ca: KeyPair, host: str = "127.0.0.1") -> KeyPair:
    """A TLS server certificate for `host` (an IP or a DNS name) signed by `ca`."""
    ca_key = serialization.load_pem_private_key(ca.key_pem, password=None)
    assert isinstance(ca_key, rsa.RSAPrivateKey)
    ca_cert = x509.load_pem_x509_certificate(ca.cert_pem)
    key = _key()
    try:
        names: list[x509.GeneralName] = [x509.IPAddress(ipaddress.ip_address(host))]
    except ValueError:
        names = [x509.DNSName(host)]
    builder = (
        _builder(_name(host), ca_cert.subject, key.public_key())
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    )
    return _pair(key, builder.sign(ca_key, hashes.SHA256()))
