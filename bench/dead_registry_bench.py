"""A dead registry must not eat the job: `tagbot run` with 100 images on a black-hole registry
(accepts TCP, never answers) and 10 on a healthy one, default timeouts, no deadline.

    .venv/bin/python bench/dead_registry_bench.py [--dead 100] [--healthy 10]

Target (issue 11): under 45 s, the 10 updates pushed, 100 problems reported. Prints wall time,
exit code, updates, problems, commits pushed and connections the black hole accepted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakeforge import BareRepo, isolated_git_env  # noqa: E402
from tests.fakeforge.gitrepo import git  # noqa: E402
from tests.support.blackhole import BlackHole  # noqa: E402
from tests.support.registry import RegistryServer  # noqa: E402


def deployment(name: str, images: list[str]) -> str:
    """A Deployment with one container per image."""
    containers = "".join(
        f"        - name: c{i}\n          image: {image}\n" for i, image in enumerate(images)
    )
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n"
        f"  template:\n    spec:\n      containers:\n{containers}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dead", type=int, default=100)
    parser.add_argument("--healthy", type=int, default=10)
    args = parser.parse_args()
    os.environ.update(isolated_git_env())
    with (
        tempfile.TemporaryDirectory(prefix="tagbot-dead-") as tmp,
        RegistryServer() as registry,
        BlackHole() as hole,
    ):
        work = Path(tmp)
        with registry.seeder() as seeder:
            for i in range(args.healthy):
                for tag in ("1.0.0", "1.1.0"):
                    seeder.push_image(f"ok/app{i}", tag, label=f"app{i}:{tag}")
        healthy = [f"{registry.host}/ok/app{i}:1.0.0" for i in range(args.healthy)]
        dead = [f"{hole.host}/dead/app{i}:1.0.0" for i in range(args.dead)]
        remote = BareRepo(work / "remote.git")
        config = f"git: {{provider: git, mode: push}}\nregistries:\n  - host: '{hole.host}'\n    insecure: true\n"
        remote.commit(
            {
                "tagbot.yaml": config,
                "ok/deploy.yaml": deployment("ok", healthy),
                "dead/deploy.yaml": deployment("dead", dead),
            },
            "config",
        )
        checkout = work / "checkout"
        git("clone", "--quiet", remote.url, str(checkout))
        env = {**os.environ, "HOME": str(work), "PYTHONPATH": str(ROOT)}
        pushes = len(remote.pushes())
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "tagbot", "run", "--config", "tagbot.yaml", "--json"],
            cwd=checkout, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        wall = time.perf_counter() - started
        data = json.loads(done.stdout)
        result = {
            "dead_images": args.dead,
            "healthy_images": args.healthy,
            "wall_s": round(wall, 1),
            "exit_code": done.returncode,
            "updates": len(data["updates"]),
            "problems": len(data["problems"]),
            "commits_pushed": len(remote.pushes()) - pushes,
            "black_hole_connections": hole.connections,
        }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
