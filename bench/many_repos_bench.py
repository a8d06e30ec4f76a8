"""Many repositories, one run: 50 config repos x 100 references sharing 100 images.

    .venv/bin/python bench/many_repos_bench.py [--repos 50] [--images 100]

Starts Debian's docker-registry on loopback (anonymous), pushes IMAGES x 4 tags, makes REPOS bare
remotes whose files reference every image once (100 references each), and runs `tagbot plan
--json` with a config naming every repository. Prints wall time, the registry requests by kind
(from tagbot's JSON log) and the updates per repository: the target is one tag-list request per
image however many repositories use it (100, not 5,000).
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
from tests.support.registry import RegistryServer  # noqa: E402

TAGS = ("1.0.0", "1.0.1", "1.1.0", "2.0.0")


def files_for(host: str, images: int) -> dict[str, str]:
    """Ten Deployments of ten containers each: one reference to every image at 1.0.0."""
    files = {}
    for f in range(images // 10):
        containers = "".join(
            f"        - name: c{i}\n          image: {host}/bench/app{f * 10 + i}:1.0.0\n"
            for i in range(10)
        )
        files[f"apps/app{f}/deploy.yaml"] = (
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{f}\nspec:\n"
            f"  template:\n    spec:\n      containers:\n{containers}"
        )
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=50)
    parser.add_argument("--images", type=int, default=100)
    args = parser.parse_args()
    os.environ.update(isolated_git_env())
    with tempfile.TemporaryDirectory(prefix="tagbot-many-") as tmp, RegistryServer() as registry:
        work = Path(tmp)
        started = time.perf_counter()
        with registry.seeder() as seeder:
            for i in range(args.images):
                for tag in TAGS:
                    seeder.push_image(f"bench/app{i}", tag, label=f"app{i}:{tag}")
        seeded = time.perf_counter() - started
        files = files_for(registry.host, args.images)
        urls = []
        for r in range(args.repos):
            remote = BareRepo(work / f"repo{r}.git")
            remote.commit(files, "config")
            urls.append(remote.url)
        entries = "".join(f"  - repository: {u}\n" for u in urls)
        config = work / "tagbot.yaml"
        config.write_text(f"git: {{provider: git, mode: push}}\nrepositories:\n{entries}")
        env = {**os.environ, "HOME": str(work), "PYTHONPATH": str(ROOT)}
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "tagbot", "--log-format", "json", "plan", "-c", str(config), "--json"],
            cwd=work, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        wall = time.perf_counter() - started
    logs = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    requests = next((x["requests"] for x in logs if x.get("message") == "registry requests"), {})
    repos = json.loads(done.stdout)["repositories"]
    updates = [len(r["updates"]) for r in repos]
    print(
        json.dumps(
            {
                "repos": args.repos,
                "references": args.repos * args.images,
                "images": args.images,
                "seed_s": round(seeded, 1),
                "plan_wall_s": round(wall, 2),
                "exit_code": done.returncode,
                "requests": requests,
                "updates_per_repo": sorted(set(updates)),
                "problems": sum(len(r["problems"]) for r in repos),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
