"""tagbot/editor/kinds/__init__.py: the registry and the detection order of the file kinds."""

from __future__ import annotations

import pytest

from tagbot.editor import yamldoc
from tagbot.editor.kinds import KINDS, classify
from tagbot.editor.kinds.base import never


@pytest.mark.parametrize(
    ("path", "text", "kind"),
    [
        ("a.yaml", "apiVersion: apps/v1\nkind: Deployment\n", "manifests"),
        ("a.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Component\n", "kustomize"),
        ("dir/kustomization.yml", "resources: []\n", "kustomize"),
        ("a.yaml", "resources: [x]\nimages:\n- name: a\n", "kustomize"),
        ("a.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\n", "argocd"),
        ("a.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\n", "manifests"),
        ("dir/.argocd-source-app.yaml", "helm: {}\n", "argocd"),
        ("a.yaml", "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n", "flux"),
        ("a.yaml", "services:\n  web: {image: a}\n", "compose"),
        ("a.yaml", "web:\n  image: a\n  depends_on: [db]\ndb: {image: b}\n", "compose"),
        ("a.yaml", "web:\n  image: a\n", "helm_values"),
        ("a.yaml", "stages: [a]\njob: {script: [x]}\n", "manifests"),
        ("a.yaml", "- a\n- b\n", "manifests"),
        ("values.yaml", "image: {repository: a}\n", "helm_values"),
        ("tagbot.yaml", "references:\n- {file: a, locator: b, image: c}\n", "tagbot"),
        ("a.yaml", "references:\n- {file: a, image: c}\n", "helm_values"),
    ],
    ids=["k8s", "kustomize-api", "kustomization-name", "kustomize-keys", "appset", "rollout",
         "argocd-source", "helmrelease", "compose", "compose-v1", "values", "gitlab", "list",
         "values-file", "tagbot-config", "not-tagbot-rules"],
)  # fmt: skip
def test_classify(path: str, text: str, kind: str) -> None:
    (root,) = yamldoc.compose(text)
    assert classify(path, root) == kind


def test_every_document_kind_has_its_own_detection() -> None:
    for name, kind in KINDS.items():
        if name == "markers":
            assert kind.find is None and kind.whole_file is not None
            continue
        assert kind.find is not None and (kind.claims is not never or kind.resembles is not never)
    assert list(KINDS)[-2:] == ["helm_values", "markers"]  # the fallback, then the overlay
