"""Notifications through apprise (Slack, Teams, Discord, Matrix, email, JSON webhooks): the URLs
come from the environment variables the config names, never from the file, never from logs."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from tagbot import redact
from tagbot.models import NotifyOptions

log = logging.getLogger(__name__)
Level = Literal["info", "success", "failure"]
_SPLIT = re.compile(r"[\s,]+")
INSTALL = "notifications need apprise: pip install 'tagbot[server]'"


@dataclass(frozen=True)
class Message:
    """One notification: a title, a Markdown body, and how it went."""

    title: str
    body: str
    level: Level = "info"


def urls(options: NotifyOptions) -> list[str]:
    """The apprise URLs in the variables `options` names (space- or comma-separated), each
    registered as a secret: a webhook URL is a credential."""
    found: list[str] = []
    for name in options.urls_env:
        for url in _SPLIT.split(os.environ.get(name, "")):
            if url:
                redact.register(url)
                found.append(url)
    return found


def send(options: NotifyOptions, messages: Sequence[Message]) -> list[str]:
    """Send each message to every URL; the errors (scrubbed), empty when all went out."""
    targets = urls(options)
    if not targets or not messages:
        return []
    try:
        import apprise
    except ImportError:
        log.warning(INSTALL)
        return [INSTALL]
    sender = apprise.Apprise()
    for url in targets:
        if not sender.add(url):
            # Never the URL itself: it holds the webhook's token.
            log.warning("notification URL not understood by apprise")
    errors = []
    for message in messages:
        kind = getattr(apprise.NotifyType, message.level.upper())
        ok = sender.notify(
            body=message.body, title=message.title, notify_type=kind, body_format="markdown"
        )
        if not ok:
            errors.append(f"notification not delivered: {message.title}")
            log.warning("notification not delivered", extra={"title": message.title})
    return errors
