"""Commits made by the forge (`git.commit_via: api`): GitHub GraphQL `createCommitOnBranch` and
GitLab's commits API, in push and PR mode, stored by the fakes in the real bare repository."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tagbot.errors import ConfigError
from tagbot.provider import open_workspace, preflight, publish
from tests.fakeforge.gitrepo import blob_bytes
from tests.provider.conftest import Forge, git_options
from tests.provider.helpers import API, SEED, Bumper, seen

pytestmark = pytest.mark.integration
CRLF = "deploy/crlf.yaml"
TEXT = "\ufeffimage: app:1.0 # keep\r\nreplicas: 2\r\n"


def publish_once(forge: Forge, tmp_path: Path, bumper: Bumper, name: str = "work", **overrides):
    options = replace(forge.options, commit_via="api", **overrides)
    ws = open_workspace(options, tmp_path / name)
    preflight(ws, options)
    return ws, publish(ws, options, bumper.changes(ws.root), bumper)


def test_push_mode_commit_holds_exactly_the_spliced_bytes(forge: Forge, tmp_path: Path):
    repo = forge.fake.repo
    repo.commit({CRLF: TEXT}, "a CRLF file with a BOM")
    bumper = Bumper(CRLF, "app:1.0", "app:1.1")

    ws, result = publish_once(forge, tmp_path, bumper, mode="push")

    assert result.changed
    assert blob_bytes(repo, "main", CRLF) == TEXT.replace("1.0", "1.1").encode()
    assert forge.fake.commits.made == [repo.sha("main")]
    assert repo.subjects("main")[:2] == [bumper.changes(ws.root).title, "a CRLF file with a BOM"]
    assert ws.base_sha == repo.sha("main")  # the next change set builds on the forge's commit
    assert repo.pushes()[-1].endswith("refs/heads/main") is True  # the seed's push, not ours
    assert len(repo.pushes()) == 2


def test_pr_mode_creates_then_rebuilds_the_branch_by_api(forge: Forge, tmp_path: Path):
    repo = forge.fake.repo
    _, first = publish_once(forge, tmp_path, Bumper(API, "app:1.0", "app:1.1"), "first")
    newer = Bumper(API, "app:1.0", "app:1.2")

    ws, second = publish_once(forge, tmp_path, newer, "second")

    assert first.created and second.changed and not second.created
    assert repo.subjects("tagbot/app") == [newer.changes(ws.root).title, "seed"]
    assert blob_bytes(repo, "tagbot/app", API) == SEED[API].replace("app:1.0", "app:1.2").encode()
    assert len(forge.fake.commits.made) == 2 and repo.sha("main") == ws.base_sha
    [pr] = seen(forge.fake)
    assert pr.head == "tagbot/app" and pr.open


def test_a_rerun_with_nothing_new_makes_no_commit(forge: Forge, tmp_path: Path):
    publish_once(forge, tmp_path, Bumper(API, "app:1.0", "app:1.1"), "first")
    calls = len(forge.fake.commits.calls)

    _, again = publish_once(forge, tmp_path, Bumper(API, "app:1.0", "app:1.1"), "second")

    assert not again.changed
    assert len(forge.fake.commits.calls) == calls


def test_a_race_on_the_head_is_retried_like_a_rejected_push(forge: Forge, tmp_path: Path):
    repo = forge.fake.repo
    rival = SEED[API].replace("side:2.0", "side:2.1")

    def rival_commits_first() -> None:
        forge.fake.commits.before = None
        repo.commit({API: rival}, "rival: side 2.1")

    forge.fake.commits.before = rival_commits_first
    bumper = Bumper(API, "app:1.0", "app:1.1")

    _, result = publish_once(forge, tmp_path, bumper, mode="push")

    assert result.changed and forge.fake.commits.stale == 1
    assert bumper.calls == 1  # rebuilt on the rival's commit, as after a rejected push
    text = repo.read("main", API)
    assert "image: app:1.1" in text and "image: side:2.1" in text
    assert repo.subjects("main")[1:] == ["rival: side 2.1", "seed"]


def test_api_commits_need_a_forge(remote, tmp_path: Path):
    options = git_options(remote, commit_via="api")
    ws = open_workspace(options, tmp_path / "work")
    with pytest.raises(ConfigError, match="commit_via api needs provider github or gitlab"):
        preflight(ws, options)


@pytest.mark.parametrize("via", ["git", "api"])
def test_an_edit_flagged_bom_is_committed_with_its_bom(forge: Forge, tmp_path: Path, via: str):
    repo = forge.fake.repo
    repo.commit({CRLF: TEXT}, "a CRLF file with a BOM")
    options = replace(forge.options, mode="push", commit_via=via)
    ws = open_workspace(options, tmp_path / "work")
    bumper = Bumper(CRLF, "app:1.0", "app:1.1")
    [edit] = bumper.edits(ws.root)
    unmarked = replace(edit, before=edit.before[1:], after=edit.after[1:], bom=True)
    changes = replace(bumper.changes(ws.root), edits=(unmarked,))

    assert publish(ws, options, changes, bumper).changed

    assert blob_bytes(repo, "main", CRLF) == TEXT.replace("1.0", "1.1").encode()
    assert bumper.calls == 0  # the flagged edit matched the file as it is
