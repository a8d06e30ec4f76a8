"""Each source's documented payload -> the images it names; other events none; bad shapes 400."""

from __future__ import annotations

from typing import Any

import pytest

from tagbot.serve.sources import BadPayload, Hint, hints
from tests.serve import payloads as p

PUSHES = [
    ("distribution", p.distribution("registry.example.com:5000", "acme/api", "1.4.2"), None, [Hint("registry.example.com:5000/acme/api", "1.4.2")]),
    ("distribution-oci-index", {"events": [{"action": "push", "target": {"mediaType": "application/vnd.oci.image.index.v1+json", "repository": "acme/api", "tag": "2"}, "request": {"host": "r.example.com"}}]}, None, [Hint("r.example.com/acme/api", "2")]),
    ("distribution-digest-only", p.distribution("r.example.com", "acme/api", None), None, [Hint("r.example.com/acme/api")]),
    ("distribution-host-from-config", p.distribution("10.0.0.7:5000", "acme/api", "2"), "registry.acme.dev", [Hint("registry.acme.dev/acme/api", "2")]),
    ("gitlab", p.distribution("registry.gitlab.com", "acme/app/api", "v3"), None, [Hint("registry.gitlab.com/acme/app/api", "v3")]),
    ("harbor", p.harbor("harbor.example.com", "library", "nginx", "1.27.1"), None, [Hint("harbor.example.com/library/nginx", "1.27.1")]),
    ("dockerhub", p.dockerhub("svendowideit/testhook", "latest"), None, [Hint("docker.io/svendowideit/testhook", "latest")]),
    ("github", p.github_package("acme", "api", "1.4.2"), None, [Hint("ghcr.io/acme/api", "1.4.2")]),
    ("github-registry-package", p.github_package("Acme", "api", "1.4.2", key="registry_package", url=False), None, [Hint("ghcr.io/acme/api", "1.4.2")]),
    ("github-host-from-config", p.github_package("acme", "api", "7"), "ghcr.example.com", [Hint("ghcr.example.com/acme/api", "7")]),
    ("quay-list", p.quay("dgangaia", "test", ["latest", "1.0"]), None, [Hint("quay.io/dgangaia/test", "latest"), Hint("quay.io/dgangaia/test", "1.0")]),
    ("quay-mapping", p.quay("devtable", "ubuntu", {"latest": "b750fe79"}), None, [Hint("quay.io/devtable/ubuntu", "latest")]),
    ("acr", p.acr("myregistry.azurecr.io", "hello-world", "v1"), None, [Hint("myregistry.azurecr.io/hello-world", "v1")]),
    ("generic", {"image": "ghcr.io/acme/api:1.4.2"}, None, [Hint("ghcr.io/acme/api", "1.4.2")]),
    ("generic-many", {"images": ["nginx:1.27", "ghcr.io/acme/web"]}, None, [Hint("docker.io/library/nginx", "1.27"), Hint("ghcr.io/acme/web")]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "data", "registry", "expected"),
    [pytest.param(c[0].split("-")[0], *c[1:], id=c[0]) for c in PUSHES],
)
def test_a_push_names_its_image(
    kind: str, data: Any, registry: str | None, expected: list[Hint]
) -> None:
    assert hints(kind, data, registry) == expected


NOT_PUSHES = [
    ("distribution", p.distribution("r.example.com", "acme/api", "1", action="pull")),
    (
        "distribution",
        {
            "events": [
                {
                    "action": "push",
                    "target": {"mediaType": "application/octet-stream", "repository": "a/b"},
                }
            ]
        },
    ),
    ("distribution", {"events": []}),
    (
        "distribution",
        {
            "events": [
                {
                    "action": "push",
                    "target": {
                        "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                        "repository": "a/b",
                    },
                }
            ]
        },
    ),
    ("harbor", p.harbor("h.example.com", "library", "nginx", "1", kind="PULL_ARTIFACT")),
    ("github", p.github_package("acme", "lib", "1", package_type="npm")),
    ("acr", p.acr("r.azurecr.io", "hello-world", "v1", action="delete")),
]


@pytest.mark.parametrize(("kind", "data"), NOT_PUSHES)
def test_other_events_name_no_image(kind: str, data: Any) -> None:
    assert hints(kind, data) == []


MALFORMED = [
    ("distribution", [], "the body must be a JSON object"),
    ("distribution", {"events": "x"}, "missing events"),
    (
        "distribution",
        {"events": [{"action": "push", "target": {"tag": "1"}}]},
        "missing target.repository",
    ),
    (
        "distribution",
        p.distribution("r.example.com", "Acme/API", "1"),
        "repository name 'Acme/API' must be lowercase",
    ),
    (
        "harbor",
        {"type": "PUSH_ARTIFACT", "event_data": {}},
        "missing event_data.repository.repo_full_name",
    ),
    ("dockerhub", {"push_data": {"tag": "1"}}, "missing repository.repo_name"),
    ("github", {"action": "published"}, "missing package"),
    ("quay", {"updated_tags": ["1"]}, "missing docker_url"),
    ("acr", {"action": "push", "target": {}}, "missing target.repository"),
    ("generic", {}, "image must be a string such as ghcr.io/acme/api:1.4.2"),
    (
        "generic",
        {"image": "ghcr.io/acme/api:bad tag"},
        "invalid tag 'bad tag' in 'ghcr.io/acme/api:bad tag'",
    ),
    ("generic", {"images": []}, "give image or images"),
]


@pytest.mark.parametrize(("kind", "data", "message"), MALFORMED)
def test_a_body_of_another_shape_is_refused(kind: str, data: Any, message: str) -> None:
    with pytest.raises(BadPayload) as caught:
        hints(kind, data)
    assert str(caught.value) == message
