"""Auto-merge through the real SDKs: GitHub's GraphQL mutation and GitLab's merge when the
pipeline succeeds, against the fake forges."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagbot.errors import ProviderError
from tagbot.models import ProposalResult
from tagbot.provider import open_workspace, publish
from tagbot.provider.automerge import enable_automerge
from tagbot.provider.remote import Target, target_for
from tests.fakeforge import BareRepo, FakeGitHub, FakeGitLab
from tests.provider.conftest import Forge, forge_for
from tests.provider.helpers import API, Bumper

pytestmark = pytest.mark.integration


def opened(forge: Forge, tmp_path: Path) -> tuple[ProposalResult, Target]:
    ws = open_workspace(forge.options, tmp_path / "ws")
    bumper = Bumper(API, "app:1.0", "app:1.1")
    result = publish(ws, forge.options, bumper.changes(ws.root), bumper)
    return result, target_for(forge.options, ws.remote_url, ws.base)


def test_enables_the_forges_auto_merge_on_the_proposal(forge: Forge, tmp_path: Path) -> None:
    result, target = opened(forge, tmp_path)

    assert enable_automerge(target, result) is True

    if isinstance(forge.fake, FakeGitHub):
        [pull] = forge.fake.open_pulls()
        assert pull.auto_merge == "SQUASH"
    else:
        assert isinstance(forge.fake, FakeGitLab)
        [mr] = forge.fake.open_mrs()
        assert mr.merge_when_pipeline_succeeds and mr.remove_source_branch


def test_a_repository_without_auto_merge_is_a_provider_error(
    remote: BareRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeGitHub(remote) as fake:
        fake.auto_merge_allowed = False
        forge = forge_for(fake, monkeypatch)
        result, target = opened(forge, tmp_path)
        with pytest.raises(ProviderError, match="GitHub answered 400"):
            enable_automerge(target, result)
        assert fake.open_pulls()[0].auto_merge is None


def test_plain_git_and_numberless_proposals_have_nothing_to_merge(
    forge: Forge, tmp_path: Path
) -> None:
    result, target = opened(forge, tmp_path)

    assert enable_automerge(target, ProposalResult(result.branch)) is False
