"""The tagbot.yaml a human would write for the scale repo, and the tag a human would pick.

The pick is computed here from the catalogue's structured tags, independently of tagbot: the
newest release (no pre-release, no floating alias) of the reference's own variant, inside the
image's range, not ignored, and newer than the current tag; otherwise no update.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench.scale.catalog import Core, Image


@dataclass(frozen=True)
class Rule:
    """One image's policy: a range as [low, high) cores with its npm text, ignores, or a pin."""

    image: str
    why: str
    range_text: str | None = None
    low: Core = (0, 0, 0)
    high: Core = (10**6, 0, 0)
    ignore: tuple[str, ...] = ()
    pin: bool = False

    def allows(self, core: Core) -> bool:
        """True when a release is inside the range."""
        return self.low <= core < self.high


def choose_rules(images: list[Image], rng: random.Random, scale: int = 1) -> dict[str, Rule]:
    """Ranges on 12 images, a known-bad release ignored on 3, and 2 pinned images (x scale)."""
    rules: dict[str, Rule] = {}
    order = list(images)
    rng.shuffle(order)
    for image in order:
        if len(rules) >= 12 * scale:
            break
        majors = sorted({(t.core or (0,))[0] for t in image.releases("")})
        if len(majors) < 2 or majors[-2] == 0:
            continue
        major = majors[-2]  # the newest major but one: the range really holds something back
        if len(rules) % 2 == 0:
            rules[image.repository] = Rule(
                image.repository,
                "the next major needs a migration",
                f"^{major}",
                (major, 0, 0),
                (major + 1, 0, 0),
            )
            continue
        minors = sorted(
            {(t.core or (0, 0))[1] for t in image.releases("") if t.core and t.core[0] == major}
        )
        minor = minors[-2] if len(minors) > 1 else minors[-1]
        rules[image.repository] = Rule(
            image.repository,
            "patch releases only on this line",
            f"~{major}.{minor}",
            (major, minor, 0),
            (major, minor + 1, 0),
        )
    rest = [i for i in order if i.repository not in rules]
    for image in rest[: 3 * scale]:
        newest = image.releases("")[-1]
        bad = [newest.name] + [t.name for t in image.releases("alpine") if t.core == newest.core]
        rules[image.repository] = Rule(image.repository, "known-bad release", ignore=tuple(bad))
    for image in rest[3 * scale : 5 * scale]:
        rules[image.repository] = Rule(image.repository, "frozen until the audit", pin=True)
    return rules


def human_pick(image: Image, variant: str, current: Core, rule: Rule | None) -> str | None:
    """The tag a human would move a reference at `current` (in `variant`) to, or None."""
    if rule is not None and rule.pin:
        return None
    best = None
    for tag in image.releases(variant):
        if tag.core is None or tag.core <= current:
            continue
        if rule is not None and (not rule.allows(tag.core) or tag.name in rule.ignore):
            continue
        if best is None or tag.core > (best.core or (0, 0, 0)):
            best = tag
    return best.name if best is not None else None


def config_text(rules: dict[str, Rule]) -> str:
    """tagbot.yaml for the repo: semver by default, then one rule per special image."""
    lines = [
        "# tagbot configuration of the scale benchmark repo (bench/scale).",
        "version: 1",
        "git:",
        '  repository: "."',
        "  provider: git",
        "  mode: pull-request",
        'include: ["apps/**/*.yaml", "charts/**/*.yaml", "jobs/**/*.yaml"]',
        "defaults:",
        "  policy: semver  # newest release in the same family: -alpine stays -alpine",
        "images:",
    ]
    for name, rule in sorted(rules.items()):
        lines.append(f'  - name: "**/{name}"  # {rule.why}')
        if rule.pin:
            lines.append("    pin: true")
        if rule.range_text:
            lines.append(f'    range: "{rule.range_text}"')
        if rule.ignore:
            lines.append("    ignore: [" + ", ".join(f'"{t}"' for t in rule.ignore) + "]")
    return "\n".join(lines) + "\n"
