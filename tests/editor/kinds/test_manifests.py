"""tagbot/editor/kinds/manifests.py: pod specs in any workload, image strings in CRDs, GitLab CI."""

from __future__ import annotations

import pytest

from tests.editor.summary import Found, found

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      initContainers:
        - name: init
          image: busybox:1.36
      containers:
        - name: app
          image: ghcr.io/acme/api:1.2.3 # image: not-this:1
"""

CASES: list[tuple[str, str, list[Found]]] = [
    ("deployment", DEPLOYMENT, [
        ("manifest", "spec.template.spec.initContainers[0].image", 8, "busybox:1.36", None),
        ("manifest", "spec.template.spec.containers[0].image", 11, "ghcr.io/acme/api:1.2.3", None),
    ]),
    ("cronjob-jobtemplate", """\
apiVersion: batch/v1
kind: CronJob
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: c
            image: alpine:3.19
""", [("manifest", "spec.jobTemplate.spec.template.spec.containers[0].image", 10, "alpine:3.19", None)]),
    ("argo-rollout", """\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
spec:
  template:
    spec:
      containers:
      - name: app
        image: argoproj/rollouts-demo:blue
""", [("manifest", "spec.template.spec.containers[0].image", 8, "argoproj/rollouts-demo:blue", None)]),
    ("knative-service", """\
apiVersion: serving.knative.dev/v1
kind: Service
spec:
  template:
    spec:
      containers:
        - image: gcr.io/knative-samples/helloworld-go:v1
""", [("manifest", "spec.template.spec.containers[0].image", 7,
       "gcr.io/knative-samples/helloworld-go:v1", None)]),
    ("kind-list", """\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  spec:
    containers:
    - image: nginx:1.25
""", [("manifest", "items[0].spec.containers[0].image", 8, "nginx:1.25", None)]),
    ("tekton-steps", """\
apiVersion: tekton.dev/v1
kind: Task
spec:
  steps:
    - name: build
      image: gcr.io/kaniko-project/executor:v1.23.0
    - name: bare
      image: alpine
""", [("manifest", "spec.steps[0].image", 6, "gcr.io/kaniko-project/executor:v1.23.0", None)]),
    ("argo-workflows", """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
spec:
  templates:
  - name: a
    container:
      image: docker/whalesay:latest
  - name: b
    script:
      image: python:3.12-alpine
""", [
        ("manifest", "spec.templates[0].container.image", 7, "docker/whalesay:latest", None),
        ("manifest", "spec.templates[1].script.image", 10, "python:3.12-alpine", None),
    ]),
    ("prometheus-cr", """\
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
spec:
  image: quay.io/prometheus/prometheus:v2.37.0
  baseImage: quay.io/prometheus/prometheus
""", [("manifest", "spec.image", 4, "quay.io/prometheus/prometheus:v2.37.0", None)]),
    ("ceph-rbd-trap", """\
apiVersion: v1
kind: Pod
spec:
  containers:
  - image: kubernetes/pause
  volumes:
  - rbd:
      image: foo
""", [("manifest", "spec.containers[0].image", 5, "kubernetes/pause", "no tag")]),
    ("kubevirt-registry-no-tag", """\
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
spec:
  volumes:
  - containerDisk:
      image: quay.io/kubevirt/cirros-container-disk-demo
""", [("manifest", "spec.volumes[0].containerDisk.image", 6,
       "quay.io/kubevirt/cirros-container-disk-demo", "no tag")]),
    ("comments-and-block-scalars", """\
apiVersion: v1
kind: ConfigMap
# image: nginx:1.0
data:
  values.yaml: |
    image: nginx:1.1
  script: >-
    docker run image: nginx:1.2
  note: "image: nginx:1.3"
""", [("manifest", 'data."values.yaml"|image', 6, "nginx:1.1", None)]),
    ("flow-style", """\
apiVersion: v1
kind: Pod
spec: {containers: [{name: a, image: "nginx:1.25"}, {name: b, image: 'redis:7'}]}
""", [
        ("manifest", "spec.containers[0].image", 3, "nginx:1.25", None),
        ("manifest", "spec.containers[1].image", 3, "redis:7", None),
    ]),
    ("yaml-1.2-flow-scalar", """\
apiVersion: v1
kind: Pod
spec:
  containers: [{name: a, image: nginx:1.25}]
""", [("manifest", "spec.containers[0].image", 4, "nginx:1.25", None)]),
    ("multi-doc", """\
apiVersion: v1
kind: Service
---
apiVersion: v1
kind: Pod
spec:
  containers:
  - image: nginx:1.25
""", [("manifest", "doc[2]:spec.containers[0].image", 8, "nginx:1.25", None)]),
    ("crlf", "apiVersion: v1\r\nkind: Pod\r\nspec:\r\n  containers:\r\n  - image: nginx:1.25\r\n",
     [("manifest", "spec.containers[0].image", 5, "nginx:1.25", None)]),
    ("anchor-reported-once", """\
apiVersion: v1
kind: Pod
spec:
  containers:
  - &app
    name: app
    image: nginx:1.25
  initContainers:
  - *app
""", [("manifest", "spec.containers[0].image", 7, "nginx:1.25", None)]),
    ("four-space-and-unindented", """\
apiVersion: v1
kind: Pod
spec:
    containers:
    -   name: a
        image: nginx:1.25
    initContainers:
    - image: busybox:1.36
""", [
        ("manifest", "spec.containers[0].image", 6, "nginx:1.25", None),
        ("manifest", "spec.initContainers[0].image", 8, "busybox:1.36", None),
    ]),
    ("skips-in-containers", """\
apiVersion: v1
kind: Pod
spec:
  containers:
  - image: "{{ .Values.image }}"
  - image: ubuntu@sha256:18305429afa14ea462f810146ba44d4363ae76e4c8dfc38288cf73aa07485005
  - image: <<VAR>>/thing:<<TAG>>
""", [
        ("manifest", "spec.containers[0].image", 5, None, "templated value"),
        ("manifest", "spec.containers[1].image", 6,
         "ubuntu@sha256:18305429afa14ea462f810146ba44d4363ae76e4c8dfc38288cf73aa07485005",
         "digest only"),
        ("manifest", "spec.containers[2].image", 7, None, "templated value"),
    ]),
    ("flux-kustomization-images", """\
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
spec:
  images:
    - name: podinfo
      newName: ghcr.io/stefanprodan/podinfo
      newTag: 6.5.0
""", [("kustomize", "spec.images[0]", 5, "ghcr.io/stefanprodan/podinfo:6.5.0", None)]),
    ("gitlab-ci", """\
stages: [build]
variables:
  LATEST_IMAGE: $CI_REGISTRY_IMAGE:latest
.tpl: &tpl
  export X=$CI_REGISTRY_IMAGE
build:
  image: docker:24
  services:
    - docker:24-dind
    - name: postgres:16
  script:
    - docker run arminc/clair-db:latest
lint:
  image:
    name: hadolint/hadolint:v2.12.0
  script: [hadolint Dockerfile]
""", [
        ("manifest", "build.image", 7, "docker:24", None),
        ("manifest", "build.services[0]", 9, "docker:24-dind", None),
        ("manifest", "build.services[1].name", 10, "postgres:16", None),
        ("manifest", "lint.image.name", 15, "hadolint/hadolint:v2.12.0", None),
    ]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "want"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_manifest_references(text: str, want: list[Found]) -> None:
    assert found(text) == want
