"""The digests the scanner hands out: only the OCI grammar with a registered, checkable algorithm.

A hostile `Docker-Content-Digest` (5,007 characters of `evil+x:AAAA...`) was written into a
file as a pin (issue 18). The OCI image spec (descriptor.md, "Digests") allows any
`algorithm:encoded`, but registers sha256 (64 lowercase hex) and sha512 (128); distribution
also speaks sha384 (96). Anything else cannot be verified, so it never leaves the scanner.
"""

from __future__ import annotations

import re

from tagbot.errors import RegistryError

HEX_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
_ENCODED = re.compile(r"[a-f0-9]+")
_SHOWN = 40  # how much of a refused digest a message quotes


def valid(digest: str) -> bool:
    """True for `sha256:` + 64 lowercase hex (sha384: 96, sha512: 128), nothing else."""
    algorithm, sep, encoded = digest.partition(":")
    want = HEX_LENGTHS.get(algorithm)
    if not sep or want is None or len(encoded) != want:
        return False
    return _ENCODED.fullmatch(encoded) is not None


def checked(digest: str, registry: str, what: str) -> str:
    """`digest` when `valid`; otherwise a RegistryError quoting it cut short."""
    if valid(digest):
        return digest
    shown = ascii(digest[:_SHOWN] + ("..." if len(digest) > _SHOWN else ""))
    raise RegistryError(f"{registry}: invalid digest {shown} for {what}; refused")
