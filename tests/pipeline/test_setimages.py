"""Tests for tagbot/pipeline/setimages.py: `set` as a library, hostile input, and safe writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagbot.errors import ConfigError, InvalidReference
from tagbot.models import ImageRef
from tagbot.pipeline import setimages as setter

DEPLOY = "spec:\n  containers:\n    - name: web\n      image: nginx:1.27.0 # web\n"


@pytest.fixture
def deploy(tmp_path: Path) -> Path:
    path = tmp_path / "web.yaml"
    path.write_text(DEPLOY)
    return path


def test_parse_targets_rejects_conflicts_and_missing_tags() -> None:
    assert [str(t) for t in setter.parse_targets(["nginx:1", "docker.io/library/nginx:1"])] == [
        "nginx:1"
    ]
    with pytest.raises(ConfigError, match="given twice"):
        setter.parse_targets(["nginx:1", "nginx:2"])
    with pytest.raises(ConfigError, match="has no tag"):
        setter.parse_targets(["nginx@sha256:" + "a" * 64])
    with pytest.raises(InvalidReference):
        setter.parse_targets(["nginx:1.0\n  evil: x"])


@pytest.mark.parametrize(
    "tag",
    ["1.0\n  evil: x", 'a"b', "$(rm)", "a" * 129, "1.0 # c"],
    ids=["newline-key", "quote", "shell", "129-chars", "comment"],
)
def test_hostile_tag_from_code_is_refused_and_nothing_written(deploy: Path, tag: str) -> None:
    plan = setter.plan_set([ImageRef("docker.io", "library/nginx", tag)], [deploy])
    assert plan.files == ()
    assert len(plan.problems) == 1
    assert plan.problems[0].error.startswith("refused edit at line 4: invalid tag")
    written, failed = setter.write(plan)
    assert written == () and failed == ()
    assert deploy.read_text() == DEPLOY


def test_not_rewritable_matches_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "web.yaml"
    digest = "sha256:" + "a" * 64
    path.write_text(
        f"containers:\n- image: nginx\n- image: nginx@{digest}\n- image: nginx:{{{{ .V }}}}\n"
    )
    plan = setter.plan_set(setter.parse_targets(["nginx:1"]), [path])
    assert [p.error for p in plan.problems] == [
        "image nginx matched no rewritable reference (2 not rewritable)"
    ]
    assert plan.unmatched == (ImageRef("docker.io", "library/nginx", "1"),)


def test_file_changed_on_disk_is_not_overwritten(deploy: Path) -> None:
    plan = setter.plan_set(setter.parse_targets(["nginx:1.27.1"]), [deploy])
    assert len(plan.files) == 1
    deploy.write_text(DEPLOY + "# edited by someone else\n")
    written, failed = setter.write(plan)
    assert written == ()
    assert [p.error for p in failed] == ["changed on disk since it was read; not written"]
    assert deploy.read_text() == DEPLOY + "# edited by someone else\n"


def test_write_replaces_the_file_atomically(deploy: Path) -> None:
    plan = setter.plan_set(setter.parse_targets(["nginx:1.27.1"]), [deploy])
    with deploy.open() as reader:  # a reader holding the old file sees it whole
        written, failed = setter.write(plan)
        assert reader.read() == DEPLOY
    assert (len(written), failed) == (1, ())
    assert deploy.read_text() == DEPLOY.replace("1.27.0", "1.27.1")
    assert sorted(p.name for p in deploy.parent.iterdir()) == ["web.yaml"]  # no temp file left


def test_plan_is_shared_by_dry_run_and_write(deploy: Path) -> None:
    plan = setter.plan_set(setter.parse_targets(["nginx:1.27.1"]), [deploy])
    diff = plan.files[0].edit.diff()
    setter.write(plan)
    assert "-      image: nginx:1.27.0 # web\n+      image: nginx:1.27.1 # web\n" in diff
    assert [u.new_tag for u in plan.updates] == ["1.27.1"]
