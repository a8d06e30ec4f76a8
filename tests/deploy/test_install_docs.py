"""The install paths the docs give work as written and name what the release workflow publishes.

The newest release is the first `## [X.Y.Z]` of CHANGELOG.md; the image tag, the Kustomize `ref=`,
the Action's `@v<major>` and the `docker run` lines must all name it (docs/releasing.md bumps them).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import kubernetes_validate
import pytest
from ruamel.yaml import YAML

from tests.deploy import kustomize

ROOT = Path(__file__).resolve().parents[2]
KUBE_README = ROOT / "deploy" / "kubernetes" / "README.md"
DOCS = [ROOT / "README.md", ROOT / "docs" / "running.md", KUBE_README]
OWNER = "your-org"
(LATEST,) = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", (ROOT / "CHANGELOG.md").read_text(), re.M)[:1]
MAJOR = LATEST.split(".")[0]
REMOTE_BASE = f"https://github.com/{OWNER}/tagbot//deploy/kubernetes/base?ref=v{LATEST}"


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def documented_overlay() -> str:
    """The kustomization.yaml that deploy/kubernetes/README.md tells users to write."""
    (block,) = re.findall(r"```yaml\n(# kustomization.yaml\n.*?)```", text(KUBE_README), re.S)
    return block


def test_the_documented_overlay_creates_the_namespace_and_carries_your_config(
    tmp_path: Path,
) -> None:
    overlay = documented_overlay()
    assert REMOTE_BASE in overlay
    # The released base is this checkout's base: point the overlay at it instead of GitHub.
    local = shutil.copytree(ROOT / "deploy" / "kubernetes", tmp_path / "released")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "kustomization.yaml").write_text(overlay.replace(REMOTE_BASE, str(local / "base")))
    config = text(ROOT / "deploy/kubernetes/base/tagbot.yaml") + "# my own copy\n"
    (mine / "tagbot.yaml").write_text(config)
    objects = kustomize.render(mine)
    kinds = {o["kind"]: o for o in objects}
    assert sorted(kinds) == ["ConfigMap", "CronJob", "Namespace", "ServiceAccount"]
    assert kinds["Namespace"]["metadata"]["name"] == "tagbot"
    assert kinds["ConfigMap"]["data"] == {"tagbot.yaml": config}
    assert {o["metadata"].get("namespace") for o in objects if o["kind"] != "Namespace"} == {
        "tagbot"
    }
    (container,) = kustomize.containers(objects)
    assert container["image"] == f"ghcr.io/{OWNER}/tagbot:{LATEST}"
    for obj in objects:
        kubernetes_validate.validate(obj, "1.29", strict=True)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_kubernetes_doc_gives_the_same_path_in_an_order_that_works(doc: Path) -> None:
    body = text(doc)
    assert "apply -k deploy/kubernetes" not in body, "one path: an overlay of the released base"
    apply = body.index("kubectl apply -k .")
    # The namespace exists only after the apply, so the Secrets and the first run come after it.
    assert apply < body.index("kubectl -n tagbot create secret generic tagbot-tokens")
    assert apply < body.index("kubectl -n tagbot create job --from=cronjob/tagbot tagbot-now")


def test_the_released_base_runs_the_newest_release_image() -> None:
    base = YAML(typ="safe").load(text(ROOT / "deploy/kubernetes/base/kustomization.yaml"))
    assert base["namespace"] == "tagbot"
    assert base["images"] == [
        {"name": "tagbot", "newName": f"ghcr.io/{OWNER}/tagbot", "newTag": LATEST}
    ]


def test_the_action_is_used_by_its_major_tag() -> None:
    example = YAML(typ="safe").load(text(ROOT / "examples" / "github-workflow.yaml"))
    steps = [s for job in example["jobs"].values() for s in job["steps"]]
    assert [s["uses"] for s in steps if "/tagbot@" in s.get("uses", "")] == [
        f"{OWNER}/tagbot@v{MAJOR}"
    ]
    for doc in DOCS[:2]:
        assert f"uses: {OWNER}/tagbot@v{MAJOR} " in text(doc)


def test_readme_install_section_gives_all_four_paths() -> None:
    readme = text(ROOT / "README.md")
    section = readme[
        readme.index("## Install") : readme.index("\n## ", readme.index("## Install") + 1)
    ]
    for needle in (
        "pipx install tagbot",
        f"docker run --rm ghcr.io/{OWNER}/tagbot:{LATEST} --version",
        f"uses: {OWNER}/tagbot@v{MAJOR}",
        "kubectl apply -k .",
        "cosign verify",
    ):
        assert needle in section, needle


@pytest.mark.parametrize("doc", [*DOCS, ROOT / "CHANGELOG.md"], ids=lambda p: p.name)
def test_every_published_reference_names_one_owner_and_a_real_release(doc: Path) -> None:
    body = text(doc)
    owners = set(re.findall(r"ghcr\.io/([\w.-]+)/tagbot", body))
    owners |= set(re.findall(r"([\w.-]+)/tagbot@v", body))
    assert owners <= {OWNER, "OWNER"}
    images = re.findall(rf"ghcr\.io/{OWNER}/tagbot:(\d[\w.]*)", body)
    assert set(images) <= {LATEST}
