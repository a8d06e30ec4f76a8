"""Run every benchmark and write the figures to bench/results/LABEL.json and LABEL.md.

    .venv/bin/python bench/run.py                      # all, label "latest" (make bench)
    .venv/bin/python bench/run.py --label after --only scale,scan
    .venv/bin/python bench/run.py --label before --tagbot-path /tmp/tagbot-old   # another version
    .venv/bin/python bench/run.py --compare bench/results/before.json bench/results/after.json

Benchmarks: `scale` (tagbot plan and run on 500 files / 100 images / 19,596 tags, with
correctness checks and the parse floor; bench/scale_bench.py), `scale10` (the same, ten times
over: 5,000 files / 1,000 images / 195,960 tags; ~2 minutes of seeding the first time), `scan` (tagbot scan on 4,950 files; bench/scan_bench.py),
`policy` (one select over 10,000 tags; bench/policy_bench.py), `registry` (listing 100 x 200
tags; bench/registry_bench.py), `latency` (1,000 images behind 50 ms round trips and a
rate limit; bench/latency_bench.py) and `faults` (black hole, trickle, a million tags;
bench/faults_bench.py); the last three always measure this checkout's tagbot. First run: ~1 minute of seeding
into bench/work/ (gitignored), reused afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tagbot, tests.support and bench.* live in the checkout

from bench import faults_bench, latency_bench, others, scale_bench, summary  # noqa: E402

RESULTS = ROOT / "bench" / "results"
ALL = ("scale", "scale10", "scan", "policy", "registry", "latency", "faults")


def commit(tagbot_path: Path | None) -> str:
    """The tagbot version measured: a short commit, `-dirty` when tagbot/ has local edits."""
    if tagbot_path is not None:
        return f"from {tagbot_path}"

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)

    sha = git("rev-parse", "--short", "HEAD").stdout.strip() or "unknown"
    dirty = git("diff", "--quiet", "HEAD", "--", "tagbot").returncode != 0
    return sha + ("-dirty" if dirty else "")


def environment(tagbot_path: Path | None) -> dict[str, Any]:
    """Where the figures come from: machine, Python, tagbot version, load before the runs."""
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_before": round(os.getloadavg()[0], 2),
        "tagbot_commit": commit(tagbot_path),
    }


def run_all(args: argparse.Namespace) -> dict[str, Any]:
    """Run the chosen benchmarks; the results document."""
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(ALL))
    if unknown:
        raise SystemExit(
            f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(ALL)}"
        )
    doc: dict[str, Any] = {
        "label": args.label,
        "note": args.note,
        "started": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "environment": environment(args.tagbot_path),
        "results": [],
    }
    env = dict(os.environ)
    if args.tagbot_path is not None:
        env["PYTHONPATH"] = str(args.tagbot_path.resolve())
    for name in chosen:
        print(f"== {name}", file=sys.stderr)
        if name in ("scale", "scale10"):
            scale = 10 if name == "scale10" else 1
            result = scale_bench.bench(
                args.runs, args.mode, tagbot_path=args.tagbot_path, scale=scale, publish=True
            )
        elif name == "scan":
            result = others.scan(args.runs, env)
        elif name == "policy":
            result = others.policy(args.policy_runs, env)
        elif name == "latency":
            result = latency_bench.bench(runs=args.runs)
        elif name == "faults":
            result = faults_bench.bench()
        else:
            result = others.registry()
        doc["results"].append(result)
    return doc


def main(argv: list[str] | None = None) -> None:
    """Parse options, run or compare, write bench/results/LABEL.{json,md}."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="latest", help="results file name (default: latest)")
    parser.add_argument("--only", default=",".join(ALL), help="comma-separated: " + ",".join(ALL))
    parser.add_argument("--runs", type=int, default=3, help="runs of scale and scan")
    parser.add_argument("--policy-runs", type=int, default=15)
    parser.add_argument("--mode", choices=("token", "anonymous"), default="token")
    parser.add_argument("--tagbot-path", type=Path, help="measure the tagbot in this checkout")
    parser.add_argument("--note", default="", help="what is measured, written into the results")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A.json", "B.json"))
    args = parser.parse_args(argv)
    if args.compare:
        a, b = (json.loads(p.read_text()) for p in args.compare)
        sys.stdout.write(summary.compare(a, b))
        return
    doc = run_all(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.label}.json").write_text(json.dumps(doc, indent=1) + "\n")
    text = summary.markdown(doc)
    (RESULTS / f"{args.label}.md").write_text(text)
    sys.stdout.write(text)
    failed = [
        f"{r['name']}.{k}" for r in doc["results"] for k, ok in r.get("met", {}).items() if not ok
    ]
    if failed:
        print(f"targets not met: {', '.join(failed)}", file=sys.stderr)


if __name__ == "__main__":
    main()
