"""OCI labels for PR bodies, read from a real registry: config `Labels`, manifest and index
annotations, and hostile label values bounded."""

from __future__ import annotations

import json

import pytest

from tagbot import imageref
from tagbot.scanner.labels import MAX_LABELS, get_labels
from tests.scanner.conftest import MakeScanner
from tests.support.registry import RegistryServer
from tests.support.seed import DOCKER_CONFIG, DOCKER_MANIFEST, LAYER, OCI_INDEX, Seeder

pytestmark = pytest.mark.integration
SOURCE = "org.opencontainers.image.source"
REVISION = "org.opencontainers.image.revision"


def push_labelled(
    seeder: Seeder, repo: str, tag: str, labels: object, annotations: dict[str, str] | None = None
) -> tuple[str, bytes]:
    layer = seeder.push_blob(repo, LAYER)
    config = {
        "architecture": "amd64",
        "os": "linux",
        "config": {"Labels": labels},
        "rootfs": {"type": "layers", "diff_ids": [layer]},
    }
    blob = json.dumps(config).encode()
    manifest: dict[str, object] = {
        "schemaVersion": 2,
        "mediaType": DOCKER_MANIFEST,
        "config": {"mediaType": DOCKER_CONFIG, "size": len(blob), "digest": seeder.push_blob(repo, blob)},
        "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": len(LAYER), "digest": layer}],
    }  # fmt: skip
    if annotations:
        manifest["annotations"] = annotations
    body = json.dumps(manifest).encode()
    return seeder.push_manifest(repo, [tag] if tag else [], body, DOCKER_MANIFEST), body


def test_config_labels_under_manifest_annotations(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner
):
    labels = {SOURCE: "https://github.com/acme/api", REVISION: "aaaaaaa", "n": 7}
    with registry_anonymous.seeder() as seeder:
        push_labelled(seeder, repo_name, "1.0", labels, {REVISION: "bbbbbbb"})
    scanner = make_scanner([])
    image = imageref.parse(f"{registry_anonymous.host}/{repo_name}")

    found = get_labels(scanner._registry(image.registry), image, "1.0")

    assert found == {SOURCE: "https://github.com/acme/api", REVISION: "bbbbbbb"}  # no non-strings


def test_a_multi_arch_tag_reads_its_linux_amd64_image_and_the_index(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner
):
    with registry_anonymous.seeder() as seeder:
        digest, body = push_labelled(seeder, repo_name, "", {SOURCE: "https://gitlab.com/a/b"})
        index = {
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": [{"mediaType": DOCKER_MANIFEST, "size": len(body), "digest": digest,
                           "platform": {"os": "linux", "architecture": "amd64"}}],
            "annotations": {REVISION: "ccccccc"},
        }  # fmt: skip
        seeder.push_manifest(repo_name, ["2.0"], json.dumps(index).encode(), OCI_INDEX)
    scanner = make_scanner([])
    image = imageref.parse(f"{registry_anonymous.host}/{repo_name}")

    assert get_labels(scanner._registry(image.registry), image, "2.0") == {
        SOURCE: "https://gitlab.com/a/b",
        REVISION: "ccccccc",
    }


def test_a_flood_of_labels_is_bounded(
    registry_anonymous: RegistryServer, repo_name: str, make_scanner: MakeScanner
):
    flood = {"long": "y" * 100_000, **{f"label.{i}": "x" * 100 for i in range(5000)}}
    with registry_anonymous.seeder() as seeder:
        push_labelled(seeder, repo_name, "3.0", flood)
    scanner = make_scanner([])
    image = imageref.parse(f"{registry_anonymous.host}/{repo_name}")

    found = get_labels(scanner._registry(image.registry), image, "3.0")

    assert len(found) == MAX_LABELS and len(found["long"]) == 2048
