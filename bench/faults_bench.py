"""Benchmark: registries that misbehave. A black hole beside a healthy registry, a trickle, a
repository of 1,000,000 tags. Every scenario uses the scanner's default options.

Run: .venv/bin/python bench/faults_bench.py [--only blackhole,trickle,bigrepo]
Targets: 100 images on a black hole (accepts TCP, never answers) + 10 on a healthy
docker-registry in < 45 s with 10 listed and 100 problems (issue 11); a tag list trickled at
1 byte/s cut near `timeout` (issue 18: `timeout: 2` ran past 150 s); 1,000,000 tags over 10
pages refused at `max_tags` with memory bounded by what is kept (issue 18: 771 MB).
Each scenario runs in its own process, so its peak RSS (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

# tagbot before anything from the checkout: bench.registry_bench puts the checkout first on
# sys.path, and a tagbot on PYTHONPATH (an older version to compare) must win.
from tagbot import imageref
from tagbot.errors import RegistryError
from tagbot.models import RegistryOptions, TagList
from tagbot.scanner import Scanner

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # bench and tests.support

from bench import registry_bench  # noqa: E402
from tests.support.blackhole import BlackHole  # noqa: E402
from tests.support.registry import RegistryServer  # noqa: E402

SCENARIOS = ("blackhole", "trickle", "bigrepo")
BIG_PAGES, BIG_PAGE_SIZE = 10, 100_000


def blackhole() -> dict[str, Any]:
    """100 images on a black hole and 10 on a healthy registry, in one list_many."""
    storage = registry_bench.seed(10, 20)
    with RegistryServer("anonymous", storage_dir=storage) as server, BlackHole() as hole:
        stuck = [imageref.parse(f"{hole.host}/team/app{i:03d}") for i in range(100)]
        fine = [imageref.parse(f"{server.host}/bench/r{n:03d}") for n in range(10)]
        with Scanner() as scanner:
            started = time.perf_counter()
            results = scanner.list_many([*stuck, *fine])
            wall = time.perf_counter() - started
            counts = scanner.request_count
        connections = hole.connections
    listed = sum(isinstance(results[i.name], TagList) for i in fine)
    problems = [str(results[i.name]) for i in stuck if isinstance(results[i.name], RegistryError)]
    return {
        "wall": round(wall, 2),
        "listed": listed,
        "problems": len(problems),
        "black_hole_connections": connections,
        "requests": counts,
        "example": problems[0][:160] if problems else "",
    }


def trickle() -> dict[str, Any]:
    """A tag list sent at 1 byte/s, `timeout: 2` (the issue's reproduction)."""
    server = _serve(_trickle_handler())
    host = f"127.0.0.1:{server.server_address[1]}"
    options = RegistryOptions(host=host, timeout=2.0)
    with Scanner([options]) as scanner:
        started = time.perf_counter()
        try:
            scanner.list_tags(imageref.parse(f"{host}/slow/app"))
            outcome = "listed"
        except RegistryError as exc:
            outcome = str(exc)
        wall = time.perf_counter() - started
        counts = scanner.request_count
    server.shutdown()
    return {"wall": round(wall, 2), "outcome": outcome[:160], "requests": counts}


def bigrepo(max_tags: int | None) -> dict[str, Any]:
    """1,000,000 tags over 10 pages of 100,000, with the default `max_tags` or another."""
    server = _serve(_big_handler())
    host = f"127.0.0.1:{server.server_address[1]}"
    options = RegistryOptions(host=host, **({"max_tags": max_tags} if max_tags else {}))
    with Scanner([options]) as scanner:
        started = time.perf_counter()
        try:
            listing = scanner.list_tags(imageref.parse(f"{host}/big/app"))
            outcome = f"listed {len(listing.tags)} tags"
        except RegistryError as exc:
            outcome = str(exc)
        wall = time.perf_counter() - started
        counts = scanner.request_count
    server.shutdown()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return {"wall": round(wall, 2), "peak_rss_mb": peak, "outcome": outcome, "requests": counts}


def _serve(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    Thread(target=server.serve_forever, daemon=True).start()
    return server


class _Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, body: bytes, headers: Sequence[tuple[str, str]] = ()) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers:
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


def _trickle_handler() -> type[BaseHTTPRequestHandler]:
    class Handler(_Quiet):
        def do_GET(self) -> None:
            if self.path == "/v2/":
                return self._send(b"{}")
            body = json.dumps({"name": "slow/app", "tags": ["1.0"] * 1000}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for i in range(len(body)):
                    self.wfile.write(body[i : i + 1])
                    time.sleep(1.0)
            except OSError:
                return  # the client hung up: what the total timeout is for

    return Handler


def _big_handler() -> type[BaseHTTPRequestHandler]:
    class Handler(_Quiet):
        def do_GET(self) -> None:
            if self.path == "/v2/":
                return self._send(b"{}")
            page = int(self.path.rpartition("page=")[2]) if "page=" in self.path else 0
            first = page * BIG_PAGE_SIZE
            tags = [f"1.{n // 1000}.{n % 1000}-b{n}" for n in range(first, first + BIG_PAGE_SIZE)]
            links = []
            if page + 1 < BIG_PAGES:
                links = [("Link", f'</v2/big/app/tags/list?page={page + 1}>; rel="next"')]
            self._send(json.dumps({"name": "big/app", "tags": tags}).encode(), links)

    return Handler


def _in_child(name: str) -> Iterator[str]:
    """Run one scenario in a fresh interpreter; yields its JSON lines."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", name], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr[-2000:]}")
    yield from done.stdout.splitlines()


def bench() -> dict[str, Any]:
    """bench/run.py's `faults` result: every scenario, each in its own process."""
    rows = [
        json.loads(line) for name in (*SCENARIOS, "bigrepo-unbounded") for line in _in_child(name)
    ]
    by_name = {r["scenario"]: r for r in rows}
    hole = by_name["blackhole"]
    return {
        "name": "faults",
        "summary": {r["scenario"]: r["wall"] for r in rows},
        "met": {
            "blackhole": hole["wall"] < 45 and hole["listed"] == 10 and hole["problems"] == 100,
            "trickle": by_name["trickle"]["wall"] < 15,
            "bigrepo": "more than" in by_name["bigrepo"]["outcome"],
        },
        "rows": rows,
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Run the chosen scenarios, each in its own process, and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SCENARIOS))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        runs = {
            "blackhole": blackhole,
            "trickle": trickle,
            "bigrepo": lambda: bigrepo(None),
            "bigrepo-unbounded": lambda: bigrepo(10_000_000),
        }
        print(json.dumps({"scenario": args.child, **runs[args.child]()}))
        return
    for name in args.only.split(","):
        names = [name, "bigrepo-unbounded"] if name == "bigrepo" else [name]
        for child in names:
            for line in _in_child(child):
                print(line, flush=True)


if __name__ == "__main__":
    main()
