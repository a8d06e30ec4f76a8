"""Promotion: an environment with `from` takes the exact image its source runs (tag, and the
digest when the source pins one or the environment asks), never backwards, never a tag the
source has not run, and only once the source has run it for `soak` (measured in git)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tagbot import durations
from tagbot.models import Problem, Stage, Update
from tagbot.pipeline.choose import Chooser, DigestSource
from tagbot.pipeline.environments import Place, blocked, newer
from tagbot.pipeline.holds import Hold


@dataclass(frozen=True)
class Promotion:
    """What promoting one image into one environment decided."""

    updates: tuple[Update, ...] = ()
    stage: Stage | None = None
    problems: tuple[Problem, ...] = ()
    holds: tuple[Hold, ...] = ()  # what holds the image there (a run closes PRs they block)


def path_text(chain: Sequence[Place]) -> str:
    """The promotion path, source first: `dev since 2026-12-01 09:00 UTC, staging since …`."""
    parts = []
    for where in chain:
        when = f"{where.since:%Y-%m-%d %H:%M} UTC" if where.since else "an unknown time"
        parts.append(f"{where.environment.name} {where.shown} since {when}")
    return ", ".join(parts)


def promote(
    image: str,
    target: Place,
    chain: Sequence[Place],
    chooser: Chooser,
    holds: Sequence[Hold],
    source_digests: DigestSource,
    now: datetime,
    *,
    force: bool = False,
    history_problem: str | None = None,
) -> Promotion:
    """Promote `image` into `target` from `chain[-1]` (the source; earlier entries are the
    path it came along). `chooser` is the bare policy; it only compares tags."""
    env, source = target.environment, chain[-1] if chain else None
    name = env.source or "?"

    def stage(candidate: str | None, note: str, at: datetime | None = None) -> Stage:
        return Stage(image, env.name, target.shown, target.since, candidate, False, at, note)

    if source is None or not source.occurrences:
        return Promotion(stage=stage(None, f"{name} has no reference to this image"))
    if source.runs is None:  # a canary, say: nothing to promote, and nothing broken either
        why = f"{name} runs several versions ({source.shown}); promote by hand (`tagbot set`)"
        several = Problem(f"{image} in {env.name}", why, level="info")
        return Promotion(stage=stage(None, why), problems=(several,))
    tag, digest = source.runs
    moving = [o for o in target.occurrences if o.image and o.image.tag != tag]
    if not moving:
        pins = {o.image.digest for o in target.occurrences if o.image and o.image.digest}
        if digest is None or not pins or pins == {digest}:
            return Promotion(stage=stage(None, f"runs what {name} runs"))
        why = f"runs {tag} as {name} does, at another digest (a digest-only change is not "
        return Promotion(stage=stage(None, why + "promoted: `tagbot set`)"))
    behind = [o for o in moving if o.image and o.image.tag and not newer(chooser, tag, o.image.tag)]
    if behind:
        note = f"{name} runs {tag}: not newer than {target.shown} here (never backwards)"
        return Promotion(stage=stage(tag, note))
    hold = blocked(chooser, tag, holds)
    if hold is not None:
        note = f"{tag} held: {hold.why} (`{hold.release(image)}`)"
        return Promotion(stage=stage(tag, note))
    ready = source.since + env.soak if source.since and env.soak else source.since
    if env.soak is not None and not force:
        if source.since is None:
            note = f"{tag}: soak unknown ({history_problem or 'no git history for it'})"
            return Promotion(stage=stage(tag, note))
        if ready is not None and now < ready:
            wait = durations.human(ready - now)
            note = f"{tag} eligible in {wait} (soak {durations.compact(env.soak)} in {name})"
            if source.since > now:  # a clock ahead, or a date set by hand: say why it waits
                note += f"; {name}'s commit of it is dated {source.since:%Y-%m-%d %H:%M} UTC, ahead of now"
            return Promotion(stage=stage(tag, note, ready))
    soak = f", soak {durations.compact(env.soak)}" if env.soak else ""
    forced = " (soak skipped: --force)" if force and env.soak else ""
    reason = f"promoted from {name}{soak}{forced}: {path_text(chain)}"
    updates = []
    for occ in moving:
        assert occ.image is not None  # `moving` holds only references with an image
        pin = digest
        if pin is None and (env.pin_digest or occ.image.digest):
            pin = source_digests.get_digest(occ.image, tag)
        updates.append(Update(occ, tag, pin, reason))
    done = Stage(image, env.name, target.shown, target.since, tag, True, ready, reason)
    return Promotion(updates=tuple(updates), stage=done)
