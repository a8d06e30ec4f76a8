"""Choosing with environments: references outside every environment as usual; an environment
without `from` follows the registry (holds and min_age applied); one with `from` promotes.
Every image in every environment gets a Stage: what runs, what is eligible, what waits."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from tagbot import durations, policy
from tagbot.errors import RegistryError
from tagbot.models import Environment, PolicySpec, Problem, Rejection, Stage, TagList, Update
from tagbot.pipeline import cooldown, holds
from tagbot.pipeline.choose import Groups, Lister, choose, decide_image
from tagbot.pipeline.environments import Place, blocked, holds_on, place, split
from tagbot.pipeline.history import History
from tagbot.pipeline.promotion import Promotion, promote

log = logging.getLogger("tagbot.pipeline")


@dataclass
class Staged:
    """What choosing with environments found."""

    updates: list[Update] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    held: list[holds.Held] = field(default_factory=list)  # each image held somewhere


def choose_staged(
    environments: Sequence[Environment],
    groups: Groups,
    root: Path,
    scanner: Lister,
    *,
    only: str | None = None,
    force: bool = False,
    now: datetime | None = None,
    rejected: dict[str, tuple[Rejection, ...]] | None = None,
    repository: str | None = None,
) -> Staged:
    """Updates, problems and stages for `groups`; only environment `only` when given (then
    references outside every environment are left alone), `force` skipping soak; `rejected`
    collects the tags turned down for each image that moves (PR bodies show them)."""
    now = now or datetime.now(UTC)
    result = Staged()
    plain, owned = split(environments, groups)
    if only is None:
        result.updates, result.problems = choose(plain, scanner, rejected)
    history = History(root)
    held = holds.read(root)
    if history.problem is not None:
        result.problems.append(Problem("environments", history.problem))
    places: dict[tuple[str, str], Place] = {}
    for env in environments:
        for name, (spec, occs) in sorted(owned[env.name].items()):
            here = places[(env.name, name)] = place(env, occs, history)
            if only is not None and env.name != only:
                continue
            chain = source_chain(environments, env, name, places) if env.source else []
            found = decide(
                name, here, chain, spec, scanner, held, now, force, history.problem, rejected,
                repository,
            )  # fmt: skip
            result.updates += found.updates
            result.problems += found.problems
            if found.stage is not None:
                result.stages.append(found.stage)
            if found.holds:
                held_here = holds.Held(env, name, spec, found.holds, tuple(occs))
                result.held.append(held_here)
    return result


def decide(
    name: str,
    here: Place,
    chain: list[Place],
    spec: PolicySpec,
    scanner: Lister,
    held: holds.HoldsFile,
    now: datetime,
    force: bool,
    history_problem: str | None,
    rejected: dict[str, tuple[Rejection, ...]] | None = None,
    repository: str | None = None,
) -> Promotion:
    """One image in one environment: follow the registry, or promote along `chain`; whatever
    goes wrong (any exception) is that image's problem, the others go on. `repository` (a run
    over `repositories:`) goes into the holds, so their notes name it."""
    try:
        bare = policy.build(spec)
        on_hold = holds_on(name, here, bare, held)
        if chain:  # a tag the source rolled back is not promoted from it (nor left proposed)
            source = holds_on(name, chain[-1], bare, held)
            on_hold += [replace(h, exact=True) for h in source if h not in on_hold]
        if repository is not None:
            on_hold = [replace(h, repository=repository) for h in on_hold]
        if here.environment.source is None:
            found = follow(name, here, spec, scanner, on_hold, now, rejected)
        else:
            found = promote(
                name, here, chain, bare, on_hold, scanner, now,
                force=force, history_problem=history_problem,
            )  # fmt: skip
        return replace(found, holds=tuple(on_hold))
    except RegistryError as exc:
        return Promotion(problems=(Problem(name, str(exc), exc.transient),))
    except Exception as exc:  # one image's failure must not end the run
        log.exception("image failed", extra={"image": name})
        return Promotion(
            problems=(Problem(name, f"unexpected error: {type(exc).__name__}: {exc}"),)
        )


def source_chain(
    environments: Sequence[Environment],
    env: Environment,
    image: str,
    places: dict[tuple[str, str], Place],
) -> list[Place]:
    """The places `image` came through to reach `env`, first environment first."""
    chain: list[Place] = []
    named = {e.name: e for e in environments}
    source = named.get(env.source or "")
    while source is not None and (source.name, image) in places:
        chain.insert(0, places[(source.name, image)])
        source = named.get(source.source or "")
    if not chain or chain[-1].environment.name != env.source:
        return []
    return chain


def follow(
    image: str,
    here: Place,
    spec: PolicySpec,
    scanner: Lister,
    on_hold: list[holds.Hold],
    now: datetime,
    rejected: dict[str, tuple[Rejection, ...]] | None = None,
) -> Promotion:
    """An environment without `from`: the policy's pick from the registry, held tags and tags
    newer than a hold left out, min_age applied."""
    env, first = here.environment, here.occurrences[0].image
    if first is None:
        return Promotion()
    listing = scanner.list_many([first]).get(first.name)
    if isinstance(listing, RegistryError) or listing is None:
        error = str(listing) if listing is not None else "not listed"
        transient = bool(getattr(listing, "transient", False))
        return Promotion(problems=(Problem(image, error, transient),))
    bare = policy.build(spec)
    chooser = cooldown.wrap(policy.build(spec), spec.min_age, first, scanner)
    if isinstance(chooser, cooldown.AgedChooser):
        chooser.now = now
    kept = tuple(t for t in listing.tags if blocked(bare, t.name, on_hold) is None)
    listed = TagList(listing.image, kept)
    updates = decide_image(spec, chooser, here.occurrences, listed, scanner, rejected)
    problems = cooldown.problems(image, chooser)
    stage = Stage(image, env.name, here.shown, here.since)
    if updates:
        new = updates[0]
        stage = replace(stage, candidate=new.new_tag, eligible=True, note=new.reason)
    elif isinstance(chooser, cooldown.AgedChooser) and chooser.waiting:
        tag, (_, why) = next(iter(chooser.waiting.items()))
        at = chooser.eligible_at(tag)
        wait = f"; eligible in {durations.human(at - now)}" if at else ""
        stage = replace(stage, candidate=tag, eligible_at=at, note=f"{tag} {why}{wait}")
    newest_held = [h for h in on_hold if any(t.name == h.tag for t in listing.tags)]
    if not updates and newest_held:
        hold = newest_held[0]
        note = f"{hold.tag} held: {hold.why} (`{hold.release(stage.image)}`)"
        stage = replace(stage, note=f"{stage.note}; {note}" if stage.note else note)
    return Promotion(tuple(updates), stage, tuple(problems))
