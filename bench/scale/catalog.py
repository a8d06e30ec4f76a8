"""The registry side of the scale scenario: 100 repositories of semver, variant, pre-release and
alias tags (19,596 in all), generated from a seed, with every tag's manifest and digest known;
`build(scale=10)` makes 1,000 repositories and 195,960 tags (scale 1 is unchanged)."""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field

SEED = 20240917
IMAGES = 100
TOTAL_TAGS = 19_596
MIN_TAGS, MAX_TAGS = 100, 300
TEAMS = ("platform", "payments", "data", "web", "ml", "infra")
SHARED = (
    "envoy-proxy",
    "log-shipper",
    "vault-agent",
    "db-migrate",
    "redis",
    "postgres",
    "nginx",
    "otel-collector",
    "oauth2-proxy",
    "statsd-exporter",
    "cert-watcher",
    "busybox-tools",
)
WORDS = (
    "ledger",
    "checkout",
    "search",
    "catalog",
    "billing",
    "notify",
    "profile",
    "gateway",
    "orders",
    "ingest",
    "report",
    "auth",
    "pricing",
    "media",
    "feed",
    "export",
)
# Every manifest refers to the same (tiny) config and layer: only the manifest bytes differ.
CONFIG = json.dumps(
    {
        "architecture": "amd64",
        "os": "linux",
        "created": "2024-01-01T00:00:00Z",
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": []},
    },
    sort_keys=True,
).encode()
LAYER = b"tagbot scale benchmark layer\n"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"

Core = tuple[int, int, int]


def sha256(data: bytes) -> str:
    """The registry's name for `data`."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class TagInfo:
    """One tag: a release or pre-release (`core` set) in a variant, or an alias of another tag."""

    name: str
    core: Core | None = None
    variant: str = ""  # "" or "alpine"
    pre: str | None = None
    alias_of: str | None = None  # the tag whose manifest a floating alias shares


@dataclass
class Image:
    """One repository: its name, tag prefix (`v` or none), variants and tags in push order."""

    repository: str
    prefix: str
    variants: tuple[str, ...]
    tags: list[TagInfo] = field(default_factory=list)

    def releases(self, variant: str) -> list[TagInfo]:
        """The releases (no pre-release) of one variant, oldest first."""
        found = [t for t in self.tags if t.core and t.pre is None and t.variant == variant]
        return sorted(found, key=lambda t: t.core or (0, 0, 0))

    def manifest(self, tag: TagInfo) -> bytes:
        """The Docker v2 manifest a tag serves; an alias serves its target's bytes."""
        label = f"{self.repository}:{tag.alias_of or tag.name}"
        doc = {
            "schemaVersion": 2,
            "mediaType": DOCKER_MANIFEST,
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": len(CONFIG),
                "digest": sha256(CONFIG),
            },
            "layers": [
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": len(LAYER),
                    "digest": sha256(LAYER),
                }
            ],
            "annotations": {"org.example.bench.tag": label},
        }
        return json.dumps(doc, indent=3).encode()

    def digest(self, name: str) -> str:
        """The digest the registry serves for tag `name`."""
        tag = next(t for t in self.tags if t.name == name)
        return sha256(self.manifest(tag))


def tag_counts(rng: random.Random, scale: int = 1) -> list[int]:
    """Tags per image: 100-300 each, TOTAL_TAGS x scale in all."""
    images, total = IMAGES * scale, TOTAL_TAGS * scale
    counts = [rng.randint(MIN_TAGS, MAX_TAGS) for _ in range(images)]
    running = sum(counts)
    while running != total:
        i = rng.randrange(images)
        step = 1 if running < total else -1
        if MIN_TAGS <= counts[i] + step <= MAX_TAGS:
            counts[i] += step
            running += step
    return counts


