"""Publishing with plain git against real bare remotes: push mode, PR branches, races, retries."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tagbot.errors import GitError
from tagbot.models import ProposalResult
from tagbot.provider import open_workspace, publish
from tests.fakeforge import BareRepo
from tests.fakeforge.gitrepo import git
from tests.provider.conftest import git_options
from tests.provider.helpers import API, SEED, WEB, Bumper

pytestmark = pytest.mark.integration


def race(job: Callable[[int], ProposalResult]) -> list[ProposalResult]:
    """Run `job(0)` and `job(1)` in two threads released together; re-raise what they raised."""
    start = threading.Barrier(2)
    results: list[ProposalResult] = []
    errors: list[BaseException] = []

    def run(i: int) -> None:
        start.wait()
        try:
            results.append(job(i))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def bump_app(new: str = "app:1.1") -> Bumper:
    return Bumper(API, "app:1.0", new)


# -- push mode ---------------------------------------------------------------------------------


def test_push_mode_commits_on_base_with_configured_author(remote: BareRepo, tmp_path: Path):
    options = git_options(remote)
    ws = open_workspace(options, tmp_path / "work")
    bumper = bump_app()
    changes = bumper.changes(ws.root)

    result = publish(ws, options, changes, bumper)

    assert result == ProposalResult("main", changed=True)
    assert remote.subjects("main") == [changes.title, "seed"]
    expected = SEED[API].replace("app:1.0", "app:1.1")
    assert remote.read("main", API) + "\n" == expected
    assert remote.show("main", "%an <%ae>|%cn <%ce>") == (
        "tagbot <bot@example.com>|tagbot <bot@example.com>"
    )
    assert remote.show("main", "%B").strip() == f"{changes.title}\n\n{changes.body.strip()}"
    assert (ws.root / API).read_text() == expected  # the checkout followed the push
    assert bumper.calls == 0


def test_push_mode_publishing_the_same_change_again_makes_no_commit(remote, tmp_path):
    options = git_options(remote)
    bumper = bump_app()
    first = open_workspace(options, tmp_path / "first")
    stale = bumper.changes(first.root)
    publish(first, options, stale, bumper)
    refs, pushes = remote.refs(), remote.pushes()

    second = open_workspace(options, tmp_path / "second")
    result = publish(second, options, stale, bumper)

    assert result == ProposalResult("main", changed=False)
    assert remote.refs() == refs
    assert remote.pushes() == pushes
    assert bumper.calls == 1  # the stale edit no longer applied, so the editor re-ran


def test_push_race_rebuilds_on_the_new_tip_and_keeps_both_updates(remote, tmp_path):
    options = git_options(remote)
    ws = open_workspace(options, tmp_path / "work")
    bumper = bump_app()
    changes = bumper.changes(ws.root)
    rival = remote.commit({API: SEED[API].replace("side:2.0", "side:2.1")}, "rival: side 2.1")

    result = publish(ws, options, changes, bumper)

    assert result.changed
    assert remote.subjects("main") == [changes.title, "rival: side 2.1", "seed"]
    assert git("--git-dir", str(remote.path), "rev-parse", "main~1") == rival
    text = remote.read("main", API)
    assert "image: app:1.1" in text and "image: side:2.1" in text
    assert bumper.calls == 1


def test_push_race_on_another_file_needs_no_editor_rerun(remote, tmp_path):
    options = git_options(remote)
    ws = open_workspace(options, tmp_path / "work")
    bumper = bump_app()
    changes = bumper.changes(ws.root)
    remote.commit({WEB: "image: web:3.1\n"}, "rival: web 3.1")

    publish(ws, options, changes, bumper)

    assert remote.subjects("main") == [changes.title, "rival: web 3.1", "seed"]
    assert remote.read("main", WEB) == "image: web:3.1"
    assert "image: app:1.1" in remote.read("main", API)
    assert bumper.calls == 0


def test_push_race_where_the_rival_pushed_the_same_update(remote, tmp_path):
    options = git_options(remote)
    ws = open_workspace(options, tmp_path / "work")
    bumper = bump_app()
    changes = bumper.changes(ws.root)
    remote.commit({API: SEED[API].replace("app:1.0", "app:1.1")}, "rival: app 1.1")

    result = publish(ws, options, changes, bumper)

    assert result == ProposalResult("main", changed=False)
    assert remote.subjects("main") == ["rival: app 1.1", "seed"]


def test_push_retries_are_bounded(remote, tmp_path):
    options = git_options(remote, push_retries=2)
    ws = open_workspace(options, tmp_path / "work")
    rivals = iter(range(1, 100))

    def rival_pushes_first() -> None:  # always touches our file: every rebuild re-runs the editor
        remote.commit({API: SEED[API].replace("side:2.0", f"side:2.{next(rivals)}")}, "rival")

    bumper = Bumper(API, "app:1.0", "app:1.1", before_call=rival_pushes_first)
    changes = bumper.changes(ws.root)
    rival_pushes_first()

    with pytest.raises(GitError, match="rejected 3 times"):
        publish(ws, options, changes, bumper)

    assert bumper.calls == 2
    assert "app:1.1" not in remote.read("main", API)
    assert remote.subjects("main") == ["rival"] * 3 + ["seed"]


def test_a_refusing_remote_is_not_retried(remote, tmp_path):
    remote.install_hook("pre-receive", "#!/bin/sh\necho 'main is protected' >&2\nexit 1\n")
    options = git_options(remote)
    ws = open_workspace(options, tmp_path / "work")
    bumper = bump_app()

    with pytest.raises(GitError, match="pre-receive hook declined") as caught:
        publish(ws, options, bumper.changes(ws.root), bumper)

    assert "main is protected" in str(caught.value)
    assert bumper.calls == 0
    assert remote.subjects("main") == ["seed"]


def test_two_publishers_racing_on_the_base_lose_nothing(remote, tmp_path):
    options = git_options(remote, push_retries=5)
    jobs = [bump_app(), Bumper(WEB, "web:3.0", "web:3.1")]
    spaces = [open_workspace(options, tmp_path / f"w{i}") for i in range(2)]
    changes = [job.changes(ws.root) for job, ws in zip(jobs, spaces, strict=True)]
    results = race(lambda i: publish(spaces[i], options, changes[i], jobs[i]))

    assert [r.changed for r in results] == [True, True]
    assert sorted(remote.subjects("main")) == sorted([c.title for c in changes] + ["seed"])
    assert "image: app:1.1" in remote.read("main", API)
    assert remote.read("main", WEB) == "image: web:3.1"


# -- pull-request mode with plain git ----------------------------------------------------------


def test_pr_mode_pushes_one_commit_on_its_branch_and_leaves_the_checkout(remote, tmp_path):
    options = git_options(remote, mode="pull-request")
    ws = open_workspace(options, tmp_path / "work")
    bumper = bump_app()
    changes = bumper.changes(ws.root)

    result = publish(ws, options, changes, bumper)

    assert result == ProposalResult(
        "tagbot/app", url=None, number=None, created=False, changed=True
    )
    assert remote.subjects("tagbot/app") == [changes.title, "seed"]
    assert remote.subjects("main") == ["seed"]
    assert "image: app:1.1" in remote.read("tagbot/app", API)
    assert (ws.root / API).read_text() == SEED[API]
    assert git("status", "--porcelain", cwd=ws.root) == ""


def test_pr_mode_rerun_with_nothing_new_pushes_nothing(remote, tmp_path):
    options = git_options(remote, mode="pull-request")
    bumper = bump_app()
    first = open_workspace(options, tmp_path / "first")
    publish(first, options, bumper.changes(first.root), bumper)
    refs, pushes = remote.refs(), remote.pushes()

    second = open_workspace(options, tmp_path / "second")
    result = publish(second, options, bumper.changes(second.root), bumper)

    assert result == ProposalResult("tagbot/app", changed=False)
    assert remote.refs() == refs
    assert remote.pushes() == pushes


def test_pr_branch_is_kept_when_the_base_moves_elsewhere(remote, tmp_path):
    options = git_options(remote, mode="pull-request")
    bumper = bump_app()
    first = open_workspace(options, tmp_path / "first")
    publish(first, options, bumper.changes(first.root), bumper)
    branch = remote.sha("tagbot/app")
    remote.commit({WEB: "image: web:3.1\n"}, "unrelated")

    second = open_workspace(options, tmp_path / "second")
    result = publish(second, options, bumper.changes(second.root), bumper)

    assert not result.changed
    assert remote.sha("tagbot/app") == branch


def test_pr_branch_is_rebuilt_when_the_base_changes_the_edited_file(remote, tmp_path):
    options = git_options(remote, mode="pull-request")
    bumper = bump_app()
    first = open_workspace(options, tmp_path / "first")
    publish(first, options, bumper.changes(first.root), bumper)
    tip = remote.commit({API: SEED[API].replace("side:2.0", "side:2.1")}, "side 2.1")

    second = open_workspace(options, tmp_path / "second")
    result = publish(second, options, bumper.changes(second.root), bumper)

    assert result.changed
    assert git("--git-dir", str(remote.path), "rev-parse", "tagbot/app~1") == tip
    text = remote.read("tagbot/app", API)
    assert "image: app:1.1" in text and "image: side:2.1" in text


def test_a_newer_tag_replaces_the_branch_commit(remote, tmp_path):
    options = git_options(remote, mode="pull-request")
    first = open_workspace(options, tmp_path / "first")
    older = bump_app("app:1.1")
    publish(first, options, older.changes(first.root), older)

    second = open_workspace(options, tmp_path / "second")
    newer = bump_app("app:1.2")
    changes = newer.changes(second.root)
    result = publish(second, options, changes, newer)

    assert result.changed
    assert remote.subjects("tagbot/app") == [changes.title, "seed"]
    assert "image: app:1.2" in remote.read("tagbot/app", API)


def test_two_runs_racing_on_one_pr_branch_leave_one_commit(remote, tmp_path):
    options = git_options(remote, mode="pull-request")
    jobs = [bump_app(), bump_app()]
    spaces = [open_workspace(options, tmp_path / f"w{i}") for i in range(2)]
    changes = [job.changes(ws.root) for job, ws in zip(jobs, spaces, strict=True)]
    race(lambda i: publish(spaces[i], options, changes[i], jobs[i]))

    assert len(remote.subjects("tagbot/app")) == 2
    assert [line.split()[2] for line in remote.pushes()].count("refs/heads/tagbot/app") == 1


def test_pr_mode_never_replaces_the_base_branch(remote, tmp_path):
    options = git_options(remote, mode="pull-request")
    ws = open_workspace(options, tmp_path / "work")
    bumper = bump_app()

    with pytest.raises(GitError, match="refusing to replace the base branch main"):
        publish(ws, options, bumper.changes(ws.root, branch="main"), bumper)

    assert remote.subjects("main") == ["seed"]


# -- the local checkout ("."), and failures ----------------------------------------------------


def test_local_checkout_push_mode_fast_forwards_it(remote, tmp_path):
    checkout = tmp_path / "checkout"
    git("clone", "--quiet", remote.url, str(checkout))
    (checkout / "apps").mkdir(exist_ok=True)
    options = git_options(remote, repository=".")
    ws = open_workspace(options, tmp_path / "unused", cwd=checkout / "apps")
    bumper = bump_app()

    publish(ws, options, bumper.changes(ws.root), bumper)

    assert ws.root == checkout
    assert git("rev-parse", "HEAD", cwd=checkout) == remote.sha("main")
    assert "image: app:1.1" in (checkout / API).read_text()
    assert not (tmp_path / "unused").exists()


@pytest.mark.parametrize("wrote", [True, False], ids=["caller-wrote-the-files", "untouched"])
def test_local_checkout_keeps_unrelated_changes_when_following_the_push(remote, tmp_path, wrote):
    checkout = tmp_path / "checkout"
    git("clone", "--quiet", remote.url, str(checkout))
    (checkout / WEB).write_text("image: web:9.9  # my local experiment\n")
    options = git_options(remote, repository=".")
    ws = open_workspace(options, tmp_path / "unused", cwd=checkout)
    bumper = bump_app()
    changes = bumper.changes(ws.root)
    if wrote:
        (checkout / API).write_text(changes.edits[0].after)

    publish(ws, options, changes, bumper)

    assert git("rev-parse", "HEAD", cwd=checkout) == remote.sha("main")
    assert git("diff", "--name-only", cwd=checkout) == WEB  # the experiment stays, unstaged
    assert git("diff", "--cached", "--name-only", cwd=checkout) == ""
    assert "image: app:1.1" in (checkout / API).read_text()


def test_local_checkout_pr_mode_leaves_head_and_files_alone(remote, tmp_path):
    checkout = tmp_path / "checkout"
    git("clone", "--quiet", remote.url, str(checkout))
    head = git("rev-parse", "HEAD", cwd=checkout)
    options = git_options(remote, repository=".", mode="pull-request")
    ws = open_workspace(options, tmp_path / "unused", cwd=checkout)
    bumper = bump_app()

    publish(ws, options, bumper.changes(ws.root), bumper)

    assert "image: app:1.1" in remote.read("tagbot/app", API)
    assert git("rev-parse", "HEAD", cwd=checkout) == head
    assert git("status", "--porcelain", cwd=checkout) == ""


def test_outside_a_repository_is_a_git_error(tmp_path):
    options = git_options(BareRepo(tmp_path / "r.git"), repository=".")
    with pytest.raises(GitError, match="not a git repository"):
        open_workspace(options, tmp_path / "work", cwd=tmp_path)
