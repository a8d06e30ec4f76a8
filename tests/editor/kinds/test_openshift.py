"""tagbot/editor/kinds/openshift.py: ImageStream tags that import a DockerImage."""

from __future__ import annotations

from tests.editor.summary import found

STREAM = """\
apiVersion: image.openshift.io/v1
kind: ImageStream
spec:
  tags:
  - name: a
    from: {kind: DockerImage, name: "quay.io/acme/api:2.0"}
  - name: b
    from: {kind: ImageStreamTag, name: "api:a"}
  - name: c
    from: {kind: DockerImage, name: registry.example.com/x/y}
"""


def test_docker_images_only() -> None:
    assert found(STREAM) == [
        ("manifest", "spec.tags[0].from.name", 6, "quay.io/acme/api:2.0", None),
        ("manifest", "spec.tags[2].from.name", 10, "registry.example.com/x/y", "no tag"),
    ]


def test_legacy_api_version() -> None:
    text = STREAM.replace("image.openshift.io/v1", "v1")
    assert [f[1] for f in found(text)] == ["spec.tags[0].from.name", "spec.tags[2].from.name"]