def history(
    rng: random.Random, prefix: str, variants: tuple[str, ...], needed: int
) -> list[TagInfo]:
    """At least `needed` tags of a release stream: patches, minors, majors, their release candidates,
    `-alpine` builds of most releases, and a floating alias per new minor and major."""
    major, minor, patch = rng.choice((1, 1, 2, 3, 4, 5, 7, 12)), rng.randint(0, 6), 0
    alpine = "alpine" in variants
    stream: list[TagInfo] = []
    while True:
        step = rng.random()
        if step < 0.015:
            major, minor, patch = major + 1, 0, 0
        elif step < 0.20:
            minor, patch = minor + 1, 0
        else:
            patch += 1
        core = (major, minor, patch)
        text = f"{prefix}{major}.{minor}.{patch}"
        if patch == 0 and rng.random() < 0.7:
            for n in range(1, rng.randint(1, 3) + 1):
                stream.append(TagInfo(f"{text}-rc.{n}", core, "", f"rc.{n}"))
            if alpine and rng.random() < 0.4:
                stream.append(TagInfo(f"{text}-rc.1-alpine", core, "alpine", "rc.1"))
        if patch == 0 and rng.random() < 0.2:
            stream.append(TagInfo(f"{text}-beta.1", core, "", "beta.1"))
        stream.append(TagInfo(text, core))
        if alpine and rng.random() < 0.85:
            stream.append(TagInfo(f"{text}-alpine", core, "alpine"))
        if patch == 0:
            stream.append(TagInfo(f"{prefix}{major}.{minor}", alias_of=text))
            if alpine:
                stream.append(TagInfo(f"{prefix}{major}.{minor}-alpine", alias_of=text))
        if patch == 0 and minor == 0:
            stream.append(TagInfo(f"{prefix}{major}", alias_of=text))
        if len(stream) >= needed:
            return stream


def build_image(rng: random.Random, repository: str, count: int) -> Image:
    """One image with exactly `count` tags: the newest part of a history plus the floating tags."""
    prefix = "v" if rng.random() < 0.2 else ""
    variants = ("", "alpine") if rng.random() < 0.6 else ("",)
    stream = history(rng, prefix, variants, count + 20)
    tail_count = 3 + (1 if len(variants) > 1 else 0)
    cut = stream[-(count - tail_count) :]
    newest = max((t.core for t in cut if t.core and t.pre is None), default=(1, 0, 0))
    major, minor, _ = newest
    upcoming = f"{prefix}{major}.{minor + 1}.0"
    tail = [
        TagInfo("latest", alias_of="*"),
        TagInfo("stable", alias_of="*"),
        # The next minor's release candidate: newer than every release, never a pick.
        TagInfo(f"{upcoming}-rc.1", (major, minor + 1, 0), "", "rc.1"),
    ]
    if len(variants) > 1:
        tail.append(TagInfo("alpine", alias_of="*-alpine"))
    image = Image(repository, prefix, variants, cut + tail)
    image.tags = [resolve_alias(image, t) for t in image.tags]
    assert len({t.name for t in image.tags}) == count, repository
    return image


def resolve_alias(image: Image, tag: TagInfo) -> TagInfo:
    """Point a floating alias (`1.4`, `1`, `1.4-alpine`, `latest`) at the newest release it
    stands for, so it shares that release's digest as it would on a real registry."""
    if tag.alias_of is None:
        return tag
    name = tag.name if tag.alias_of != "*" and tag.alias_of != "*-alpine" else ""
    variant = "alpine" if name.endswith("-alpine") or tag.alias_of == "*-alpine" else ""
    numbers = name.removeprefix(image.prefix).removesuffix("-alpine")
    head = tuple(int(n) for n in numbers.split(".")) if numbers else ()
    matching = [t for t in image.releases(variant) if (t.core or ())[: len(head)] == head]
    target = matching[-1].name if matching else None
    return TagInfo(tag.name, alias_of=target)


def build(scale: int = 1) -> list[Image]:
    """The 100 x `scale` images of the scenario, the same on every call."""
    rng = random.Random(SEED)
    counts = tag_counts(rng, scale)
    names = [f"{TEAMS[i % len(TEAMS)]}/{name}" for i, name in enumerate(SHARED)]
    while len(names) < IMAGES * scale:
        name = f"{rng.choice(TEAMS)}/{rng.choice(WORDS)}-{len(names):03d}"
        names.append(name)
    return [build_image(rng, name, count) for name, count in zip(names, counts, strict=True)]
