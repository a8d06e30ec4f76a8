"""`rollback`: an environment's references to one image back to the version they held before
(from git history), as an ordinary plan that publishes like any other. The commit it makes
lowers the tag, so the next run treats it as a hold (pipeline/holds.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tagbot import editor, policy
from tagbot.errors import ConfigError, RegistryError
from tagbot.models import Environment, ImageRef, Occurrence, Problem, Update
from tagbot.pipeline.environments import newer, owner, tag_field
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


def earlier(config: Config, history: History, occ: Occurrence, change: Change) -> ImageRef | None:
    """The version before `change`; when that one is newer than what runs (`change` was itself
    a rollback), the newest older one before it: a second rollback goes further back, never
    to the tag the first one left. None when git shows none."""
    assert occ.image is not None
    back = previous(history, occ, change)
    if back is None or back.tag is None or forward(config, occ.image, back.tag) is None:
        return back
    spot = tag_field(occ)
    changes = history.changes(occ.path, spot.line) if spot else []
    shas = [c.sha for c in changes]
    for older in changes[shas.index(change.sha) + 1 :] if change.sha in shas else []:
        back = previous(history, occ, older)
        if back is None or back.tag is None:
            return None
        if back.tag != occ.image.tag and forward(config, occ.image, back.tag) is None:
            return back
    return None


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
    target = registry_target(config, mine[0].image, to) if mine and mine[0].image and to else None
    for occ in mine:
        assert occ.image is not None
        spot, tag = tag_field(occ), occ.image.tag
        change = history.introduction(occ.path, spot.line, tag) if spot and tag else None
        back = earlier(config, history, occ, change) if change else None
        if to is not None and target is not None:
            why = target[1] or forward(config, occ.image, to)
            if why is not None:
                problems.append(Problem(f"{occ.path}:{occ.line}", why))
                continue
            git_digest = back.digest if back is not None and back.tag == to else None
            back = occ.image.with_version(to, git_digest or target[0])
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


def registry_target(config: Config, image: ImageRef, to: str) -> tuple[str | None, str | None]:
    """The registry's digest of tag `to` of `image`, or why it cannot be rolled back to (the
    registry does not have it, or cannot say): a typo must not reach prod."""
    from tagbot.scanner import Scanner  # httpx costs ~100 ms: load it only when asked

    with Scanner(config.registry_options()) as scanner:
        listing = scanner.list_many([image]).get(image.name)
        if listing is None or isinstance(listing, RegistryError):
            return None, f"cannot check that {to} exists: {listing or 'not listed'}"
        if all(t.name != to for t in listing.tags):
            return None, f"no tag {to} in the registry"
        try:
            return scanner.get_digest(image, to), None
        except RegistryError as exc:
            return None, f"cannot read the digest of {to}: {exc}"


def forward(config: Config, image: ImageRef, to: str) -> str | None:
    """Why rolling `image` back to `to` is not a rollback: the policy has `to` newer than (or
    equal to) what runs. None when it is older, or the policy cannot tell."""
    spec = config.policy_for(image)
    if spec is None or image.tag is None or to == image.tag:
        return None
    if not newer(policy.build(spec), to, image.tag):
        return None
    return f"{to} is not older than {image.tag} (a rollback never moves forward; promote)"
