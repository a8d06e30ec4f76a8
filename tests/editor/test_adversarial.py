"""Red-team cases for the editor: real-world shapes the corpus lacks, hostile YAML, odd edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagbot.editor import extract, yamldoc
from tagbot.pipeline import setimages as setter
from tests.editor.summary import Found, found

DIGEST = "sha256:" + "0a4eaa0e" * 8

CASES: list[tuple[str, str, str, list[Found]]] = [
    ("bitnami-global-image-registry", "values.yaml", """\
global:
  imageRegistry: "myreg.example.com:5000"
image:
  registry: docker.io
  repository: bitnami/redis
  tag: 7.2.5-debian-12-r4
""", [("helm-values", "image", 4, "myreg.example.com:5000/bitnami/redis:7.2.5-debian-12-r4",
       None)]),
    ("git-and-chart-repositories", "values.yaml", """\
source:
  repository: git@github.com:acme/app.git
  tag: v1.0.0
chart:
  repository: https://charts.bitnami.com/bitnami
  tag: 15.0.0
mirror:
  repository: acme/config.git
  tag: v2
dependencies:
  - {name: redis, repository: "oci://registry-1.docker.io/bitnamicharts", version: 19.0.0}
""", []),
    ("vm-disk-and-file-images", "values.yaml", """\
azure: {vm: {image: "Canonical:0001-com-ubuntu-server-jammy:22_04-lts:latest"}}
proxmox: {image: "local:iso/ubuntu-22.04.iso"}
openstack: {image: ubuntu-22.04, flavor: m1.small}
ghost: {image: /var/lib/images/disk.qcow2}
logo: {image: assets/logo.png, imageUrl: "https://example.com/a.png:80"}
ec2: {imageId: ami-12345678}
""", []),
    ("kubevirt-crossplane", "vm.yaml", """\
apiVersion: kubevirt.io/v1
kind: VirtualMachine
spec:
  template:
    spec:
      volumes:
        - name: containerdisk
          containerDisk:
            image: quay.io/kubevirt/cirros-container-disk-demo:v1.3.0
        - name: cloudinit
          cloudInitNoCloud: {userData: "#cloud-config\\nimage: not-a-thing\\n"}
---
apiVersion: compute.gcp.crossplane.io/v1beta1
kind: Instance
spec:
  forProvider:
    image: ubuntu-2204-lts
    bootDisk: {image: projects/debian-cloud/global/images/debian-12}
""", [("manifest", "doc[1]:spec.template.spec.volumes[0].containerDisk.image", 9,
       "quay.io/kubevirt/cirros-container-disk-demo:v1.3.0", None)]),
    ("flux-postrenderer-images", "release.yaml", """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
spec:
  values:
    image: {repository: ghcr.io/acme/app, tag: 1.0.0}
  postRenderers:
    - kustomize:
        images:
          - {name: docker.io/nginx, newName: ghcr.io/acme/nginx, newTag: "1.25.3"}
          - {name: redis, digest: DIGEST}
""".replace("DIGEST", DIGEST), [
        ("helm-release", "spec.values.image", 5, "ghcr.io/acme/app:1.0.0", None),
        ("kustomize", "spec.postRenderers[0].kustomize.images[0]", 9,
         "ghcr.io/acme/nginx:1.25.3", None),
        ("kustomize", "spec.postRenderers[0].kustomize.images[1]", 10,
         f"redis@{DIGEST}", "digest only"),
    ]),
    ("duplicate-tag-key", "values.yaml", """\
image:
  repository: nginx
  tag: 1.25.3
  tag: 1.25.4
other:
  image: {repository: redis, tag: "7.2"}
""", [
        ("helm-values", "image", 2, "nginx:1.25.3", "duplicate key at line 3"),
        ("helm-values", "other.image", 6, "redis:7.2", None),
    ]),
    ("duplicate-image-key", "pod.yaml", """\
apiVersion: v1
kind: Pod
spec:
  containers:
  - name: a
    image: nginx:1.25.3
    image: nginx:1.25.4
""", [
        ("manifest", "spec.containers[0].image", 6, "nginx:1.25.3", "duplicate key at line 6"),
        ("manifest", "spec.containers[0].image", 7, "nginx:1.25.4", "duplicate key at line 7"),
    ]),
    ("duplicate-map-key", "values.yaml", """\
web:
  image: {repository: ghcr.io/acme/web, tag: 1.0.0}
  image: {repository: ghcr.io/acme/web, tag: 1.1.0}
