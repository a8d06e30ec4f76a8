"""tagbot/editor/kinds/kustomize.py: `images:` entries in kustomizations, and helmCharts values."""

from __future__ import annotations

import pytest

from tests.editor.summary import Found, found, roles

SHA = "sha256:" + "6" * 64
HEADER = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"

CASES: list[tuple[str, str, str, list[Found]]] = [
    ("name-and-newtag", "k.yaml", HEADER + "images:\n- name: hello-world\n  newTag: 1.17.0\n",
     [("kustomize", "images[0]", 4, "hello-world:1.17.0", None)]),
    ("newname-is-deployed", "k.yaml", HEADER + """\
images:
  - name: kserve/models-web-app
    newName: ghcr.io/kserve/models-web-app
    newTag: "0.16.1"
""", [("kustomize", "images[0]", 4, "ghcr.io/kserve/models-web-app:0.16.1", None)]),
    ("name-only-is-rewritable", "k.yaml", HEADER + "images:\n- name: grafana/grafana\n",
     [("kustomize", "images[0]", 4, "grafana/grafana", None)]),
    ("newname-only", "k.yaml", HEADER + "images:\n- name: fluxcd/x\n  newName: ghcr.io/fluxcd/x\n",
     [("kustomize", "images[0]", 4, "ghcr.io/fluxcd/x", None)]),
    ("tag-and-digest", "k.yaml", HEADER + f"images:\n- name: podinfo\n  newTag: 6.8.0\n  digest: {SHA}\n",
     [("kustomize", "images[0]", 4, f"podinfo:6.8.0@{SHA}", None)]),
    ("digest-only", "k.yaml", HEADER + f"images:\n- name: podinfo\n  digest: '{SHA}'\n",
     [("kustomize", "images[0]", 4, f"podinfo@{SHA}", "digest only")]),
    ("truncated-digest", "k.yaml", HEADER + "images:\n- name: docker\n  digest: sha256:25a0d4\n",
     [("kustomize", "images[0]", 4, None, "invalid digest 'sha256:25a0d4'")]),
    ("tag-suffix", "k.yaml", HEADER + "images:\n- name: adservice\n  tagSuffix: -native\n",
     [("kustomize", "images[0]", 4, "adservice", "tagSuffix set: the tag is derived")]),
    ("placeholder-newname", "k.yaml", HEADER + "images:\n- name: redis\n  newName: CONTAINER_REGISTRY/redis\n",
     [("kustomize", "images[0]", 4, None, "invalid reference: invalid registry host 'CONTAINER_REGISTRY'")]),
    ("flow-entries", "k.yaml", HEADER + 'images: [{name: nginx, newTag: "1.25"}, {name: redis}]\n', [
        ("kustomize", "images[0]", 3, "nginx:1.25", None),
        ("kustomize", "images[1]", 3, "redis", None),
    ]),
    ("no-header-by-keys", "overlay.yaml", "resources:\n- a.yaml\nimages:\n- name: my-app\n  newTag: v3\n",
     [("kustomize", "images[0]", 4, "my-app:v3", None)]),
    ("by-file-name", "kustomization.yaml", "images:\n- name: a\n  newTag: v1\n",
     [("kustomize", "images[0]", 2, "a:v1", None)]),
    ("crlf", "k.yaml", HEADER.replace("\n", "\r\n") + "images:\r\n- name: a\r\n  newTag: v1\r\n",
     [("kustomize", "images[0]", 4, "a:v1", None)]),
    ("patches-are-block-scalars", "k.yaml", HEADER + """\
patches:
- patch: |
    - op: replace
      path: /spec/template/spec/containers/0/image
      value: nginx:1.25
images:
- name: a
  newTag: v1
""", [("kustomize", "images[0]", 9, "a:v1", None)]),
    ("helm-charts-values-inline", "k.yaml", HEADER + """\
helmCharts:
- name: redis
  valuesInline:
    image:
      repository: bitnami/redis
      tag: 7.2.4
""", [("helm-values", "helmCharts[0].valuesInline.image", 7, "bitnami/redis:7.2.4", None)]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "text", "want"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_kustomize_entries(path: str, text: str, want: list[Found]) -> None:
    assert found(text, path) == want


def test_roles_name_then_newname() -> None:
    text = HEADER + f"images:\n- name: a\n  newName: b\n  newTag: v1\n  digest: {SHA}\n"
    assert roles(text) == [
        [("repository", "a"), ("repository", "b"), ("tag", "v1"), ("digest", SHA)]
    ]


def test_values_images_map_is_not_a_kustomization() -> None:
    text = "commonLabels: {}\nimages:\n  repository: gcr.io/x/y\n  tag: v1\n"
    assert found(text, "values.yaml") == [("helm-values", "images", 3, "gcr.io/x/y:v1", None)]
