"""tagbot/editor/kinds/argocd.py: Application and ApplicationSet sources, `.argocd-source` overrides."""

from __future__ import annotations

import pytest

from tests.editor.summary import Found, found, roles

APP = "apiVersion: argoproj.io/v1alpha1\nkind: Application\n"
SHA = "sha256:" + "8" * 64

CASES: list[tuple[str, str, str, list[Found]]] = [
    ("kustomize-images", "app.yaml", APP + f"""\
spec:
  source:
    kustomize:
      images:
      - quay.io/argoprojlabs/argocd-e2e-container:0.2
      - my-app=gcr.io/my-repo/my-app:0.1
      - other=gcr.io/x/other@{SHA}
      - notActuallyValid
""", [
        ("argocd", "spec.source.kustomize.images[0]", 7, "quay.io/argoprojlabs/argocd-e2e-container:0.2",
         None),
        ("argocd", "spec.source.kustomize.images[1]", 8, "gcr.io/my-repo/my-app:0.1", None),
        ("argocd", "spec.source.kustomize.images[2]", 9, f"gcr.io/x/other@{SHA}", "digest only"),
        ("argocd", "spec.source.kustomize.images[3]", 10, None,
         "invalid reference: repository name 'notActuallyValid' must be lowercase"),
    ]),
    ("helm-tag-parameter", "app.yaml", APP + """\
spec:
  source:
    helm:
      parameters:
      - name: image.tag
        value: placeholder
      - name: service.type
        value: ClusterIP
""", [("argocd", "spec.source.helm.parameters[0]", 8, None, "no repository: set elsewhere")]),
    ("helm-parameters-grouped", "app.yaml", APP + """\
spec:
  sources:
  - helm:
      parameters:
      - name: controller.image.repository
        value: ghcr.io/acme/controller
      - name: controller.image.tag
        value: "1.10"
      - name: image.tag
        value: "pull-{{ .head_sha }}"
""", [
        ("argocd", "spec.sources[0].helm.parameters[0]", 8, "ghcr.io/acme/controller:1.10", None),
        ("argocd", "spec.sources[0].helm.parameters[2]", 12, None, "templated value"),
    ]),
    ("applicationset-template", "appset.yaml", """\
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
spec:
  template:
    spec:
      source:
        kustomize:
          images:
          - public.ecr.aws/nginx/nginx=public.ecr.aws/nginx/nginx:1.25
""", [("argocd", "spec.template.spec.source.kustomize.images[0]", 9, "public.ecr.aws/nginx/nginx:1.25",
       None)]),
    ("values-object-and-block", "app.yaml", APP + """\
spec:
  source:
    helm:
      values: |
        image:
          repository: ghcr.io/nginxinc/nginx-gateway-fabric
          tag: 1.5.0
      valuesObject:
        image:
          repository: ghcr.io/acme/api
          tag: 2.0.0
""", [
        ("argocd", "spec.source.helm.values|image", 8, "ghcr.io/nginxinc/nginx-gateway-fabric:1.5.0",
         None),
        ("argocd", "spec.source.helm.valuesObject.image", 12, "ghcr.io/acme/api:2.0.0", None),
    ]),
    ("argocd-source-by-name", ".argocd-source-myapp.yaml", "kustomize:\n  images:\n  - nginx:1.17.10\n",
     [("argocd", "kustomize.images[0]", 3, "nginx:1.17.10", None)]),
    ("argocd-source-by-content", "override.yaml", "helm:\n  parameters:\n    - name: image.tag\n      value: '0.2'\n",
     [("argocd", "helm.parameters[0]", 4, None, "no repository: set elsewhere")]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "text", "want"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_argocd_references(path: str, text: str, want: list[Found]) -> None:
    assert found(text, path) == want


def test_override_field_is_the_whole_string() -> None:
    text = APP + "spec:\n  source:\n    kustomize:\n      images: ['a=b/c:1']\n"
    assert roles(text) == [[("image", "a=b/c:1")]]


def test_parameter_fields_are_the_values() -> None:
    text = (
        APP
        + """\
spec:
  source:
    helm:
      parameters:
      - {name: image.registry, value: quay.io}
      - {name: image.repository, value: a/b}
      - {name: image.tag, value: v1}
"""
    )
    assert roles(text) == [[("registry", "quay.io"), ("repository", "a/b"), ("tag", "v1")]]
    assert found(text)[0][3] == "quay.io/a/b:v1"
