"""The other benchmarks as result documents: `tagbot scan` on the editor's 5,000-file repo, the
policy selection benchmark, and the registry listing benchmark."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench import measure, policy_bench, registry_bench, scan_bench
from tests.support.registry import Mode

ROOT = Path(__file__).resolve().parent.parent
# policy_bench prints `  LABEL   BEST /  MEDIAN  -> PICK` per scenario.
_POLICY_LINE = re.compile(
    r"^  (?P<label>\S.*?)\s+(?P<best>[\d.]+) /\s+(?P<median>[\d.]+)\s+-> (?P<pick>.*)$"
)


def scan(runs: int, env: dict[str, str]) -> dict[str, Any]:
    """`tagbot scan --json` on bench/work/scan-repo (generated once): whole-process figures."""
    scan_bench.generate()
    files, size = scan_bench.size()
    done = []
    document: dict[str, Any] = {}
    for _ in range(runs):
        # Run inside the repo: `python -m` puts the working directory first on sys.path, and
        # the checkout's tagbot would shadow the one `--tagbot-path` asks for.
        args = [sys.executable, "-m", "tagbot", "scan", "--json", "."]
        result = measure.run(args, cwd=scan_bench.ROOT, env=env)
        if result.returncode not in (0, 1):
            raise SystemExit(f"tagbot scan failed ({result.returncode}): {result.stderr[-2000:]}")
        document = json.loads(result.stdout)
        done.append(result)
    figures = measure.summary(done)
    return {
        "name": "scan",
        "scenario": {"files": files, "megabytes": round(size / 1e6, 1)},
        "targets": {"wall_s": 10.0},
        "summary": {
            **figures,
            "mb_per_s_best": round(size / 1e6 / figures["wall_best"], 1),
            "references": len(document.get("references", [])),
            "problems": len(document.get("problems", [])),
        },
        "met": {"wall": figures["wall_median"] <= 10.0},
        "runs": [
            {"wall": round(r.wall, 3), "cpu": round(r.cpu, 3), "rss_mb": round(r.rss_mb, 1)}
            for r in done
        ],
    }


def policy(runs: int, env: dict[str, str]) -> dict[str, Any]:
    """bench/policy_bench.py in its own process; one row per scenario (cold selects, ms)."""
    script = Path(policy_bench.__file__)
    done = subprocess.run(
        [sys.executable, str(script), "--runs", str(runs)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    rows: list[dict[str, Any]] = []
    for line in done.stdout.splitlines():
        found = _POLICY_LINE.match(line)
        if found:
            rows.append(
                {
                    "scenario": found["label"],
                    "best_ms": float(found["best"]),
                    "median_ms": float(found["median"]),
                    "pick": found["pick"],
                }
            )
    if not rows:
        raise SystemExit(f"policy_bench printed no scenario lines:\n{done.stdout[-2000:]}")
    return {
        "name": "policy",
        "scenario": {"tags_per_list": policy_bench.SIZE, "runs": runs},
        "targets": {"best_ms": 50.0},
        "summary": {
            "worst_best_ms": max(r["best_ms"] for r in rows),
            "worst_median_ms": max(r["median_ms"] for r in rows),
        },
        "met": {"best": all(r["best_ms"] <= 50.0 for r in rows)},
        "rows": rows,
    }


def registry(repos: int = 100, tags: int = 200) -> dict[str, Any]:
    """bench/registry_bench.py's scenarios (rate limit off, 8 workers): wall and requests."""
    storage = registry_bench.seed(repos, tags)
    args = argparse.Namespace(repos=repos, tags=tags, rps=0, workers=8)
    scenarios: list[tuple[str, Mode, int | None]] = [
        ("anonymous, 1 page", "anonymous", None),
        ("token, 1 page", "token", None),
        ("token, 50 tags/page (4 pages)", "token", 50),
    ]
    rows: list[dict[str, Any]] = []
    for label, mode, page_size in scenarios:
        wall, counts = registry_bench.run(mode, storage, args, page_size)
        rows.append(
            {
                "scenario": label,
                "wall": round(wall, 3),
                "per_repo": {k: round(counts.get(k, 0) / repos, 2) for k in registry_bench.KINDS},
            }
        )
    return {
        "name": "registry",
        "scenario": {"repos": repos, "tags": tags},
        "summary": {r["scenario"]: r["wall"] for r in rows},
        "met": {"requests": all(r["per_repo"]["token"] <= 1 for r in rows)},
        "rows": rows,
    }
