"""Which open proposals a hold overtakes: a branch proposing the held tag or one older than it
is closed; one keeping the base's tag or proposing a tag past the hold is not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tagbot import editor
from tagbot.models import Environment, GitOptions, PolicySpec
from tagbot.pipeline.holds import Held, Hold
from tagbot.pipeline.withdrawal import branch_of, comment, held_proposal

PROD = "overlays/prod/kustomization.yaml"
ENV = Environment("prod", ("overlays/prod/**",), source="staging", mode="pull-request")


def overlay(tag: str) -> str:
    """A prod kustomization with api at `tag` and web at 9.0.0."""
    api = f'  - name: ghcr.io/acme/api\n    newTag: "{tag}"\n'
    return f'images:\n{api}  - name: ghcr.io/acme/web\n    newTag: "9.0.0"\n'


def held(*tags: str, running: str = "1.4.0") -> Held:
    occs = editor.extract(PROD, overlay(running)).occurrences
    mine = tuple(o for o in occs if o.image and o.image.name == "ghcr.io/acme/api")
    holds = tuple(Hold("ghcr.io/acme/api", "prod", t, f"rolled back from {t}") for t in tags)
    return Held(ENV, "ghcr.io/acme/api", PolicySpec(), holds, mine)


@pytest.mark.parametrize(
    ("holds", "proposed", "closed"),
    [
        (("1.4.1",), "1.4.1", ("1.4.1", "1.4.1")),  # the rolled-back tag itself
        (("1.4.2",), "1.4.1", ("1.4.1", "1.4.2")),  # older than the held tag
        (("1.4.1",), "1.4.2", None),  # past the hold: a legitimate promotion
        (("1.4.1",), "1.4.0", None),  # the branch keeps what the base runs
        (("1.3.0", "1.4.1"), "1.4.1", ("1.4.1", "1.4.1")),  # the hold that blocks it
    ],
    ids=["held-tag", "older-than-held", "newer", "unchanged", "several-holds"],
)
def test_a_branch_is_closed_only_when_it_proposes_what_a_hold_blocks(
    holds: tuple[str, ...], proposed: str, closed: tuple[str, str] | None
) -> None:
    found = held_proposal(held(*holds), {PROD: overlay(proposed)})
    assert (None if found is None else (found[0], found[1].tag)) == closed


def test_another_image_on_the_branch_does_not_count() -> None:
    text = overlay("1.4.0").replace('"9.0.0"', '"1.4.1"')  # web at 1.4.1, api unchanged
    assert held_proposal(held("1.4.1"), {PROD: text}) is None


def test_the_branch_is_the_environments_proposal_branch() -> None:
    pr = GitOptions(provider="github", mode="pull-request", branch_prefix="tagbot/prod/")
    assert branch_of(pr, held("1.4.1")) == "tagbot/prod/ghcr-io-acme-api"
    assert branch_of(replace(pr, grouping="all"), held()) == "tagbot/prod/all"
    assert branch_of(GitOptions(provider="git", mode="pull-request"), held()) is None
    assert branch_of(GitOptions(provider="gitlab", mode="push"), held()) is None


def test_the_comment_says_how_to_release_in_the_named_repository() -> None:
    item = held("1.4.1")
    text = comment(item, "1.4.1", item.holds[0], repository="https://git.example/acme/eu.git")
    assert "is held in **prod** at `1.4.1` (rolled back from 1.4.1)" in text
    assert (
        "`tagbot release ghcr.io/acme/api --env prod --repository https://git.example/acme/eu.git`"
        in text
    )
