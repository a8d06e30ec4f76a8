"""Holds: tags an environment must not be offered again. A commit that lowers an environment's
tag (a rollback, by a person or by `tagbot rollback`) holds the tag it left, found in git; the
config repo's `.tagbot/holds.yaml` adds holds by hand and records `tagbot release`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from tagbot.errors import InvalidReference
from tagbot.imageref import parse
from tagbot.models import Environment, Occurrence, PolicySpec, Problem

HOLDS_FILE = ".tagbot/holds.yaml"
HEADER = """\
# tagbot holds (README "Promotion"): reviewed like any change.
# holds: tagbot proposes neither `tag` nor anything older for `image` in `environment`.
# released: a rollback from `tag` found in git no longer holds (`tagbot release`).
"""


@dataclass(frozen=True)
class Hold:
    """`tag` (and anything older) is not proposed for `image` (normalised) in `environment`."""

    image: str
    environment: str
    tag: str
    why: str = ""


@dataclass(frozen=True)
class Held:
    """The holds on one image in one environment, with its references there and its policy:
    what a run needs to close a proposal of a held tag (pipeline/withdrawal.py)."""

    environment: Environment
    image: str
    spec: PolicySpec
    holds: tuple[Hold, ...]
    occurrences: tuple[Occurrence, ...]


@dataclass
class HoldsFile:
    """The entries of `.tagbot/holds.yaml`: holds set by hand, and released rollbacks."""

    holds: list[Hold]
    released: list[Hold]

    def held(self, image: str, environment: str) -> list[Hold]:
        """The file's holds on `image` in `environment`."""
        return [h for h in self.holds if (h.image, h.environment) == (image, environment)]

    def is_released(self, hold: Hold) -> bool:
        """True when `tagbot release` recorded this rollback's release."""
        key = (hold.image, hold.environment, hold.tag)
        return any((r.image, r.environment, r.tag) == key for r in self.released)

    def text(self) -> str:
        """The file as tagbot writes it: the header, then both lists, sorted."""
        out = [HEADER.rstrip("\n")]
        for name, entries in (("holds", self.holds), ("released", self.released)):
            out.append(f"{name}:" + ("" if entries else " []"))
            for h in sorted(entries, key=lambda h: (h.image, h.environment, h.tag)):
                out += [f"  - image: {h.image}", f"    environment: {h.environment}"]
                out.append(f'    tag: "{h.tag}"')
        return "\n".join(out) + "\n"


def read(root: Path) -> tuple[HoldsFile, list[Problem]]:
    """The holds file under `root` (empty when there is none); a bad file or entry is a
    problem, the good entries still count."""
    path = root / HOLDS_FILE
    found = HoldsFile([], [])
    if not path.is_file():
        return found, []
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        return found, [Problem(HOLDS_FILE, f"cannot read: {type(exc).__name__}")]
    if data is None:
        return found, []
    if not isinstance(data, dict):
        return found, [Problem(HOLDS_FILE, "must hold a mapping with `holds` and `released`")]
    problems: list[Problem] = []
    for key, into in (("holds", found.holds), ("released", found.released)):
        for index, entry in enumerate(data.get(key) or []):
            hold = _entry(entry)
            if isinstance(hold, str):
                problems.append(Problem(f"{HOLDS_FILE}: {key}[{index}]", hold))
            else:
                into.append(hold)
    return found, problems


def _entry(entry: Any) -> Hold | str:
    """One entry as a Hold, or what is wrong with it."""
    if not isinstance(entry, dict):
        return "must be a mapping with image, environment and tag"
    values = {k: entry.get(k) for k in ("image", "environment", "tag")}
    missing = [k for k, v in values.items() if not isinstance(v, str | int | float) or v == ""]
    if missing:
        return f"needs {', '.join(missing)}"
    try:
        image = parse(str(values["image"])).name
    except InvalidReference as exc:
        return f"image: {exc}"
    return Hold(image, str(values["environment"]), str(values["tag"]), "in " + HOLDS_FILE)
