"""Fake GitHub and GitLab REST servers on loopback, backed by real bare git repositories."""

from tests.fakeforge.github import FakeGitHub, Pull
from tests.fakeforge.gitlab import FakeGitLab, MergeRequest
from tests.fakeforge.gitrepo import BareRepo, isolated_git_env

__all__ = ["BareRepo", "FakeGitHub", "FakeGitLab", "MergeRequest", "Pull", "isolated_git_env"]
