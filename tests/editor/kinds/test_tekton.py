"""tagbot/editor/kinds/tekton.py: step images, and image references in param defaults."""

from __future__ import annotations

from tests.editor.summary import found

PIPELINE = """\
apiVersion: tekton.dev/v1
kind: Pipeline
spec:
  params:
  - name: BUILDER_IMAGE
    default: docker.io/paketobuildpacks/builder-jammy-base:0.4.300
  - name: git-url
    default: https://github.com/acme/api.git
  - name: baseImage
    default: $(context.pipeline.name)
  tasks:
  - name: build
    params:
    - name: image
      value: ghcr.io/acme/api:1.0
"""


def test_params_named_like_images() -> None:
    assert found(PIPELINE) == [
        ("manifest", "spec.params[0].default", 6,
         "paketobuildpacks/builder-jammy-base:0.4.300", None),
        ("manifest", "spec.tasks[0].params[0].value", 15, "ghcr.io/acme/api:1.0", None),
    ]  # fmt: skip
