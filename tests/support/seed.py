"""Push images to a registry over its HTTP API: blobs, Docker v2 / OCI manifests, multi-arch indexes."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import ssl
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Literal

import httpx

Format = Literal["docker", "oci"]
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
LAYER = b"tagbot test layer\n"  # the registry never looks inside a layer
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def digest_of(data: bytes) -> str:
    """The sha256 digest of `data`, as registries name content."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Pushed:
    """A pushed manifest: its digest, its bytes, and (for an index) its children by platform."""

    digest: str
    body: bytes
    media_type: str
    children: tuple[tuple[str, str], ...] = ()  # (os/arch, digest)


class Seeder:
    """Pushes to one registry, logging in with Basic or a push token as the registry asks."""

    def __init__(
        self,
        base_url: str,
        username: str | None = None,
        password: str | None = None,
        *,
        verify: bool | ssl.SSLContext = True,
    ) -> None:
        self.base = base_url.rstrip("/")
        self._login = (username, password) if username and password else None
        self._client = httpx.Client(verify=verify, timeout=30.0)
        self._auth: dict[str, str] = {}  # repository -> Authorization value

    def close(self) -> None:
        """Close the HTTP client."""
        self._client.close()

    def __enter__(self) -> Seeder:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def push_blob(self, repo: str, data: bytes) -> str:
        """Upload `data` (monolithic POST + PUT) unless the repository has it; return its digest."""
        digest = digest_of(data)
        if self._send("HEAD", repo, f"/v2/{repo}/blobs/{digest}").status_code == 200:
            return digest
        started = self._send("POST", repo, f"/v2/{repo}/blobs/uploads/")
        _expect(started, 202)
        location = httpx.URL(self.base).join(started.headers["location"])
        done = self._send(
            "PUT",
            repo,
            str(location.copy_merge_params({"digest": digest})),
            content=data,
            headers={"Content-Type": "application/octet-stream"},
        )
        _expect(done, 201)
        return digest

    def push_manifest(self, repo: str, tags: Iterable[str], body: bytes, media_type: str) -> str:
        """Put `body` under every tag in `tags` (by digest when there is none); return the digest."""
        digest = digest_of(body)
        for reference in list(tags) or [digest]:
            reply = self._send(
                "PUT",
                repo,
                f"/v2/{repo}/manifests/{reference}",
                content=body,
                headers={"Content-Type": media_type},
            )
            _expect(reply, 201)
        return digest

    def push_image(
        self,
        repo: str,
        tags: Sequence[str] | str,
        *,
        created: datetime | None = EPOCH,
        fmt: Format = "docker",
        platform: str = "linux/amd64",
        label: str | None = None,
        annotations: dict[str, str] | None = None,
    ) -> Pushed:
        """A one-layer image whose config carries `created`; tagged with every tag given.

        A `label` (a manifest annotation) gives a distinct digest without new blobs to upload;
        `annotations` are put on the manifest as they are.
        """
        os_name, _, arch = platform.partition("/")
        layer = self.push_blob(repo, LAYER)
        config: dict[str, object] = {
            "architecture": arch,
            "os": os_name,
            "config": {},
            "rootfs": {"type": "layers", "diff_ids": [layer]},
        }
        if created is not None:
            config["created"] = created.isoformat().replace("+00:00", "Z")
        config_bytes = json.dumps(config, sort_keys=True).encode()
        config_digest = self.push_blob(repo, config_bytes)
        docker = fmt == "docker"
        manifest = {
            "schemaVersion": 2,
            "mediaType": DOCKER_MANIFEST if docker else OCI_MANIFEST,
            "config": {
                "mediaType": DOCKER_CONFIG if docker else OCI_CONFIG,
                "size": len(config_bytes),
                "digest": config_digest,
            },
            "layers": [
                {
                    "mediaType": DOCKER_LAYER if docker else OCI_LAYER,
                    "size": len(LAYER),
                    "digest": layer,
                }
            ],
        }
        if label is not None or annotations:
            label_note = {"org.example.tagbot.label": label} if label is not None else {}
            manifest["annotations"] = {**label_note, **(annotations or {})}
        body = json.dumps(manifest, indent=3).encode()
        media_type = str(manifest["mediaType"])
        tag_list = [tags] if isinstance(tags, str) else list(tags)
        return Pushed(self.push_manifest(repo, tag_list, body, media_type), body, media_type)

    def push_index(
        self,
        repo: str,
        tag: str,
        platforms: Sequence[str] = ("linux/amd64", "linux/arm64"),
        *,
        fmt: Format = "oci",
        created: datetime | Mapping[str, datetime | None] = EPOCH,
    ) -> Pushed:
        """A multi-arch index (OCI) or manifest list (Docker) over one image per platform.

        `created` is one time for all, or a time per platform (None: the config has none).
        """
        times = created if isinstance(created, Mapping) else dict.fromkeys(platforms, created)
        children = [
            (p, self.push_image(repo, [], created=times.get(p), fmt=fmt, platform=p))
            for p in platforms
        ]
        index = {
            "schemaVersion": 2,
            "mediaType": OCI_INDEX if fmt == "oci" else DOCKER_LIST,
            "manifests": [
                {
                    "mediaType": child.media_type,
                    "size": len(child.body),
                    "digest": child.digest,
                    "platform": {"os": p.partition("/")[0], "architecture": p.partition("/")[2]},
                }
                for p, child in children
            ],
        }
        body = json.dumps(index, indent=2).encode()
        media_type = str(index["mediaType"])
        digest = self.push_manifest(repo, [tag], body, media_type)
        return Pushed(digest, body, media_type, tuple((p, c.digest) for p, c in children))

    def _send(
        self,
        method: str,
        repo: str,
        url: str,
        *,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """One request, logging in on a 401 (Basic, or a pull+push token for `repo`)."""
        target = url if url.startswith("http") else self.base + url
        for _ in range(2):
            sent = dict(headers or {})
            if repo in self._auth:
                sent["Authorization"] = self._auth[repo]
            reply = self._client.request(method, target, headers=sent, content=content)
            if reply.status_code != 401 or self._login is None:
                return reply
            self._auth[repo] = self._authorize(reply.headers.get("www-authenticate", ""), repo)
        return reply

    def _authorize(self, challenge: str, repo: str) -> str:
        user, password = self._login or ("", "")
        basic = base64.b64encode(f"{user}:{password}".encode()).decode()
        if challenge.lower().startswith("basic"):
            return f"Basic {basic}"
        params = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
        answer = self._client.get(
            params["realm"],
            params={"service": params.get("service", ""), "scope": f"repository:{repo}:pull,push"},
            headers={"Authorization": f"Basic {basic}"},
        )
        _expect(answer, 200)
        return f"Bearer {answer.json()['token']}"


def _expect(reply: httpx.Response, status: int) -> None:
    if reply.status_code != status:
        raise RuntimeError(
            f"seeding: {reply.request.method} {reply.url} -> {reply.status_code}: {reply.text[:300]}"
        )
