"""tagbot/editor/kinds/helm_values.py: image maps and image strings in values and HelmRelease values."""

from __future__ import annotations

import pytest

from tagbot.editor import extract
from tests.editor.summary import Found, found, roles

SHA = "sha256:" + "e" * 64
EMPTY = "empty tag: chart appVersion"

CASES: list[tuple[str, str, list[Found]]] = [
    ("repository-tag", "image:\n  repository: ghcr.io/acme/api\n  tag: 1.2.3\n",
     [("helm-values", "image", 2, "ghcr.io/acme/api:1.2.3", None)]),
    ("bitnami-registry-digest", """\
image:
  registry: docker.io
  repository: bitnami/redis
  tag: 7.2.4-debian-12-r0
  digest: ""
""", [("helm-values", "image", 2, "bitnami/redis:7.2.4-debian-12-r0", None)]),
    ("sha-key-and-comments", """\
image:
  # -- the registry
  registry: quay.io
  repository: prometheus/node-exporter
  # -- empty: the chart's appVersion
  tag: ""
  sha: ""
""", [("helm-values", "image", 3, "quay.io/prometheus/node-exporter", EMPTY)]),
    ("numeric-tag", "image:\n  repository: gesellix/couchdb-exporter\n  tag: 16\n",
     [("helm-values", "image", 2, "gesellix/couchdb-exporter:16", None)]),
    ("float-tag-keeps-source-text", "bar:\n  image:\n    repository: 'canonical/ubuntu'\n    tag: 18.04\n",
     [("helm-values", "bar.image", 3, "canonical/ubuntu:18.04", None)]),
    ("tag-with-digest", f"image:\n  repository: ghcr.io/a/b\n  tag: 1.0@{SHA}\n",
     [("helm-values", "image", 2, f"ghcr.io/a/b:1.0@{SHA}", None)]),
    ("nested-component-images", """\
crds:
  upgradeJob:
    image:
      busybox:
        registry: docker.io
        repository: busybox
        tag: "latest"
      kubectl:
        registry: registry.k8s.io
        repository: kubectl
        tag: ""
""", [
        ("helm-values", "crds.upgradeJob.image.busybox", 5, "busybox:latest", None),
        ("helm-values", "crds.upgradeJob.image.kubectl", 9, "registry.k8s.io/kubectl", EMPTY),
    ]),
    ("odd-slot-names", """\
thanosImage: {repository: quay.io/thanos/thanos, tag: v0.34.0}
imageOverride:
  repository: postgres
  tag: "16.2"
images:
  tag: ""
""", [
        ("helm-values", "thanosImage", 1, "quay.io/thanos/thanos:v0.34.0", None),
        ("helm-values", "imageOverride", 3, "postgres:16.2", None),
        ("helm-values", "images", 6, None, "no repository: set elsewhere"),
    ]),
    ("no-image-key", "redis:\n  enabled: true\n  repository: redis\n  tag: 7.2\n",
     [("helm-values", "redis", 3, "redis:7.2", None)]),
    ("subchart-tag-only", "grafana:\n  image:\n    tag: 10.3.3\n",
     [("helm-values", "grafana.image", 3, None, "no repository: set elsewhere")]),
    ("repository-only", "image:\n  repository: mirror.gcr.io/coredns/coredns\n",
     [("helm-values", "image", 2, "mirror.gcr.io/coredns/coredns", "no tag")]),
    ("empty-repository", 'controller:\n  image:\n    repository: ""\n    tag: ""\n',
     [("helm-values", "controller.image", 3, None, "empty repository: chart default")]),
    ("image-strings", """\
test_pod:
  image: bats/bats:1.8.2
configs:
  versions:
  - natsImage: nats:2.10.10
    metricsExporterImage: natsio/prometheus-nats-exporter:0.14.0
    imagePullPolicy: IfNotPresent
    unusedImage: nats
""", [
        ("helm-values", "test_pod.image", 2, "bats/bats:1.8.2", None),
        ("helm-values", "configs.versions[0].natsImage", 5, "nats:2.10.10", None),
        ("helm-values", "configs.versions[0].metricsExporterImage", 6,
         "natsio/prometheus-nats-exporter:0.14.0", None),
    ]),
    ("sibling-image-and-tag", """\
logstash:
  image: grafana/logstash-output-loki
  imageTag: 1.0.1
exporter:
  image: ghcr.io/oliver006/redis_exporter
  tag: v1.75.0
""", [
        ("helm-values", "logstash.image", 2, "grafana/logstash-output-loki:1.0.1", None),
        ("helm-values", "exporter.image", 5, "ghcr.io/oliver006/redis_exporter:v1.75.0", None),
    ]),
    ("ingress-nginx-global-registry", f"""\
global:
  image:
    registry: registry.k8s.io
controller:
  image:
    chroot: false
    image: ingress-nginx/controller
    tag: "v1.10.0"
    digest: {SHA}
    digestChroot: {SHA}
""", [("helm-values", "controller.image", 7, f"registry.k8s.io/ingress-nginx/controller:v1.10.0@{SHA}",
       None)]),
    ("global-image-registry-override", """\
global:
  imageRegistry: mirror.example.com
image:
  registry: docker.io
  repository: bitnami/nginx
  tag: 1.25.4
""", [("helm-values", "image", 4, "mirror.example.com/bitnami/nginx:1.25.4", None)]),
    ("cert-manager-name", 'image:\n  name: cert-manager-controller\n  repository: ""\n',
     [("helm-values", "image", 2, None, "empty repository: chart default")]),
    ("name-and-version-keys", f"""\
image:
  name: quay.io/opstree/druid-exporter
  tag: v0.11
bar:
  image:
    repository: canonical/ubuntu
    version: '{SHA}'
coreImage:
  repository: bitnami/harbor-core
  version: 2.1.3-debian-10-r38
""", [
        ("helm-values", "image", 2, "quay.io/opstree/druid-exporter:v0.11", None),
        ("helm-values", "bar.image", 6, f"canonical/ubuntu@{SHA}", "digest only"),
        ("helm-values", "coreImage", 9, "bitnami/harbor-core:2.1.3-debian-10-r38", None),
    ]),
    ("not-references", """\
imageRegistry: quay.io
imageNamespace: jetstack
global:
  image:
    registry: registry.k8s.io
operator:
  image: {}
cloneStaticSiteFromGit:
  image:
    registry: docker.io
    repository: bitnami/git
    tag: 2.44.0
  repository: ""
  branch: main
dependencies:
- name: redis
  version: 18.0.0
  repository: https://charts.bitnami.com/bitnami
rbd:
  image: foo
""", [("helm-values", "cloneStaticSiteFromGit.image", 10, "bitnami/git:2.44.0",
       "identity uncertain: imageRegistry is set")]),
    ("container-lists", """\
components:
  cart:
    initContainers:
      - name: wait
        image: busybox
    extraContainers:
      - image: "{{ .Values.sidecar }}"
""", [
        ("helm-values", "components.cart.initContainers[0].image", 5, "busybox", "no tag"),
        ("helm-values", "components.cart.extraContainers[0].image", 7, None, "templated value"),
    ]),
    ("templated-map", 'image:\n  repository: "{{ .Values.repo }}"\n  tag: ${TAG}\n',
     [("helm-values", "image", 2, None, "templated value")]),
    ("anchor-and-merge", """\
defaults: &img
  repository: ghcr.io/acme/api
  tag: 1.0.0
api:
  image: *img
worker:
  image:
    <<: *img
""", [("helm-values", "defaults", 2, "ghcr.io/acme/api:1.0.0", None)]),
    ("shared-anchored-tag", """\
version: &v 1.2.3
a:
  image: {repository: ghcr.io/x/a, tag: *v}
b:
  image: {repository: ghcr.io/x/b, tag: *v}
""", [
        ("helm-values", "a.image", 1, "ghcr.io/x/a:1.2.3", None),
        ("helm-values", "b.image", 1, "ghcr.io/x/b:1.2.3", None),
    ]),
    ("helmrelease-values", """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
spec:
  chart:
    spec: {chart: podinfo, version: 6.x}
  values:
    image:
      repository: ghcr.io/stefanprodan/podinfo
      tag: 6.5.0
    template:
      spec:
        containers:
          - image: ghcr.io/actions/runner:2.316.0
""", [
        ("helm-release", "spec.values.image", 8, "ghcr.io/stefanprodan/podinfo:6.5.0", None),
        ("helm-release", "spec.values.template.spec.containers[0].image", 13,
         "ghcr.io/actions/runner:2.316.0", None),
    ]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "want"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_helm_references(text: str, want: list[Found]) -> None:
    assert found(text, "values.yaml") == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "image:\n  registry: quay.io\n  repository: a/b\n  tag: '1'\n  sha: ''\n",
            [("registry", "quay.io"), ("repository", "a/b"), ("tag", "1"), ("digest", "")],
        ),
        (
            "image:\n  tag: v1\n  image: ingress-nginx/controller\n",
            [("tag", "v1"), ("repository", "ingress-nginx/controller")],
        ),
        ("x:\n  image: a/b\n  imageTag: 2\n", [("repository", "a/b"), ("tag", "2")]),
        ("image:\n  repository: a/b\n  version: 2\n", [("repository", "a/b"), ("tag", "2")]),
    ],
    ids=["registry-repository-tag-sha", "image-key-in-file-order", "sibling-imageTag", "version"],
)
def test_roles(text: str, want: list[tuple[str, str]]) -> None:
    assert roles(text, "values.yaml") == [want]


def test_bare_hex_under_sha_is_a_sha256_digest() -> None:
    """Grafana's chart writes `@sha256:{{ .Values.image.sha }}`: `sha` holds only the hex."""
    hexpart = "ab" * 32
    text = f'image:\n  repository: grafana/grafana\n  tag: "10.0.0"\n  sha: "{hexpart}"\n'
    (occ,) = extract("values.yaml", text).occurrences
    assert occ.image is not None
    assert occ.image.digest == f"sha256:{hexpart}"
    assert occ.rewritable
