"""tagbot/editor/identity.py: a values reference's identity comes from every key that shapes it,
and an identity tagbot cannot work out is listed with a reason and never rewritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagbot.editor import extract, identity
from tagbot.imageref import parse
from tagbot.pipeline import setimages as setter
from tests.editor.summary import Found, found

U = identity.UNCERTAIN
HUB = "global:\n  hub: gcr.io/istio-release\n  tag: 1.20.3\n"

CASES: list[tuple[str, str, list[Found]]] = [
    ("registry-after-image", "hub:\n  image: traefik-hub\n  tag: latest\n  registry: ghcr.io/traefik\n",
     [("helm-values", "hub.image", 2, "ghcr.io/traefik/traefik-hub:latest", None)]),
    ("registry-before-image", "hub:\n  registry: ghcr.io/traefik\n  tag: v3\n  image: traefik-hub\n",
     [("helm-values", "hub.image", 2, "ghcr.io/traefik/traefik-hub:v3", None)]),
    ("istio-hub-beside-image", "pilot:\n  hub: gcr.io/istio-release\n  image: pilot\n  tag: 1.2.0\n",
     [("helm-values", "pilot.image", 2, "gcr.io/istio-release/pilot:1.2.0", None)]),
    ("hub-in-image-slot", "image:\n  hub: docker.io/istio\n  repository: pilot\n  tag: 1.2.0\n",
     [("helm-values", "image", 2, "istio/pilot:1.2.0", None)]),
    ("global-hub-and-tag", HUB + "pilot:\n  image: pilot\n  hub: ''\n  tag: ''\n"
     "  proxy:\n    image: proxyv2\n", [
        ("helm-values", "global", 2, "gcr.io/istio-release/pilot:1.20.3", None),
     ]),
    ("global-hub-own-tag", HUB + "cni:\n  image: install-cni\n  tag: 1.19.0\n", [
        ("helm-values", "global", 2, None, "global.hub and global.tag: no image takes them"),
        ("helm-values", "cni.image", 5, "gcr.io/istio-release/install-cni:1.19.0", None),
    ]),
    ("global-hub-no-image", HUB, [
        ("helm-values", "global", 2, None, "global.hub and global.tag: no image takes them"),
    ]),
    ("global-hub-repository-map", "global:\n  hub: docker.io/istio\nimage:\n  repository: a/b\n  tag: '1'\n",
     [("helm-values", "image", 4, "a/b:1", f"{U}: global.hub is set")]),
    ("global-image-registry-no-registry-key",
     "global:\n  imageRegistry: mirror.example.com\nimage:\n  repository: acme/api\n  tag: 1.0.0\n",
     [("helm-values", "image", 4, "acme/api:1.0.0", f"{U}: global.imageRegistry is set")]),
    ("global-image-registry-bitnami",
     "global:\n  imageRegistry: m.example.com\nimage:\n  registry: docker.io\n  repository: a/b\n"
     "  tag: '1'\n", [("helm-values", "image", 4, "m.example.com/a/b:1", None)]),
    ("global-registry", "global:\n  registry: r.example.com\nimage:\n  repository: a/b\n  tag: '1'\n",
     [("helm-values", "image", 4, "a/b:1", f"{U}: global.registry is set")]),
    ("global-default-registry",
     "global:\n  defaultRegistry: r.example.com\nimage:\n  repository: a/b\n  tag: '1'\n",
     [("helm-values", "image", 4, "a/b:1", f"{U}: global.defaultRegistry is set")]),
    ("default-registry", "defaultRegistry: r.example.com\nimage:\n  repository: a/b\n  tag: '1'\n",
     [("helm-values", "image", 3, "a/b:1", f"{U}: defaultRegistry is set")]),
    ("empty-overrides-are-unset",
     "global:\n  registry: ''\n  imageRegistry: ''\nimage:\n  repository: a/b\n  tag: '1'\n",
     [("helm-values", "image", 5, "a/b:1", None)]),
    ("parent-image-registry",
     "controller:\n  imageRegistry: quay.io\n  image:\n    repository: a/b\n    tag: '1'\n",
     [("helm-values", "controller.image", 4, "a/b:1", f"{U}: controller.imageRegistry is set")]),
    ("suffix", "image:\n  repository: rancher/x\n  tag: v1\n  suffix: -generic\n",
     [("helm-values", "image", 2, "rancher/x:v1", f"{U}: image.suffix is set")]),
    ("variant", "image:\n  repository: istio/proxyv2\n  tag: 1.2.0\n  variant: distroless\n",
     [("helm-values", "image", 2, "istio/proxyv2:1.2.0", f"{U}: image.variant is set")]),
    ("override", "image:\n  repository: a/b\n  tag: '1'\n  override: ghcr.io/x/y:2\n",
     [("helm-values", "image", 2, "a/b:1", f"{U}: image.override is set")]),
    ("name-only-empty-tag", "pilot:\n  image: pilot\n  tag: ''\n",
     [("helm-values", "pilot.image", 2, None, identity.NAME_ONLY)]),
    ("name-key-empty-tag", "image:\n  name: controller\n  tag: ''\n",
     [("helm-values", "image", 2, None, identity.NAME_ONLY)]),
    ("all-null-map", "image:\n  registry: ~\n  repository: null\n  tag: ~\n",
     [("helm-values", "image", 2, None, "empty repository: chart default")]),
    ("templated-hub", "pilot:\n  hub: '{{ .Values.hub }}'\n  image: pilot\n  tag: 1.2.0\n",
     [("helm-values", "pilot.image", 2, None, "templated value")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "want"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_identity(text: str, want: list[Found]) -> None:
    assert found(text, "values.yaml") == want


def test_shared_reference_names_what_it_moves() -> None:
    text = HUB + "pilot:\n  image: pilot\n  tag: ''\nproxy:\n  image: proxyv2\n"
    (occ,) = extract("values.yaml", text).occurrences
    assert [(f.role, f.value) for f in occ.fields] == [
        ("registry", "gcr.io/istio-release"),
        ("tag", "1.20.3"),
    ]
    assert occ.identity_note == "moves together: pilot, proxyv2"


def test_uncertain_identity_is_noted() -> None:
    text = "global:\n  registry: r.example.com\nimage:\n  repository: a/b\n  tag: '1'\n"
    (occ,) = extract("values.yaml", text).occurrences
    assert not occ.rewritable and occ.identity_note == f"{U}: global.registry is set"


def test_a_stated_identity_makes_it_rewritable() -> None:
    text = "global:\n  registry: r.example.com\nimage:\n  repository: a/b\n  tag: '1'\n"
    (occ,) = extract("values.yaml", text).occurrences
    stated = identity.state(occ, "r.example.com/a/b")
    assert stated.rewritable and str(stated.image) == "r.example.com/a/b:1"
    assert stated.identity_note == f"stated by config ({U}: global.registry is set)"


def test_a_name_only_reference_takes_a_stated_identity() -> None:
    (occ,) = extract("values.yaml", "pilot:\n  image: pilot\n  tag: ''\n").occurrences
    stated = identity.state(occ, "gcr.io/istio-release/pilot")
    assert stated.rewritable and str(stated.image) == "gcr.io/istio-release/pilot"


def test_only_identity_doubts_can_be_stated() -> None:
    (occ,) = extract("values.yaml", "image:\n  repository: '{{ .Values.x }}'\n").occurrences
    assert identity.state(occ, "ghcr.io/x/y") is occ


def _set(tmp_path: Path, text: str, target: str) -> setter.SetPlan:
    path = tmp_path / "values.yaml"
    path.write_text(text)
    return setter.plan_set([parse(target)], [path])


def test_set_matches_the_full_identity_only(tmp_path: Path) -> None:
    text = "hub:\n  image: traefik-hub\n  tag: v3.0.0\n  registry: ghcr.io/traefik\n"
    plan = _set(tmp_path, text, "ghcr.io/traefik/traefik-hub:v3.1.0")
    assert plan.problems == () and len(plan.files) == 1
    wrong = _set(tmp_path, text, "traefik-hub:v3.1.0")
    assert wrong.files == ()
    assert [p.error for p in wrong.problems] == [
        "image traefik-hub matched no rewritable reference"
    ]


def test_set_never_rewrites_an_uncertain_identity(tmp_path: Path) -> None:
    text = "global:\n  imageRegistry: m.example.com\nimage:\n  repository: acme/api\n  tag: 1.0.0\n"
    plan = _set(tmp_path, text, "acme/api:1.1.0")
    assert plan.files == ()
    assert [p.error for p in plan.problems] == [
        "image acme/api matched no rewritable reference (1 not rewritable); values.yaml:4 may be "
        "it (identity uncertain: global.imageRegistry is set): state the image with a "
        "`references:` rule and pass --config"
    ]
