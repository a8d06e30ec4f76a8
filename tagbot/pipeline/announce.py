"""What a run tells chat and webhooks: one message per change set published (image, old -> new,
environment, link) and one per failure; sent by `tagbot.notify`."""

from __future__ import annotations

from collections.abc import Sequence

from tagbot.models import NotifyOptions, Problem
from tagbot.notify import Message, send
from tagbot.pipeline.approvals import Outcome


def published(outcome: Outcome, environment: str | None) -> Message | None:
    """The message of a change set that changed something; None when it did not."""
    result = outcome.result
    if result is None or not result.changed:
        return None
    lines = []
    for edit in outcome.changes.edits:
        for update in edit.updates:
            image = update.occurrence.image.familiar if update.occurrence.image else "?"
            lines.append(f"- {image}: {update.old_tag} → {update.new_tag} ({edit.path})")
    if environment:
        lines.append(f"- environment: {environment}")
    if result.url:
        verb = "opened" if result.created else "updated"
        lines.append(f"- pull request {verb}: {result.url}")
        if outcome.automerge:
            lines.append("- auto-merge enabled")
    else:
        lines.append(f"- pushed to {result.branch}")
    return Message(outcome.changes.title, "\n".join(dict.fromkeys(lines)), "success")


def merged(title: str, url: str, environment: str | None) -> Message:
    """The message of a PR/MR of tagbot's that the forge merged."""
    lines = [f"- merged: {url}"] + ([f"- environment: {environment}"] if environment else [])
    return Message(f"merged: {title}", "\n".join(lines), "success")


def failure(where: Sequence[str], error: str, environment: str | None = None) -> Message:
    """The message of a failure at `where` (images, a branch)."""
    suffix = f" ({environment})" if environment else ""
    return Message(f"tagbot failed{suffix}: {', '.join(where)}", error, "failure")


def announce(
    options: NotifyOptions, outcomes: Sequence[Outcome], problems: Sequence[Problem]
) -> list[Problem]:
    """Notify each change set published and each publishing problem; problems for the
    notifications that were not delivered."""
    messages = [m for o in outcomes if (m := published(o, options.environment))]
    for problem in problems:
        messages.append(failure([problem.where], problem.error, options.environment))
    return [Problem("notifications", error) for error in send(options, messages)]
