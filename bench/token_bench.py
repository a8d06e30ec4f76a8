"""Benchmark: the CPU a process spends listing 1,000 images on a token registry, by token_batch.

Run: .venv/bin/python bench/token_bench.py [--images 1000] [--runs 3] [--batches 1,25]

Debian's docker-registry in token mode on loopback (the token server of tests/support, in this
process), the storage of latency_bench.py (1,000 repositories x 20 tags, seeded once). Each run
is a fresh `python` process that imports tagbot, lists every image with one Scanner
(`list_many`) and prints its request counts; wall, CPU (user + system) and peak RSS come from
`wait4` (bench/measure.py), so the registry's and the token server's work is not counted.
`--batches 1` is one token per image, as before token batching.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import measure, registry_bench  # noqa: E402
from tests.support.registry import RegistryServer  # noqa: E402

TAGS = 20
CHILD = """
import json, sys
from tagbot import imageref
from tagbot.models import RegistryOptions, TagList
from tagbot.scanner import Scanner
host, images, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
refs = [imageref.parse(f"{host}/bench/r{n:03d}") for n in range(images)]
with Scanner([RegistryOptions(host=host, token_batch=batch)]) as scanner:
    results = scanner.list_many(refs)
    counts = scanner.request_count
wrong = sum(1 for r in results.values() if not isinstance(r, TagList) or len(r.tags) != 20)
print(json.dumps({"requests": counts, "wrong": wrong}))
"""


def main(argv: Sequence[str] | None = None) -> None:
    """Seed (once), then time `runs` listings per batch size and print min/median/max."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batches", default="1,25", help="token_batch values, comma-separated")
    args = parser.parse_args(argv)
    storage = registry_bench.seed(args.images, TAGS)
    with RegistryServer("token", storage_dir=storage) as server:
        for batch in [int(b) for b in args.batches.split(",")]:
            done = []
            for _ in range(args.runs):
                child = [sys.executable, "-c", CHILD, server.host, str(args.images), str(batch)]
                measured = measure.run(child, cwd=ROOT)
                if measured.returncode != 0:
                    raise SystemExit(measured.stderr[-3000:])
                done.append((measured, json.loads(measured.stdout)))
            cpus = sorted(m.cpu for m, _ in done)
            walls = sorted(m.wall for m, _ in done)
            print(
                f"token_batch {batch}: cpu s {cpus[0]:.2f} / {statistics.median(cpus):.2f} / "
                f"{cpus[-1]:.2f}, wall s {walls[0]:.2f} / {statistics.median(walls):.2f} / "
                f"{walls[-1]:.2f} (min/median/max), requests {done[-1][1]['requests']}, "
                f"wrong {max(r['wrong'] for _, r in done)}"
            )


if __name__ == "__main__":
    main()
