"""GitHub PRs and GitLab MRs through the real SDKs, against fake forges over a real bare repo."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest

from tagbot.errors import ConfigError
from tagbot.provider import close_superseded, open_workspace, preflight, publish
from tests.fakeforge import FakeGitHub, FakeGitLab
from tests.provider.conftest import Forge, forge_for, git_options
from tests.provider.helpers import API, Bumper, seen

pytestmark = pytest.mark.integration


def open_app_pr(forge: Forge, tmp_path: Path, new: str = "app:1.1", name: str = "first"):
    ws = open_workspace(forge.options, tmp_path / name)
    bumper = Bumper(API, "app:1.0", new)
    changes = bumper.changes(ws.root)
    return changes, publish(ws, forge.options, changes, bumper)


def test_creates_a_proposal_with_labels_and_reviewers(forge: Forge, tmp_path):
    changes, result = open_app_pr(forge, tmp_path)

    [pr] = seen(forge.fake)
    assert (result.created, result.changed, result.number) == (True, True, pr.number)
    assert result.url and result.url.startswith(forge.fake.origin)
    assert (pr.head, pr.base, pr.title, pr.body) == (
        "tagbot/app",
        "main",
        changes.title,
        changes.body,
    )
    assert pr.open and pr.labels == ("dependencies",) and pr.reviewers == ("alice",)
    assert "image: app:1.1" in forge.fake.repo.read("tagbot/app", API)


def test_rerun_with_nothing_new_changes_nothing(forge: Forge, tmp_path):
    open_app_pr(forge, tmp_path)
    before, refs = seen(forge.fake), forge.fake.repo.refs()

    _, result = open_app_pr(forge, tmp_path, name="second")

    assert (result.created, result.changed) == (False, False)
    assert result.number == before[0].number
    assert seen(forge.fake) == before  # same revision: not one write to the PR
    assert forge.fake.repo.refs() == refs


def test_a_newer_tag_updates_the_open_proposal(forge: Forge, tmp_path):
    _, first = open_app_pr(forge, tmp_path)
    head = forge.fake.repo.sha("tagbot/app")

    changes, second = open_app_pr(forge, tmp_path, new="app:1.2", name="second")

    [pr] = seen(forge.fake)
    assert (second.number, second.created, second.changed) == (first.number, False, True)
    assert (pr.title, pr.body) == (changes.title, changes.body)
    assert forge.fake.repo.sha("tagbot/app") != head
    assert forge.fake.repo.subjects("tagbot/app") == [changes.title, "seed"]
    assert pr.reviewers == ("alice",)  # requested once, when the proposal was opened


def test_already_exists_is_success(forge: Forge, tmp_path):
    _, first = open_app_pr(forge, tmp_path)
    forge.fake.hide_open = 1  # our look misses the PR, as if another run had just opened it

    changes, second = open_app_pr(forge, tmp_path, new="app:1.2", name="second")

    [pr] = seen(forge.fake)
    assert (second.number, second.created) == (first.number, False)
    assert pr.title == changes.title


def test_labels_added_to_the_config_reach_the_open_proposal(forge: Forge, tmp_path):
    open_app_pr(forge, tmp_path)
    forge.options = replace(forge.options, labels=("dependencies", "tagbot"))

    _, result = open_app_pr(forge, tmp_path, name="second")

    [pr] = seen(forge.fake)
    assert result.changed
    assert pr.labels == ("dependencies", "tagbot")


def test_close_superseded_closes_only_tagbot_proposals_named(forge: Forge, tmp_path):
    open_app_pr(forge, tmp_path)
    ws = open_workspace(forge.options, tmp_path / "side")
    side = Bumper(API, "side:2.0", "side:2.1")
    publish(ws, forge.options, side.changes(ws.root, branch="tagbot/side"), side)

    closed = close_superseded(ws, forge.options, {"tagbot/side", "feature/x", "tagbot/gone"})

    assert [c.branch for c in closed] == ["tagbot/side"]
    app, side_pr = seen(forge.fake)
    assert app.open and not app.comments
    assert not side_pr.open
    assert side_pr.comments == ("Superseded by a newer update from tagbot; closing.",)


def test_a_missing_token_stops_before_pushing(forge: Forge, tmp_path, monkeypatch):
    monkeypatch.delenv(f"{forge.name.upper()}_TOKEN")
    refs = forge.fake.repo.refs()

    with pytest.raises(ConfigError, match=f"{forge.name.upper()}_TOKEN"):
        open_app_pr(forge, tmp_path)

    assert forge.fake.repo.refs() == refs


def test_a_refused_token_stops_before_anything_is_pushed(forge: Forge, tmp_path, monkeypatch):
    variable = f"{forge.name.upper()}_TOKEN"
    monkeypatch.setenv(variable, "wrong-token-1234")
    refs = forge.fake.repo.refs()

    with pytest.raises(ConfigError, match=rf"refused the token in \${variable} \(401") as caught:
        open_app_pr(forge, tmp_path)

    assert caught.value.exit_code == 2
    assert "wrong-token-1234" not in str(caught.value)
    assert seen(forge.fake) == []
    assert forge.fake.repo.refs() == refs  # no orphan branch


def test_github_team_reviewers(remote, tmp_path, monkeypatch):
    with FakeGitHub(remote) as fake:
        forge = forge_for(fake, monkeypatch, reviewers=("alice", "acme/platform"))
        open_app_pr(forge, tmp_path)

        assert seen(fake)[0].reviewers == ("alice", "team:platform")


def test_gitlab_unknown_reviewer_is_skipped_with_a_warning(remote, tmp_path, monkeypatch, caplog):
    with FakeGitLab(remote) as fake, caplog.at_level(logging.WARNING, logger="tagbot"):
        forge = forge_for(fake, monkeypatch, reviewers=("nobody", "bob"))
        open_app_pr(forge, tmp_path)

        assert seen(fake)[0].reviewers == ("bob",)
        assert "user not found" in caplog.text


def test_a_wrong_token_with_a_clone_url_says_the_token_was_refused(remote, tmp_path, monkeypatch):
    with FakeGitHub(remote) as fake:
        options = forge_for(fake, monkeypatch).options
        monkeypatch.setenv("GITHUB_TOKEN", "ghs-wrong-token-77")
        options = replace(options, repository=fake.git_url)

        with pytest.raises(ConfigError, match=r"refused the token in \$GITHUB_TOKEN") as caught:
            open_workspace(options, tmp_path / "work")

    assert caught.value.exit_code == 2 and "ghs-wrong-token-77" not in str(caught.value)


def test_a_clone_url_over_http_uses_the_token_for_git_too(forge: Forge, tmp_path):
    forge.options = replace(forge.options, repository=forge.fake.git_url)

    _, result = open_app_pr(forge, tmp_path)

    assert result.created
    assert "image: app:1.1" in forge.fake.repo.read("tagbot/app", API)


def test_gitlab_ci_job_token_pushes_but_cannot_open_merge_requests(remote, tmp_path, monkeypatch):
    with FakeGitLab(remote, job_token="job-token-5150") as fake:
        options = forge_for(fake, monkeypatch, repository=fake.git_url, mode="push").options
        monkeypatch.delenv("GITLAB_TOKEN")
        monkeypatch.setenv("CI_JOB_TOKEN", "job-token-5150")
        ws = open_workspace(options, tmp_path / "push")
        preflight(ws, options)
        bumper = Bumper(API, "app:1.0", "app:1.1")
        assert publish(ws, options, bumper.changes(ws.root), bumper).changed
        assert "image: app:1.1" in remote.read("main", API)

        pr_mode = replace(options, mode="pull-request")
        ws = open_workspace(pr_mode, tmp_path / "pr")
        with pytest.raises(ConfigError, match=r"\$CI_JOB_TOKEN is GitLab's CI job token"):
            preflight(ws, pr_mode)


def test_a_forge_echoing_the_token_in_a_url_never_leaks_it(remote, tmp_path, monkeypatch):
    with FakeGitHub(remote) as fake:
        fake.echo_token = True
        forge = forge_for(fake, monkeypatch)
        _, result = open_app_pr(forge, tmp_path)

    assert result.url and fake.token not in result.url and "***" in result.url


def test_assignees_are_set_on_new_proposals(forge: Forge, tmp_path):
    forge.options = replace(forge.options, assignees=("bob",))
    open_app_pr(forge, tmp_path)

    if isinstance(forge.fake, FakeGitHub):
        assert forge.fake.pulls[1].assignees == ["bob"]
    else:
        assert forge.fake.mrs[1].assignee_ids == [forge.fake.users["bob"]]


def test_push_mode_over_git_asks_no_api(remote, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghs-only-for-git")
    options = git_options(remote, provider="github", api_url="http://127.0.0.1:9/api/v3")
    ws = open_workspace(options, tmp_path / "work")  # port 9 (discard): any API call would fail
    preflight(ws, options)
    bumper = Bumper(API, "app:1.0", "app:1.1")

    assert publish(ws, options, bumper.changes(ws.root), bumper).changed
