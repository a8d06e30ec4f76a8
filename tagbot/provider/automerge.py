"""Approvals by update type: turn on the forge's auto-merge for a PR/MR tagbot opened (GitHub
auto-merge through GraphQL, GitLab "merge when pipeline succeeds"); the forge's own rules
(required reviews and checks) still decide when it merges."""

from __future__ import annotations

from tagbot.models import ProposalResult
from tagbot.provider import github, gitlab
from tagbot.provider.target import Target

MERGE_METHOD = "SQUASH"  # one commit per update on the base branch, as push mode makes


def enable_automerge(target: Target, proposal: ProposalResult) -> bool:
    """Turn on auto-merge for the PR/MR `proposal` names; False when the provider has none
    (plain git) or the proposal has no number. ProviderError when the forge refuses."""
    if proposal.number is None or target.provider not in ("github", "gitlab"):
        return False
    if target.provider == "github":
        with github._errors("GitHub"):
            pull = github._repo(target).get_pull(proposal.number)
            pull.enable_automerge(merge_method=MERGE_METHOD)
        return True
    with gitlab._errors():
        mr = gitlab._project(target).mergerequests.get(proposal.number)
        mr.merge(merge_when_pipeline_succeeds=True, should_remove_source_branch=True)
    return True
