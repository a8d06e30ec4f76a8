"""Soak-time lookups: `History.introduction` for every reference of three overlays with a long
history, against a walk of each line's whole history (`git log -L` without a limit).

    .venv/bin/python bench/history_bench.py [--images 100] [--commits 200]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

from tagbot.pipeline.history import History, introduced

ENVS = ("dev", "staging", "prod")


def build(root: Path, images: int, commits: int) -> None:
    """A repo whose every commit bumps every image in dev and two thirds of them elsewhere."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@x"}
    env |= {
        "GIT_COMMITTER_NAME": "a",
        "GIT_COMMITTER_EMAIL": "a@x",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    subprocess.run(["git", "init", "--quiet", str(root)], check=True, env=env)
    for version in range(1, commits + 1):
        for name in ENVS:
            lines = ["images:"]
            for i in range(images):
                minor = version if name == "dev" or i % 3 else version - 1
                lines += [f"  - name: ghcr.io/acme/app{i}", f'    newTag: "1.{minor}.{i}"']
            path = root / "overlays" / name / "kustomization.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
        subprocess.run(["git", "commit", "-qm", f"v{version}"], cwd=root, check=True, env=env)


def lines(root: Path, images: int) -> list[tuple[str, int, str]]:
    """(path, line, tag) of every reference at HEAD."""
    found = []
    for name in ENVS:
        path = f"overlays/{name}/kustomization.yaml"
        text = (root / path).read_text(encoding="utf-8").splitlines()
        found += [(path, 3 + 2 * i, text[2 + 2 * i].split('"')[1]) for i in range(images)]
    return found


def main() -> None:
    """Build the repo, then time both lookups over every reference."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=100)
    parser.add_argument("--commits", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tagbot-history-") as tmp:
        root = Path(tmp)
        build(root, args.images, args.commits)
        refs = lines(root, args.images)
        started = time.perf_counter()
        history = History(root)
        assert all(history.introduction(p, n, tag) for p, n, tag in refs)
        limited = time.perf_counter() - started
        started = time.perf_counter()
        whole = History(root)
        assert all(introduced(whole.changes(p, n), tag) for p, n, tag in refs)
        full = time.perf_counter() - started
    print(f"{len(refs)} references, {args.commits} commits")
    print(f"introduction (newest two commits first): {limited:.2f} s")
    print(f"whole line history:                      {full:.2f} s")


if __name__ == "__main__":
    main()
