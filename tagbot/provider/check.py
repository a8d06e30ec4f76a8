"""The forge credential checked with one API call, before anything is cloned or pushed."""

from __future__ import annotations

from tagbot.models import GitOptions
from tagbot.provider.forges import provider
from tagbot.provider.git import Workspace
from tagbot.provider.remote import target_for


def check_credential(ws: Workspace, options: GitOptions) -> None:
    """Ask the forge once whether `ws.credential` may see the project; ConfigError naming the
    variable when it is refused or the project is unknown. Later calls do nothing."""
    if ws.checked or options.provider == "git":
        return
    target = target_for(options, ws.remote_url, ws.base, ws.credential)
    provider(options.provider).forge.check(target)
    ws.checked = True
