"""tagbot/editor/prescreen.py: the text screen must pass every file that can hold a reference."""

from __future__ import annotations

import pytest

from tagbot.editor import prescreen


@pytest.mark.parametrize(
    "text",
    [
        "    image: nginx:1\n",
        '{"image":"nginx:1"}\n',
        "containers: [{name: a, image: b}]\n",
        "  natsImage: nats:2\n",
        "inline_image: x\n",
        "image:\n  repository: a/b\n",
        "image:\n  tag: 1.2.3\n",
        "images:\n- name: grafana/grafana\n",
        "  - name: image.tag\n    value: x\n",
        "a: b # {\"$imagepolicy\": \"ns:p\"}\n",
        "  newTag: v1\n",
        "IMAGE: x\n",
    ],
    ids=["image", "json", "flow", "camel-case", "snake-case", "repository", "tag-only",
         "kustomize-name-only", "argocd-parameter", "marker", "newtag", "upper"],
)  # fmt: skip
def test_candidates_pass(text: str) -> None:
    assert prescreen.may_hold_reference(text)


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    heritage: Helm\n",
        "properties:\n  image:\n    description: Container image name.\n    type: string\n",
        "stage: build\nstorage: 10Gi\n",
        "data:\n  note: the image to use\n",
        "",
    ],
    ids=["service", "crd-schema", "stage-storage", "prose", "empty"],
)
def test_files_without_candidates_are_skipped(text: str) -> None:
    assert not prescreen.may_hold_reference(text)
