"""Benchmark: list 1,000 repositories through a proxy with 50 ms round trips and a rate limit.

Run: .venv/bin/python bench/latency_bench.py [--images 1000] [--rate 100] [--runs 3] [--headers]
     [--mode token [--token-batch 25]]
Target (issue 17): 1,000 images listed in <= 15 s with <= 1 tag-list request per image, no
request refused twice, and no host exempt from limits (the proxy is on loopback: before, the
scanner switched its limit off there; now no host has a fixed cap unless configured).

The proxy (tests/support/rateproxy.py) sleeps 50 ms before every answer and keeps a token
bucket of `rate` requests per second (a one-second burst): beyond it, 429 with Retry-After.
`--headers` adds RateLimit-Remaining/-Reset to every answer. The registry is Debian's
docker-registry in anonymous mode, seeded once (bench/work/registry-N-20). `--mode token`
serves the same storage in token mode, its token server behind a second such proxy (50 ms, the
same rate, its own bucket), so each token costs a round trip as Docker Hub's auth server does;
`--token-batch` is the scanner's `token_batch` (1: one token per image, as before batching).
To measure another tagbot: PYTHONPATH=/tmp/tagbot-old .venv/bin/python bench/latency_bench.py
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

# tagbot before anything from the checkout: bench.registry_bench puts the checkout first on
# sys.path, and a tagbot on PYTHONPATH (an older version to compare) must win.
from tagbot import imageref
from tagbot.models import RegistryOptions, TagList
from tagbot.scanner import Scanner

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # bench and tests.support

from bench import registry_bench  # noqa: E402
from tests.support.rateproxy import RateProxy  # noqa: E402
from tests.support.registry import RegistryServer  # noqa: E402

TAGS = 20


def run_once(storage: Path, images: int, args: argparse.Namespace) -> dict[str, Any]:
    """One fresh Scanner listing every repository through a fresh proxy."""
    rate = args.rate
    mode = getattr(args, "mode", "anonymous")
    refused: Counter[str] = Counter()
    with ExitStack() as stack:
        server = RegistryServer(mode, storage_dir=storage)
        if server.token_server is not None:  # the token server answers from far away too
            realm = RateProxy(server.token_server.realm, rate=rate, burst=int(rate), bind=args.bind)
            server.realm = f"{stack.enter_context(realm).url}/token"
            stack.callback(lambda: refused.update(realm.refused))
        stack.enter_context(server)
        proxy = RateProxy(
            server.url, rate=rate, burst=int(rate), headers=args.headers, bind=args.bind
        )
        stack.enter_context(proxy)
        refs = [imageref.parse(f"{proxy.host}/bench/r{n:03d}") for n in range(images)]
        batch = getattr(args, "token_batch", RegistryOptions.token_batch)
        # plain HTTP off loopback too
        options = RegistryOptions(host=proxy.host, insecure=True, token_batch=batch)
        with Scanner([options]) as scanner:
            started = time.perf_counter()
            results = scanner.list_many(refs)
            wall = time.perf_counter() - started
            counts = Counter(scanner.request_count)
        refused.update(proxy.refused)
    wrong = [n for n, r in results.items() if not isinstance(r, TagList) or len(r.tags) != TAGS]
    return {
        "wall": round(wall, 2),
        "tags_requests_per_image": round(counts["tags"] / images, 3),
        "requests": dict(counts),
        "refused": sum(refused.values()),
        "refused_twice": sum(1 for n in refused.values() if n > 1),
        "wrong": len(wrong),
        "example": str(results[wrong[0]])[:200] if wrong else "",
    }


def bench(images: int = 1000, rate: float = 100.0, runs: int = 3) -> dict[str, Any]:
    """bench/run.py's `latency` result: min/median/max wall, with and without RateLimit headers,
    and on a token registry (its token server behind the same 50 ms)."""
    storage = registry_bench.seed(images, TAGS)
    rows = []
    scenarios = {
        "429 + Retry-After only": ("anonymous", False),
        "RateLimit headers": ("anonymous", True),
        "token registry (batched tokens), 429 + Retry-After": ("token", False),
    }
    for scenario, (mode, headers) in scenarios.items():
        args = argparse.Namespace(rate=rate, headers=headers, bind="127.0.0.1", mode=mode)
        done = [run_once(storage, images, args) for _ in range(runs)]
        walls = [r["wall"] for r in done]
        rows.append(
            {
                "scenario": scenario,
                "wall": [min(walls), statistics.median(walls), max(walls)],
                "tags_per_image": max(r["tags_requests_per_image"] for r in done),
                "refused": max(r["refused"] for r in done),
                "refused_twice": max(r["refused_twice"] for r in done),
                "wrong": max(r["wrong"] for r in done),
            }
        )
    return {
        "name": "latency",
        "scenario": {"images": images, "rate": rate, "rtt_ms": 50, "runs": runs},
        "summary": {r["scenario"]: r["wall"][1] for r in rows},
        "met": {
            "wall": all(r["wall"][2] <= 15 for r in rows),
            "refused_twice": all(r["refused_twice"] == 0 and r["wrong"] == 0 for r in rows),
        },
        "rows": rows,
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Seed (once), run, print min/median/max and the request figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100.0, help="proxy's requests/s")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--headers", action="store_true", help="send RateLimit-* headers")
    parser.add_argument("--mode", choices=("anonymous", "token"), default="anonymous")
    parser.add_argument("--token-batch", type=int, default=RegistryOptions.token_batch)
    parser.add_argument(
        "--bind",
        default="127.0.0.1",
        help="the proxy's address; a non-loopback one (e.g. `hostname -I`) is what a remote "
        "registry looks like to a scanner that exempts loopback",
    )
    args = parser.parse_args(argv)
    storage = registry_bench.seed(args.images, TAGS)
    runs = [run_once(storage, args.images, args) for _ in range(args.runs)]
    walls = [r["wall"] for r in runs]
    print(
        f"{args.images} images x {TAGS} tags, 50 ms RTT, 429 beyond {args.rate:g}/s"
        f"{' with RateLimit headers' if args.headers else ''}, proxy on {args.bind}, "
        f"{args.mode} mode{f', token_batch {args.token_batch}' if args.mode == 'token' else ''}, "
        f"{args.runs} runs"
    )
    print(f"wall s min/median/max: {min(walls)} / {statistics.median(walls)} / {max(walls)}")
    for r in runs:
        print(
            f"  wall {r['wall']} s, tag lists/image {r['tags_requests_per_image']}, "
            f"requests {r['requests']}, 429s {r['refused']}, refused twice {r['refused_twice']}, "
            f"wrong {r['wrong']} {r['example']}"
        )


if __name__ == "__main__":
    main()
