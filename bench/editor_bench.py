"""Editor bounds on hostile and huge files (issue 18): time and peak memory per scenario.

    .venv/bin/python bench/editor_bench.py [--docs 8000]

Each scenario runs in its own process so one crash or peak does not hide the others.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

_DOC = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
spec:
  template:
    spec:
      containers:
      - name: app
        image: ghcr.io/acme/app-{m}:1.0.{i}
"""

_CHILD = """
import json, resource, sys, time
from tagbot.editor import apply, extract
from tagbot.models import Update
text = sys.stdin.read()
t0 = time.perf_counter(); found = extract("f.yaml", text); t1 = time.perf_counter()
applied = apply("f.yaml", text, [Update(o, "2.0.0") for o in found.occurrences if o.rewritable])
t2 = time.perf_counter(); diff = applied.edit.diff(); t3 = time.perf_counter()
print(json.dumps({
    "references": len(found.occurrences), "problem": found.problem and found.problem.error,
    "extract_s": round(t1 - t0, 2), "apply_s": round(t2 - t1, 2), "diff_s": round(t3 - t2, 2),
    "diff_lines": diff.count("\\n"),
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
}))
"""


def scenarios(docs: int) -> dict[str, str]:
    """Name -> file text."""
    stream = "---\n".join(_DOC.format(i=i, m=i % 50) for i in range(docs))
    return {
        f"{docs} documents, every image updated": stream,
        "28,000 levels of [": "image: " + "[" * 28_000 + "\n",
        "28,000 levels of '- '": "image: x\n---\n" + "- " * 28_000 + "x\n",
    }


def main() -> None:
    """Run every scenario and print one table row each."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=8000)
    args = parser.parse_args()
    print("| scenario | exit | result |")
    print("|---|---|---|")
    for name, text in scenarios(args.docs).items():
        done = subprocess.run(
            [sys.executable, "-c", _CHILD], input=text, capture_output=True, text=True, check=False
        )
        result = json.loads(done.stdout) if done.returncode == 0 else done.stderr[-200:]
        print(f"| {name} | {done.returncode} | {result} |")


if __name__ == "__main__":
    main()
