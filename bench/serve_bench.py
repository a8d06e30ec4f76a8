"""Benchmark `tagbot serve`: events accepted per second, and registry push -> commit latency.

Run: .venv/bin/python bench/serve_bench.py [--events 2000] [--clients 8] [--rounds 5] [--debounce 1]
Target: latency under 5 s after the debounce window (push of a tag to Debian's docker-registry,
which notifies `tagbot serve`, until the commit is on the remote).

The set-up is the end-to-end test's (tests/e2e/test_serve.py): 20 images at 1.0.0 in a real
registry whose `notifications` endpoint is `tagbot serve`, a bare git remote deploying them in
push mode. Events are CNCF distribution notifications with the bearer token.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.support lives beside tagbot in the checkout

from tests.e2e.serving import SECRETS, Server, serve_config  # noqa: E402
from tests.e2e.world import cli_env  # noqa: E402
from tests.fakeforge import BareRepo, isolated_git_env  # noqa: E402
from tests.serve.payloads import distribution  # noqa: E402
from tests.support.registry import RegistryServer, free_port  # noqa: E402

IMAGES = [f"img{i:02d}" for i in range(20)]
MANIFEST = "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: {n}\n          image: {reg}/{n}:1.0.0\n"
RULES = 'images:\n  - name: "{reg}/*"\n    policy: semver\ndefaults: null\n'


def accepted_per_second(server: Server, host: str, events: int, clients: int) -> dict[str, float]:
    """Post `events` notifications with `clients` threads; events per second answered 202."""
    auth = {"Authorization": f"Bearer {SECRETS['TAGBOT_TEST_REGISTRY_TOKEN']}"}
    bodies = [distribution(host, f"bench/{IMAGES[i % 20]}", "1.0.0") for i in range(events)]
    with httpx.Client(
        base_url=server.url, timeout=30, limits=httpx.Limits(max_connections=clients)
    ) as client:

        def send(body: dict[str, object]) -> int:
            return client.post("/v1/events/distribution", json=body, headers=auth).status_code

        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            statuses = list(pool.map(send, bodies))
        elapsed = time.perf_counter() - started
    ok = statuses.count(202)
    return {
        "events": events,
        "accepted": ok,
        "seconds": round(elapsed, 3),
        "per_second": round(ok / elapsed, 1),
    }


def latency(server: Server, registry: RegistryServer, remote: BareRepo, rounds: int) -> list[float]:
    """Seconds from a tag pushed to the registry until its commit is on the remote."""
    found = []
    for k in range(rounds):
        server.wait_idle(published=server.metric("tagbot_updates_published_total"))
        before = remote.sha("main")
        with registry.seeder() as seeder:
            seeder.push_image(f"bench/{IMAGES[k]}", "1.1.0", label=f"{k}")
        pushed = time.perf_counter()
        while remote.sha("main") == before:
            if time.perf_counter() - pushed > 120:
                raise SystemExit("no commit after 120 s")
            time.sleep(0.01)
        found.append(time.perf_counter() - pushed)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--debounce", type=float, default=1.0)
    args = parser.parse_args()
    import os

    os.environ.update(isolated_git_env())
    with tempfile.TemporaryDirectory(prefix="tagbot-serve-bench-") as tmp:
        work = Path(tmp)
        port = free_port()
        url = f"http://127.0.0.1:{port}/v1/events/distribution"
        token = SECRETS["TAGBOT_TEST_REGISTRY_TOKEN"]
        with RegistryServer(
            "anonymous", work / "storage", notify=(url, f"Bearer {token}")
        ) as registry:
            reg = f"{registry.host}/bench"
            with registry.seeder() as seeder:
                for name in IMAGES:
                    seeder.push_image(f"bench/{name}", "1.0.0", label=name)
            remote = BareRepo(work / "remote.git")
            remote.commit({f"apps/{n}.yaml": MANIFEST.format(n=n, reg=reg) for n in IMAGES}, "seed")
            config = work / "serve" / "tagbot.yaml"
            config.parent.mkdir()
            git = {"provider": "git", "mode": "push", "repository": remote.url}
            config.write_text(
                serve_config(
                    reg, git, rules=RULES.format(reg=reg), debounce=args.debounce, queue=10000
                )
            )
            home = work / "home"
            home.mkdir()
            server = Server(config, cli_env(home), port)
            try:
                server.wait_ready()
                rate = accepted_per_second(server, registry.host, args.events, args.clients)
                seconds = latency(server, registry, remote, args.rounds)
            finally:
                server.stop()
    after = [s - args.debounce for s in seconds]
    result = {
        "accepted": rate,
        "debounce": args.debounce,
        "push_to_commit_seconds": [round(s, 3) for s in seconds],
        "after_debounce_median": round(statistics.median(after), 3),
        "after_debounce_max": round(max(after), 3),
        "target_after_debounce": 5.0,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
