"""Seed distribution's filesystem storage directly: 19,596 tags in seconds instead of the
minutes pushing them over HTTP would take (notes/registry.md: ~90 s for 10,000 tags).

The layout is the one `docker-registry` 2.8 writes when a manifest is pushed:
    blobs/sha256/AB/ABCD.../data                                  content, addressed by digest
    repositories/NAME/_layers/sha256/HEX/link                     the repository may read a blob
    repositories/NAME/_manifests/revisions/sha256/HEX/link        a manifest of the repository
    repositories/NAME/_manifests/tags/TAG/current/link            what the tag points at now
    repositories/NAME/_manifests/tags/TAG/index/sha256/HEX/link   every digest it pointed at
Each link file holds the digest (`sha256:HEX`, no newline).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from bench.scale.catalog import CONFIG, LAYER, Image, sha256

V2 = Path("docker/registry/v2")
VERSION = "scale-v1"  # bump when the catalogue changes: a stale storage is re-seeded


def _put(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _blob(root: Path, data: bytes) -> str:
    """Store `data` once under blobs/; return its digest."""
    digest = sha256(data)
    hexa = digest.removeprefix("sha256:")
    path = root / V2 / "blobs" / "sha256" / hexa[:2] / hexa / "data"
    if not path.exists():
        _put(path, data)
    return digest


def _link(path: Path, digest: str) -> None:
    _put(path, digest.encode())


def seed_image(root: Path, image: Image) -> None:
    """Write one repository: its two shared blobs, and a manifest per tag."""
    repo = root / V2 / "repositories" / image.repository
    for data in (CONFIG, LAYER):
        digest = _blob(root, data)
        _link(repo / "_layers" / "sha256" / digest.removeprefix("sha256:") / "link", digest)
    for tag in image.tags:
        digest = _blob(root, image.manifest(tag))
        hexa = digest.removeprefix("sha256:")
        manifests = repo / "_manifests"
        _link(manifests / "revisions" / "sha256" / hexa / "link", digest)
        _link(manifests / "tags" / tag.name / "current" / "link", digest)
        _link(manifests / "tags" / tag.name / "index" / "sha256" / hexa / "link", digest)


def fingerprint(images: list[Image]) -> str:
    """A short hash of every repository, tag and digest: the storage matches the catalogue."""
    h = hashlib.sha256(VERSION.encode())
    for image in images:
        for tag in image.tags:
            h.update(f"{image.repository}:{tag.name}@{tag.alias_of}\n".encode())
    return h.hexdigest()[:16]


def seed(root: Path, images: list[Image]) -> bool:
    """Make `root` hold exactly the catalogue (once; True when it had to be written)."""
    stamp = root / ".seeded"
    wanted = fingerprint(images)
    if stamp.exists() and stamp.read_text().strip() == wanted:
        return False
    shutil.rmtree(root, ignore_errors=True)
    for image in images:
        seed_image(root, image)
    stamp.write_text(wanted + "\n")
    return True
