"""tagbot/editor/kinds/compose.py: every service's `image:` in Docker Compose files."""

from __future__ import annotations

import pytest

from tests.editor.summary import Found, found

CASES: list[tuple[str, str, list[Found]]] = [
    ("services", """\
services:
  web:
    image: nginx:1.25
    ports: ["80:80"]
  db:
    image: "postgres:16.2"
  app:
    build: .
""", [
        ("compose", "services.web.image", 3, "nginx:1.25", None),
        ("compose", "services.db.image", 6, "postgres:16.2", None),
    ]),
    ("no-tag-and-local-names", "version: '3'\nservices:\n  etl:\n    build: .\n    image: etl-kafka\n",
     [("compose", "services.etl.image", 5, "etl-kafka", "no tag")]),
    ("interpolation", """\
services:
  a:
    image: ${IMAGE_NAME}:${DEMO_VERSION}-ad
  b:
    image: ${REDIS_IMAGE:-redis:5.0.0}
  c:
    image: ${IMAGE:-synkodevelopers/edplugins}:${TAG:-latest}
""", [
        ("compose", "services.a.image", 3, None, "templated value"),
        ("compose", "services.b.image", 5, None, "templated value"),
        ("compose", "services.c.image", 7, None, "templated value"),
    ]),
    ("v1-top-level", """\
redis:
  image: quay.io/something/redis:alpine
  deploy:
    replicas: 2
worker:
  image: 'node:10.0.0'
""", [
        ("compose", "redis.image", 2, "quay.io/something/redis:alpine", None),
        ("compose", "worker.image", 6, "node:10.0.0", None),
    ]),
    ("extension-anchor-once", """\
x-image: &img ghcr.io/acme/api:1.2.3
services:
  api:
    image: *img
  worker:
    image: *img
""", [("compose", "services.api.image", 1, "ghcr.io/acme/api:1.2.3", None)]),
    ("four-space", "services:\n    web:\n        image: httpd:2.4\n",
     [("compose", "services.web.image", 3, "httpd:2.4", None)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "want"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_compose_references(text: str, want: list[Found]) -> None:
    assert found(text, "compose.yaml") == want