api:
  image: &api {repository: ghcr.io/acme/api, tag: 2.0.0}
app:
  sidecar: {repository: ghcr.io/acme/side, tag: 3.0.0}
app:
  sidecar: *api
""", [
        ("helm-values", "web.image", 2, "ghcr.io/acme/web:1.0.0", "duplicate key at line 2"),
        ("helm-values", "web.image", 3, "ghcr.io/acme/web:1.1.0", "duplicate key at line 3"),
        # an alias under a duplicate key leaves the anchor it reads alone
        ("helm-values", "api.image", 5, "ghcr.io/acme/api:2.0.0", None),
        ("helm-values", "app.sidecar", 7, "ghcr.io/acme/side:3.0.0", "duplicate key at line 7"),
    ]),
    ("compose-image-from-merge-key", "compose.yaml", """\
x-defaults: &defaults
  image: ghcr.io/acme/base:1.0
  restart: unless-stopped
services:
  a:
    <<: *defaults
  b:
    <<: *defaults
    image: ghcr.io/acme/b:2.0
""", [
        ("compose", "services.a.image", 2, "ghcr.io/acme/base:1.0", None),
        ("compose", "services.b.image", 9, "ghcr.io/acme/b:2.0", None),
    ]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "text", "want"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_references(path: str, text: str, want: list[Found]) -> None:
    assert found(text, path) == want


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            "a: " + "{b: " * 2000 + "image: nginx:1" + "}" * 2000 + "\n",
            "not YAML: nested too deeply (over 1000 levels at line 1)",
        ),
        (
            "image: " + "[" * 2000 + "nginx:1" + "]" * 2000 + "\n",
            "not YAML: nested too deeply (over 1000 levels at line 1)",
        ),
    ],
    ids=["deep-flow-mapping", "deep-flow-sequence"],
)
def test_deep_nesting_is_a_clear_problem(text: str, error: str) -> None:
    result = extract("f.yaml", text)
    assert result.occurrences == () and result.problem is not None
    assert result.problem.error == error


def test_merge_key_bomb_is_walked_in_bounded_steps() -> None:
    lines = ["a0: &a0 {image: nginx:1.25.3, k0: v}"]
    lines += [f"a{i}: &a{i}\n  <<: [*a{i - 1}, *a{i - 1}]\n  k{i}: v" for i in range(1, 40)]
    (root,) = yamldoc.compose("\n".join(lines) + "\n")
    assert sum(1 for _ in yamldoc.walk(root)) < 5000
    assert found("\n".join(lines) + "\n") == [("helm-values", "a0.image", 1, "nginx:1.25.3", None)]


def test_long_merge_chain_expands_at_most_the_budget() -> None:
    lines = ["a0: &a0 {k0: v}"]
    lines += [f"a{i}: &a{i} {{<<: *a{i - 1}, k{i}: v}}" for i in range(1, 3000)]
    (root,) = yamldoc.compose("\n".join(lines) + "\n")
    # 3000 chained maps would expand 4.5 million merged keys; the walk stops at its budget.
    assert sum(1 for _ in yamldoc.walk(root)) < 3 * 3000 + 100_000 + 3000


SHARED = """\
version: &v 1.4.0
api:
  image: {repository: ghcr.io/acme/api, tag: *v}
worker:
  image: {repository: ghcr.io/acme/worker, tag: *v}
"""


def test_anchor_read_by_another_image_is_refused_and_nothing_written(tmp_path: Path) -> None:
    target = tmp_path / "values.yaml"
    target.write_text(SHARED)
    plan = setter.plan_set(setter.parse_targets(["ghcr.io/acme/api:1.5.0"]), [target])
    assert plan.files == ()
    assert [p.error for p in plan.problems] == [
        "refused edit at line 1: the value at line 1 is a YAML anchor that worker.image also "
        "reads; it would change too",
    ]
    assert target.read_text() == SHARED


def test_many_updates_in_one_stream_all_apply(tmp_path: Path) -> None:
    docs = [f"kind: Pod\napiVersion: v1\nspec:\n containers:\n - image: nginx:1.25.{i % 7}\n"
            for i in range(500)]  # fmt: skip
    target = tmp_path / "stream.yaml"
    target.write_text("---\n".join(docs))
    plan = setter.plan_set(setter.parse_targets(["nginx:1.27.1"]), [target])
    assert plan.problems == () and len(plan.updates) == 500
    setter.write(plan)
    assert target.read_text() == "---\n".join(d.replace(d[-7:-1], "1.27.1") for d in docs)
