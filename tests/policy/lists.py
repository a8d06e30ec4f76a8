"""Real tag lists written down in tests/policy/data/*.txt (one tag per line, `#` comments)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from tagbot.models import PolicySpec, Selection, Tag
from tagbot.policy import build

DATA = Path(__file__).parent / "data"


@cache
def names(image: str) -> tuple[str, ...]:
    """The tag names of one list, in file order."""
    lines = (DATA / f"{image}.txt").read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def tags(image: str) -> list[Tag]:
    """The list as registry Tags (no digest, no build time)."""
    return [Tag(name) for name in names(image)]


def all_images() -> list[str]:
    """Every list in data/, sorted."""
    return sorted(p.stem for p in DATA.glob("*.txt"))


def select(image: str, current: str | None, options: dict[str, Any]) -> Selection:
    """What a policy built from `options` picks from `image`'s listed tags."""
    return build(PolicySpec(**options)).select(current, tags(image))


def assert_pick(
    image: str, current: str | None, options: dict[str, Any], expected: str | None
) -> None:
    """The table check every policy module shares: the pick, with the reason on failure."""
    selection = select(image, current, options)
    assert selection.selected == expected, selection.reason
