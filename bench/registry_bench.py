"""Benchmark: list 100 repositories x 200 tags with the Scanner; wall time and requests per repo.

Run: .venv/bin/python bench/registry_bench.py [--repos N] [--tags N] [--rps R] [--workers W]
Target: one request per page plus at most one token per repository (and one ping per run).

The storage is seeded once into bench/work/registry-N-M (gitignored): one repository is pushed
over HTTP (200 manifests with distinct digests), and the others are copies of its directory in
distribution's filesystem layout, which is exactly what pushing them would have written.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.support lives beside tagbot in the checkout

from tagbot import imageref  # noqa: E402
from tagbot.models import RegistryOptions, TagList  # noqa: E402
from tagbot.scanner import Scanner  # noqa: E402
from tests.support.proxies import PagingProxy  # noqa: E402
from tests.support.registry import Mode, RegistryServer  # noqa: E402

KINDS = ("ping", "token", "tags", "manifest", "blob")
REPOS_DIR = Path("docker/registry/v2/repositories")


def seed(repos: int, tags: int) -> Path:
    """The storage directory with `repos` repositories of `tags` tags each (seeded once)."""
    storage = ROOT / "bench" / "work" / f"registry-{repos}x{tags}"
    stamp = storage / ".seeded"
    if stamp.exists():
        return storage
    shutil.rmtree(storage, ignore_errors=True)
    started = time.perf_counter()
    with RegistryServer("anonymous", storage_dir=storage) as server, server.seeder() as seeder:
        for i in range(tags):
            tag = f"1.{i // 20}.{i % 20}"
            seeder.push_image("bench/r000", [tag], label=tag)
    template = storage / REPOS_DIR / "bench" / "r000"
    for n in range(1, repos):
        shutil.copytree(template, template.parent / f"r{n:03d}")
    stamp.write_text(f"{repos} x {tags}\n")
    print(f"seeded {repos} x {tags} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return storage


@contextmanager
def target(
    mode: Mode, storage: Path, page_size: int | None
) -> Iterator[tuple[str, dict[str, str]]]:
    """A registry (behind a paging proxy when `page_size` is set): its host and login env."""
    with RegistryServer(mode, storage_dir=storage) as server:
        env = {"BENCH_USER": "alice", "BENCH_PASSWORD": server.users["alice"]}
        if page_size is None:
            yield server.host, env
            return
        with PagingProxy(server.url, page_size=page_size) as proxy:
            yield proxy.host, env


def run(
    mode: Mode, storage: Path, args: argparse.Namespace, page_size: int | None = None
) -> tuple[float, Counter[str]]:
    """List every repository once with a fresh Scanner; return wall time and request counts."""
    with target(mode, storage, page_size) as (host, env):
        options = RegistryOptions(
            host=host,
            username_env="BENCH_USER",
            password_env="BENCH_PASSWORD",
            requests_per_second=args.rps,
        )
        images = [imageref.parse(f"{host}/bench/r{n:03d}") for n in range(args.repos)]
        with Scanner([options], workers=args.workers, env=env) as scanner:
            started = time.perf_counter()
            results = scanner.list_many(images)
            wall = time.perf_counter() - started
            counts = Counter(scanner.request_count)
    for name, result in results.items():
        if not isinstance(result, TagList) or len(result.tags) != args.tags:
            raise SystemExit(f"{name}: wrong listing: {result!r}"[:300])
    return wall, counts


def main(argv: Sequence[str] | None = None) -> None:
    """Seed (once), run each scenario, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=100)
    parser.add_argument("--tags", type=int, default=200)
    parser.add_argument("--rps", type=float, default=0, help="per-host limit; 0: none")
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args(argv)
    storage = seed(args.repos, args.tags)
    scenarios: list[tuple[str, Mode, int | None]] = [
        ("anonymous, 1 page", "anonymous", None),
        ("htpasswd, 1 page", "htpasswd", None),
        ("token, 1 page", "token", None),
        ("token, 50 tags/page (4 pages)", "token", 50),
    ]
    print(
        f"{args.repos} repositories x {args.tags} tags, {args.workers} workers, rps {args.rps or 'unlimited'}"
    )
    print()
    print("| scenario | wall (s) | repos/s | " + " | ".join(f"{k}/repo" for k in KINDS) + " |")
    print("|---|---:|---:|" + "---:|" * len(KINDS))
    for label, mode, page_size in scenarios:
        wall, counts = run(mode, storage, args, page_size)
        per_repo = " | ".join(f"{counts.get(k, 0) / args.repos:.2f}" for k in KINDS)
        print(f"| {label} | {wall:.2f} | {args.repos / wall:.0f} | {per_repo} |")


if __name__ == "__main__":
    main()
