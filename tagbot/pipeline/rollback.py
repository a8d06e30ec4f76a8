"""`rollback`: an environment's references to one image back to the version they held before
(from git history), as an ordinary plan that publishes like any other. The commit it makes
lowers the tag, so the next run treats it as a hold (pipeline/holds.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tagbot import editor
from tagbot.errors import ConfigError
from tagbot.models import Environment, ImageRef, Occurrence, Problem, Update
from tagbot.pipeline.environments import owner, tag_field
from tagbot.pipeline.files import discover
from tagbot.pipeline.history import Change, History, value_before
from tagbot.pipeline.plan import Plan, edit_plan

if TYPE_CHECKING:
    from tagbot.config import Config


def environment_named(config: Config, name: str) -> Environment:
    """The environment called `name`; ConfigError naming the known ones otherwise."""
    envs = config.environment_records()
    found = next((e for e in envs if e.name == name), None)
    if found is None:
        known = ", ".join(e.name for e in envs) or "none: add `environments:` to tagbot.yaml"
        raise ConfigError(f"unknown environment {name!r} (known: {known})")
    return found


def previous(history: History, occ: Occurrence, change: Change) -> ImageRef | None:
    """The version `occ` held just before `change` put its tag there: the same reference in
    the file's previous text, else the token the line held; None when there was none."""
    assert occ.image is not None and occ.image.tag is not None
    text = history.before(change, occ.path)
    if text is not None:
        for old in editor.extract(occ.path, text).occurrences:
            if old.locator == occ.locator and old.image and old.image.name == occ.image.name:
                return old.image
    tag = value_before(change, occ.image.tag)
    return occ.image.with_version(tag, None) if tag else None


def plan_rollback(
    config: Config, root: Path, image: str, env: Environment, to: str | None = None
) -> Plan:
    """Move every reference to `image` (normalised name) in `env` back to the version before
    its current one (or to tag `to`); a reference with no earlier version is a problem."""
    found = discover([root], config.wants, config.stated_references())
    history = History(root)
    updates: list[Update] = []
    problems: list[Problem] = []
    if history.problem is not None and to is None:
        problems.append(Problem(image, history.problem))
    mine = [
        o
        for o in found.occurrences
        if o.rewritable and o.image and o.image.name == image and owner([env], o.path)
    ]
    if not mine:
        problems.append(Problem(image, f"no reference to it in environment {env.name}"))
    for occ in mine:
        assert occ.image is not None
        spot, tag = tag_field(occ), occ.image.tag
        change = history.introduction(occ.path, spot.line, tag) if spot and tag else None
        back = previous(history, occ, change) if change else None
        if to is not None:
            digest = back.digest if back is not None and back.tag == to else None
            back = occ.image.with_version(to, digest)
        if back is None or back.tag is None:
            problems.append(Problem(f"{occ.path}:{occ.line}", "no earlier version in git history"))
            continue
        if back.tag == tag and back.digest == occ.image.digest:
            continue
        since = f" (set in {change.sha[:7]} by {change.author})" if change else ""
        reason = f"roll back {env.name} from {tag}{since} to {back.tag}"
        digest = back.digest if occ.image.digest else None
        updates.append(Update(occ, back.tag, digest, reason))
    return edit_plan(found, updates, problems)
