"""Benchmark: one policy selection over 10,000 tags (target: under 50 ms).

Run: .venv/bin/python bench/policy_bench.py [--runs N]
Every run clears tagbot's parse caches first, so each figure is a cold select.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from functools import partial

from tagbot.models import PolicySpec, Tag
from tagbot.policy import build
from tagbot.policy.versions import clear_caches

SIZE = 10_000
VARIANTS = ["", "-alpine", "-alpine3.18", "-alpine3.19", "-slim", "-bookworm", "-bookworm-slim",
            "-perl", "-debian-12-r4"]  # fmt: skip
ALIASES = ["latest", "stable", "mainline", "alpine", "slim", "lts", "lts-alpine", "bookworm"]


def semver_tags(rng: random.Random) -> list[Tag]:
    """An nginx/node-like list: releases x variants, release candidates, aliases, hashes."""
    names = set(ALIASES)
    while len(names) < SIZE:
        major, minor, patch = rng.randint(0, 4), rng.randint(0, 39), rng.randint(0, 24)
        roll = rng.random()
        if roll < 0.05:
            core = f"{major}.{minor}.{patch}-rc{rng.randint(1, 12)}"
        elif roll < 0.10:
            core = f"{major}.{minor}"
        elif roll < 0.12:
            core = f"sha-{rng.getrandbits(28):07x}"
            names.add(core)
            continue
        else:
            core = f"{major}.{minor}.{patch}"
        names.add(core + rng.choice(VARIANTS))
    return [Tag(n) for n in sorted(names)]


def calver_tags(rng: random.Random) -> list[Tag]:
    """A minio/ubuntu-like list of dated tags with a couple of suffixes."""
    names: set[str] = set()
    while len(names) < SIZE:
        stamp = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        stamp += f"T{rng.randint(0, 23):02d}-{rng.randint(0, 59):02d}-{rng.randint(0, 59):02d}Z"
        names.add("RELEASE." + stamp + rng.choice(["", "", "", "-cpuv1", ".fips"]))
    return [Tag(n) for n in sorted(names)]


def build_tags(rng: random.Random) -> list[Tag]:
    """A Flux-style list: main-<sha>-<unix time>, branch builds and PR builds."""
    names: set[str] = set()
    while len(names) < SIZE:
        branch = rng.choice(["main", "main", "main", "feature-x", "pr-12"])
        names.add(f"{branch}-{rng.getrandbits(28):07x}-{rng.randint(1_600_000_000, 1_710_000_000)}")
    return [Tag(n) for n in sorted(names)]


def measure(select: Callable[[], object], runs: int) -> tuple[float, float]:
    """(best, median) wall time in ms over `runs` cold selections."""
    times = []
    for _ in range(runs):
        clear_caches()
        start = time.perf_counter()
        select()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def main() -> None:
    """Print one line per scenario: best and median milliseconds, and the pick."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    rng = random.Random(20240215)
    semver, calver, builds = semver_tags(rng), calver_tags(rng), build_tags(rng)
    flux = PolicySpec(kind="numerical", filter="^main-[a-f0-9]+-(?P<ts>[0-9]+)$", extract="$ts")
    scenarios = [
        ("semver, current 1.2.3-alpine", PolicySpec(), "1.2.3-alpine", semver),
        ("semver, range ^1.2 + ignore", PolicySpec(range="^1.2", ignore=("*-perl", "/rc/")), "1.2.3", semver),
        ("semver, no current", PolicySpec(), None, semver),
        ("calver, minio-style", PolicySpec(kind="calver"), "RELEASE.2020-01-01T00-00-00Z", calver),
        ("numerical, filter+extract $ts", flux, "main-0000000-1600000000", builds),
        ("alphabetical, filter", PolicySpec(kind="alphabetical", filter="^main-"), None, builds),
    ]  # fmt: skip
    print(f"{SIZE} tags per list, {runs} cold runs each (best / median ms)")
    for label, spec, current, listed in scenarios:
        policy = build(spec)
        best, median = measure(partial(policy.select, current, listed), runs)
        picked = policy.select(current, listed).selected
        print(f"  {label:<32} {best:6.1f} / {median:6.1f}  -> {picked}")


if __name__ == "__main__":
    main()
