"""tagbot/editor/kinds/markers.py: Flux `$imagepolicy` setter markers on otherwise unknown fields."""

from __future__ import annotations

import pytest

from tests.editor.summary import Found, found, roles

POD = "apiVersion: v1\nkind: Pod\n"

CASES: list[tuple[str, str, list[Found]]] = [
    ("marker-on-pod-image-is-not-doubled", POD + """\
spec:
  containers:
  - image: ghcr.io/acme/api:1.0.0 # {"$imagepolicy": "flux-system:api"}
""", [("manifest", "spec.containers[0].image", 5, "ghcr.io/acme/api:1.0.0", None)]),
    ("whole-reference-on-a-custom-field", """\
apiVersion: example.com/v1
kind: Thing
spec:
  runner: ghcr.io/acme/runner:2.0.0 # {"$imagepolicy": "flux-system:runner"}
""", [("marker", "spec.runner", 4, "ghcr.io/acme/runner:2.0.0", None)]),
    ("name-and-tag-markers-make-one-reference", """\
app:
  repo: ghcr.io/acme/api # {"$imagepolicy": "flux-system:api:name"}
  version: "1.2.3" # {"$imagepolicy": "flux-system:api:tag"}
other: x
""", [("marker", "app.repo", 2, "ghcr.io/acme/api:1.2.3", None)]),
    ("tag-marker-alone", """\
settings:
  appVersion: 1.2.3 # {"$imagepolicy": "flux-system:api:tag"}
""", [("marker", "settings.appVersion", 2, None, "no repository: set elsewhere")]),
    ("non-image-field", """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
patches:
  - target:
      kind: Deployment
      image: image # {"$imagepolicy": "ns:policy"}
""", [("marker", "patches[0].target.image", 6, "image", "no tag")]),
    ("marker-inside-strings-is-no-comment", """\
a: "x:1 # {\\"$imagepolicy\\": \\"ns:p\\"}"
b: |
  c: d:1 # {"$imagepolicy": "ns:p"}
""", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "want"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_marked_references(text: str, want: list[Found]) -> None:
    assert found(text) == want


def test_grouped_roles() -> None:
    text = """\
app:
  repo: ghcr.io/acme/api # {"$imagepolicy": "flux-system:api:name"}
  version: "1.2.3" # {"$imagepolicy": "flux-system:api:tag"}
"""
    assert roles(text) == [[("repository", "ghcr.io/acme/api"), ("tag", "1.2.3")]]
