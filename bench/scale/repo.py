"""The config repo of the scale scenario: 500 YAML files holding 1,071 references, each with the
update a human would pick (bench/scale/rules.py), written for a registry at a given host;
`build(..., scale=10)` writes 5,000 files and 10,710 references (scale 1 is unchanged)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.scale import files
from bench.scale.catalog import SHARED, Image
from bench.scale.files import Ref
from bench.scale.rules import Rule, choose_rules, config_text, human_pick

SEED = 20240918
FILES = 500
REFERENCES = 1_071
ENVS = ("dev", "staging", "prod")
Writer = Callable[[random.Random, str, list[Ref]], files.Text]
# kind -> (writer, how many files, fewest and most references per file)
KINDS: dict[str, tuple[Writer, int, int, int]] = {
    "deployment": (files.deployment, 150, 1, 3),
    "statefulset": (files.statefulset, 50, 1, 3),
    "cronjob": (files.cronjob, 50, 1, 2),
    "kustomize": (files.kustomization, 150, 1, 4),
    "helm": (files.helm_values, 100, 1, 5),
}


@dataclass(frozen=True)
class Scenario:
    """Every file's text, the expected update per reference, and tagbot.yaml."""

    texts: dict[str, str]
    expected: list[dict[str, object]]
    config: str


def reference_counts(rng: random.Random, scale: int = 1) -> list[tuple[str, int]]:
    """(kind, references) per file: FILES x scale files, REFERENCES x scale references."""
    plan = []
    for kind, (_, count, low, high) in KINDS.items():
        plan += [(kind, rng.randint(low, min(high, low + 2))) for _ in range(count * scale)]
    total, running = REFERENCES * scale, sum(n for _, n in plan)
    while running != total:
        i = rng.randrange(len(plan))
        kind, n = plan[i]
        _, _, low, high = KINDS[kind]
        step = 1 if running < total else -1
        if low <= n + step <= high:
            plan[i] = (kind, n + step)
            running += step
    return plan


def make_ref(rng: random.Random, image: Image, rule: Rule | None, pinnable: bool) -> Ref:
    """A reference to `image` at a release a while back (sometimes the newest, rarely `latest`)."""
    variant = "alpine" if "alpine" in image.variants and rng.random() < 0.4 else ""
    releases = [
        t for t in image.releases(variant) if rule is None or rule.allows(t.core or (0,) * 3)
    ]
    if not releases:
        variant = ""
        releases = [
            t for t in image.releases("") if rule is None or rule.allows(t.core or (0,) * 3)
        ]
    if rule is None and not pinnable and rng.random() < 0.01:
        return Ref(image.repository, "latest", None, None, None)
    back = 0 if rng.random() < 0.15 else min(len(releases) - 1, 1 + int(rng.expovariate(1 / 6)))
    current = releases[-1 - back]
    digest = image.digest(current.name) if pinnable and rng.random() < 0.12 else None
    to = human_pick(image, variant, current.core or (0, 0, 0), rule)
    to_digest = image.digest(to) if to is not None and digest is not None else None
    return Ref(image.repository, current.name, digest, to, to_digest)


def build(images: list[Image], host: str, scale: int = 1) -> Scenario:
    """The whole repo for a registry at `host` (the same files, but for the host, every time);
    `images` must come from `catalog.build(scale)`."""
    rng = random.Random(SEED)
    rules = choose_rules(images, rng, scale)
    services = [i for i in images if i.repository.split("/")[1] not in SHARED]
    shared = [i for i in images if i.repository.split("/")[1] in SHARED]
    texts: dict[str, str] = {}
    expected: list[dict[str, object]] = []
    for n, (kind, count) in enumerate(reference_counts(rng, scale)):
        main = services[(n * 7) % len(services)]
        chosen = [main]
        while len(chosen) < count:
            extra = rng.choice(shared) if rng.random() < 0.7 else rng.choice(services)
            if kind != "kustomize" or extra not in chosen:  # one entry per image in a kustomization
                chosen.append(extra)
        refs = [make_ref(rng, i, rules.get(i.repository), rng.random() < 0.8) for i in chosen]
        path = file_path(kind, n, main.repository, rng)
        writer = KINDS[kind][0]
        text = writer(rng, host, refs)
        texts[path] = text.text
        for ref, line in zip(refs, text.lines, strict=True):
            expected.append(
                {
                    "file": path,
                    "line": line,
                    "image": f"{host}/{ref.repository}",
                    "from": ref.tag,
                    "to": ref.to,
                    "digest": ref.to_digest,
                    "pinned": ref.digest is not None,
                    "rule": _rule_text(rules.get(ref.repository)),
                }
            )
    assert len(texts) == FILES * scale and len(expected) == REFERENCES * scale
    assert {i.repository for i in images} <= {str(e["image"]).split("/", 1)[1] for e in expected}
    return Scenario(texts, expected, config_text(rules))


def _rule_text(rule: Rule | None) -> str:
    if rule is None:
        return "semver"
    if rule.pin:
        return "pin"
    if rule.range_text:
        return f"range {rule.range_text}"
    return "ignore " + ",".join(rule.ignore)


def file_path(kind: str, n: int, repository: str, rng: random.Random) -> str:
    """Where a file lives: apps/TEAM/APP/..., jobs/TEAM/..., charts/CHART/values*.yaml."""
    team, app = repository.split("/")
    if kind in ("deployment", "statefulset"):
        return f"apps/{team}/{app}-{n:03d}/{kind}.yaml"
    if kind == "kustomize":
        return f"apps/{team}/{app}-{n:03d}/overlays/{rng.choice(ENVS)}/kustomization.yaml"
    if kind == "cronjob":
        return f"jobs/{team}/{app}-{n:03d}.yaml"
    env = rng.choice(("", *ENVS))
    return f"charts/{app}-{n:03d}/values{'-' + env if env else ''}.yaml"


def write(scenario: Scenario, root: Path) -> None:
    """Write the files, tagbot.yaml and expected.json (beside the repo) under `root`."""
    for rel, text in scenario.texts.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "tagbot.yaml").write_text(scenario.config, encoding="utf-8")
    answers = root.parent / "expected.json"
    answers.write_text(json.dumps(scenario.expected, indent=1) + "\n", encoding="utf-8")
