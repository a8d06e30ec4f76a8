"""Event payloads in the shapes their senders document (trimmed to the fields that matter)."""

from __future__ import annotations

from typing import Any

DIGEST = "sha256:" + "f" * 64


def distribution(
    host: str, repository: str, tag: str | None, action: str = "push"
) -> dict[str, Any]:
    """CNCF distribution notifications (docs/notifications.md): an envelope of `events`."""
    target: dict[str, Any] = {
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "size": 708,
        "digest": DIGEST,
        "length": 708,
        "repository": repository,
        "url": f"http://{host}/v2/{repository}/manifests/{DIGEST}",
    }
    if tag:
        target["tag"] = tag
    return {
        "events": [
            {
                "id": "320678d8-ca14-430f-8bb6-4ca139cd83f7",
                "timestamp": "2016-03-09T14:44:26.402973972-08:00",
                "action": action,
                "target": target,
                "request": {
                    "id": "6df24a34",
                    "addr": "192.168.64.11:42961",
                    "host": host,
                    "method": "PUT",
                    "useragent": "curl/7.38.0",
                },
                "actor": {},
                "source": {"addr": "xtal.local:5000", "instanceID": "a53db899"},
            }
        ]
    }


def harbor(
    host: str, namespace: str, name: str, tag: str, kind: str = "PUSH_ARTIFACT"
) -> dict[str, Any]:
    """Harbor webhook, default format (goharbor.io, Configure Webhook Notifications)."""
    return {
        "type": kind,
        "occur_at": 1680501893,
        "operator": "harbor-jobservice",
        "event_data": {
            "resources": [
                {"digest": DIGEST, "tag": tag, "resource_url": f"{host}/{namespace}/{name}:{tag}"}
            ],
            "repository": {
                "date_created": 1680501893,
                "name": name,
                "namespace": namespace,
                "repo_full_name": f"{namespace}/{name}",
                "repo_type": "private",
            },
        },
    }


def dockerhub(repo_name: str, tag: str) -> dict[str, Any]:
    """Docker Hub webhook (docs.docker.com/docker-hub/webhooks)."""
    namespace, _, name = repo_name.partition("/")
    return {
        "callback_url": f"https://registry.hub.docker.com/u/{repo_name}/hook/2141b5bi5i5b02bec211i4eeih0242eg11000a/",
        "push_data": {"pushed_at": 1417566161, "pusher": "trustedbuilder", "tag": tag},
        "repository": {
            "comment_count": 0,
            "date_created": 1417494799,
            "description": "",
            "is_official": False,
            "is_private": True,
            "is_trusted": True,
            "name": name,
            "namespace": namespace,
            "owner": namespace,
            "repo_name": repo_name,
            "repo_url": f"https://registry.hub.docker.com/u/{repo_name}/",
            "star_count": 0,
            "status": "Active",
        },
    }


def github_package(
    owner: str,
    name: str,
    tag: str,
    *,
    key: str = "package",
    package_type: str = "container",
    url: bool = True,
) -> dict[str, Any]:
    """GitHub `package` (or `registry_package`) webhook event, action `published`."""
    version: dict[str, Any] = {
        "id": 1,
        "version": DIGEST,
        "name": DIGEST,
        "container_metadata": {"tag": {"name": tag, "digest": DIGEST}},
    }
    if url:
        version["package_url"] = f"ghcr.io/{owner}/{name}:{tag}"
    return {
        "action": "published",
        key: {
            "id": 1,
            "name": name,
            "namespace": owner,
            "ecosystem": "CONTAINER",
            "package_type": package_type,
            "owner": {"login": owner},
            "package_version": version,
            "registry": {
                "about_url": "https://docs.github.com/packages",
                "name": "GitHub CONTAINER registry",
                "type": "CONTAINER",
                "url": f"https://ghcr.io/{owner}",
                "vendor": "GitHub Inc",
            },
        },
        "repository": {"full_name": f"{owner}/{name}"},
        "sender": {"login": owner},
    }


def quay(namespace: str, name: str, tags: Any) -> dict[str, Any]:
    """Quay repository push notification (Red Hat Quay, Repository Notifications)."""
    return {
        "name": name,
        "repository": f"{namespace}/{name}",
        "namespace": namespace,
        "docker_url": f"quay.io/{namespace}/{name}",
        "homepage": f"https://quay.io/repository/{namespace}/{name}",
        "updated_tags": tags,
    }


def acr(host: str, repository: str, tag: str, action: str = "push") -> dict[str, Any]:
    """Azure Container Registry webhook push event (learn.microsoft.com, webhook reference)."""
    return {
        "id": "cb8c3971-9adc-488b-xxxx-43cbb4974ff5",
        "timestamp": "2017-11-17T16:52:01.343145347Z",
        "action": action,
        "target": {
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "size": 524,
            "digest": DIGEST,
            "length": 524,
            "repository": repository,
            "tag": tag,
        },
        "request": {
            "id": "3cbb6949-7549-4fa1-xxxx-a6d5451dffc7",
            "host": host,
            "method": "PUT",
            "useragent": "docker/17.09.0-ce",
        },
    }
