"""Seed distribution's filesystem storage directly: 19,596 tags in seconds instead of the
minutes pushing them over HTTP would take (notes/registry.md: ~90 s for 10,000 tags).

The layout is the one `docker-registry` 2.8 writes when a manifest is pushed:
    blobs/sha256/AB/ABCD.../data                                  content, addressed by digest
    repositories/NAME/_layers/sha256/HEX/link                     the repository may read a blob
    repositories/NAME/_manifests/revisions/sha256/HEX/link        a manifest of the repository
    repositories/NAME/_manifests/tags/TAG/current/link            what the tag points at now
    repositories/NAME/_manifests/tags/TAG/index/sha256/HEX/link   every digest it pointed at
Each link file holds the digest (`sha256:HEX`, no newline). The tag index is left out: pulls
and tag lists never read it (distribution reads it only to delete a tag), and it is four of
the ten directory entries per tag. The 10x scenario (195,960 tags, ~1 M entries) is written by
a process per core, each directory made once and each file with one `os.open`/`os.write`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.scale.catalog import CONFIG, LAYER, Image, sha256

V2 = Path("docker/registry/v2")
VERSION = "scale-v2"  # bump when the catalogue changes: a stale storage is re-seeded
Files = dict[str, bytes]  # path relative to the storage root -> content


def image_files(image: Image) -> Files:
    """Every file one repository adds: its manifests' blobs and its links."""
    files: Files = {}
    repo = f"{V2}/repositories/{image.repository}"
    blobs = [CONFIG, LAYER, *(image.manifest(tag) for tag in image.tags)]
    for data, tag in zip(blobs, [None, None, *image.tags], strict=True):
        digest = sha256(data)
        hexa = digest.removeprefix("sha256:")
        if tag is not None:  # the shared config and layer blobs are written once, up front
            files[f"{V2}/blobs/sha256/{hexa[:2]}/{hexa}/data"] = data
        link = digest.encode()
        if tag is None:
            files[f"{repo}/_layers/sha256/{hexa}/link"] = link
            continue
        files[f"{repo}/_manifests/revisions/sha256/{hexa}/link"] = link
        files[f"{repo}/_manifests/tags/{tag.name}/current/link"] = link
    return files


def write_files(root: str, files: Files) -> int:
    """Write `files` under `root`, each directory made once (parents first); the file count."""
    made: set[str] = set()
    for rel, data in files.items():
        folder = os.path.dirname(rel)
        if folder not in made:
            os.makedirs(os.path.join(root, folder), exist_ok=True)
            made.add(folder)
        fd = os.open(os.path.join(root, rel), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
    return len(files)


def _shared() -> list[tuple[str, bytes]]:
    return [(sha256(data), data) for data in (CONFIG, LAYER)]


def _write_images(root: str, images: list[Image]) -> int:
    files: Files = {}
    for image in images:
        files.update(image_files(image))
    return write_files(root, files)


def fingerprint(images: list[Image]) -> str:
    """A short hash of every repository, tag and digest: the storage matches the catalogue."""
    h = hashlib.sha256(VERSION.encode())
    for image in images:
        for tag in image.tags:
            h.update(f"{image.repository}:{tag.name}@{tag.alias_of}\n".encode())
    return h.hexdigest()[:16]


def seed(root: Path, images: list[Image], workers: int | None = None) -> bool:
    """Make `root` hold exactly the catalogue (once; True when it had to be written)."""
    stamp = root / ".seeded"
    wanted = fingerprint(images)
    if stamp.exists() and stamp.read_text().strip() == wanted:
        return False
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    # Shared blobs (CONFIG, LAYER) first, so parallel writers never race on one file.
    write_files(str(root), {f"{V2}/blobs/sha256/{d[7:9]}/{d[7:]}/data": b for d, b in _shared()})
    count = workers or os.cpu_count() or 1
    chunks = [images[i::count] for i in range(count)]
    with ProcessPoolExecutor(count) as pool:
        list(pool.map(_write_images, [str(root)] * count, chunks))
    stamp.write_text(wanted + "\n")
    return True
