"""Holds: tags an environment must not be offered again. A commit that lowers an environment's
tag (a rollback, by a person or by `tagbot rollback`) holds the tag it left, found in git; the
config repo's `.tagbot/holds.yaml` adds holds by hand and records `tagbot release`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from tagbot.errors import ConfigError, InvalidReference
from tagbot.imageref import parse
from tagbot.models import Environment, Occurrence, PolicySpec

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
    exact: bool = False  # only `tag` itself: a hold in the environment promoted from
    repository: str | None = None  # in a run over `repositories:`, the one it is in

    def release(self, image: str) -> str:
        """The command that lifts this hold, as a person would paste it."""
        named = f" --repository {self.repository}" if self.repository else ""
        return f"tagbot release {image} --env {self.environment}{named}"


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


def read(root: Path) -> HoldsFile:
    """The holds file under `root` (empty when there is none). A file or entry that cannot be
    read is a ConfigError naming its line (exit 2): a hold a person meant must not be lost
    while the run publishes what it held."""
    path = root / HOLDS_FILE
    if not path.is_file():
        return HoldsFile([], [])
    try:
        data = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{HOLDS_FILE}: cannot read: {type(exc).__name__}") from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{HOLDS_FILE}:{mark.line + 1}" if mark else HOLDS_FILE
        raise ConfigError(f"{where}: not YAML: {exc.problem or exc.context}") from None
    except YAMLError as exc:
        raise ConfigError(f"{HOLDS_FILE}: not YAML: {type(exc).__name__}") from None
    found = HoldsFile([], [])
    if data is None:
        return found
    if not isinstance(data, CommentedMap):
        raise ConfigError(f"{HOLDS_FILE}:1: must hold a mapping with `holds` and `released`")
    for key, into in (("holds", found.holds), ("released", found.released)):
        entries = data.get(key)
        if entries is None:
            continue
        if not isinstance(entries, CommentedSeq):
            raise ConfigError(f"{HOLDS_FILE}:{data.lc.key(key)[0] + 1}: {key} must be a list")
        for index, entry in enumerate(entries):
            hold = _entry(entry)
            if isinstance(hold, str):
                line = _line(entries, index, entry, hold)
                raise ConfigError(f"{HOLDS_FILE}:{line}: {key}[{index}]: {hold}")
            into.append(hold)
    return found


def _line(entries: CommentedSeq, index: int, entry: Any, why: str) -> int:
    """The 1-based line of what is wrong with entry `index`: its `tag` when that is the
    trouble, else the entry's first line."""
    if why.startswith("tag ") and isinstance(entry, CommentedMap) and "tag" in entry:
        return int(entry.lc.key("tag")[0]) + 1
    return int(entries.lc.item(index)[0]) + 1


def _entry(entry: Any) -> Hold | str:
    """One entry as a Hold, or what is wrong with it."""
    if not isinstance(entry, dict):
        return "must be a mapping with image, environment and tag"
    values = {k: entry.get(k) for k in ("image", "environment", "tag")}
    missing = [k for k, v in values.items() if v is None or v == ""]
    if missing:
        return f"needs {', '.join(missing)}"
    wrong = [k for k, v in values.items() if not isinstance(v, str)]
    if wrong:
        # YAML reads `tag: 1.10` as the number 1.1: only the quoted text is the tag
        return f'{wrong[0]} must be a string: quote it ({wrong[0]}: "...")'
    try:
        image = parse(str(values["image"])).name
    except InvalidReference as exc:
        return f"image: {exc}"
    return Hold(image, str(values["environment"]), str(values["tag"]), "in " + HOLDS_FILE)
