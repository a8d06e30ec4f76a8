"""The forge credential checked with one API call, before anything is cloned or pushed."""

from __future__ import annotations

from tagbot.models import GitOptions
from tagbot.provider.forges import provider
from tagbot.provider.git import Workspace
from tagbot.provider.remote import target_for


def needs_api(options: GitOptions) -> bool:
    """True when publishing talks to the forge's API: PR/MR mode, or commits made by the API."""
    return options.provider != "git" and (
        options.mode == "pull-request" or options.commit_via == "api"
    )


def check_credential(ws: Workspace, options: GitOptions) -> None:
    """Ask the forge once whether `ws.credential` may see the project; ConfigError naming the
    variable when it is refused or the project is unknown. Nothing when publishing needs no
    API (push mode over git: git itself says when it refuses the token), or when asked before."""
    if ws.checked or not needs_api(options):
        return
    target = target_for(options, ws.remote_url, ws.base, ws.credential)
    provider(options.provider).forge.check(target)
    ws.checked = True
