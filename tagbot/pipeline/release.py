"""`release`: lift the holds on one image in one environment by editing `.tagbot/holds.yaml`
(its holds removed, the rollbacks git shows recorded as released), published like any change."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tagbot import policy
from tagbot.editor import textio
from tagbot.models import ChangeSet, Environment, FileEdit, Problem
from tagbot.pipeline import holds
from tagbot.pipeline.changes import slug
from tagbot.pipeline.environments import holds_on, owner, place
from tagbot.pipeline.files import discover
from tagbot.pipeline.history import History

if TYPE_CHECKING:
    from tagbot.config import Config


def to_release(
    config: Config, root: Path, image: str, env: Environment
) -> tuple[list[holds.Hold], list[Problem]]:
    """What holds `image` (normalised) in `env`: the holds file's entries and the rollbacks
    git shows; a problem when nothing does."""
    file = holds.read(root)
    problems: list[Problem] = []
    found = discover([root], config.wants, config.stated_references())
    mine = [
        o
        for o in found.occurrences
        if o.rewritable and o.image and o.image.name == image and owner([env], o.path)
    ]
    spec = config.policy_for(mine[0].image) if mine and mine[0].image else None
    held = list(file.held(image, env.name))
    if mine and spec is not None:
        held = holds_on(image, place(env, mine, History(root)), policy.build(spec), file)
    if not held:
        problems.append(Problem(image, f"nothing holds it in environment {env.name}"))
    return held, problems


def release_edit(root: Path, image: str, env: Environment, held: list[holds.Hold]) -> FileEdit:
    """The holds file under `root` with `held` released: its own entries for `image` in `env`
    removed, the rollbacks recorded under `released`."""
    file = holds.read(root)
    path = root / holds.HOLDS_FILE
    before = textio.read(path).text if path.is_file() else ""
    kept = [h for h in file.holds if (h.image, h.environment) != (image, env.name)]
    from_git = [replace(h, why="") for h in held if h not in file.holds]
    released = file.released + [h for h in from_git if not file.is_released(h)]
    return FileEdit(holds.HOLDS_FILE, before, holds.HoldsFile(kept, released).text())


def release_changes(edit: FileEdit, image: str, env: Environment, prefix: str) -> ChangeSet:
    """The change set that publishes a release, on `tagbot/<env>/release-<image>`."""
    title = f"chore(deps): release the hold on {image} in {env.name}"
    body = f"Releases the hold on `{image}` in **{env.name}**: tagbot may propose it again.\n"
    branch = f"{prefix}{env.name}/release-{slug(image)}"
    return ChangeSet(f"release-{image}", branch, title, body, (edit,))
