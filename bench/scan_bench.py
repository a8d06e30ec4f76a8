"""Time `tagbot scan --json` end to end on a synthetic GitOps repo (~5,000 files, ~50 MB).

The repo is generated deterministically into bench/work/scan-repo (gitignored): mostly files
without images (CRDs with large schemas, Services, ConfigMaps), plus Deployments, Helm values,
Kustomizations, HelmReleases and Argo CD Applications that hold ~4,000 references.

    .venv/bin/python bench/scan_bench.py            # generate if missing, run 3 times
    .venv/bin/python bench/scan_bench.py --profile  # one in-process run under cProfile
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "work" / "scan-repo"
STAMP = ROOT / ".generated-v1"
WORDS = [
    "the",
    "of",
    "a",
    "to",
    "and",
    "container",
    "image",
    "pod",
    "spec",
    "field",
    "value",
    "name",
    "port",
    "set",
    "when",
    "used",
    "must",
]


def _prose(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _schema(rng: random.Random, depth: int, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for i in range(rng.randint(4, 9)):
        name = rng.choice(["image", "imagePullPolicy", "repository", "tag", "replicas", "env",
                           "resources", "selector", "ports", "args", f"field{i}"])  # fmt: skip
        lines += [f"{pad}{name}{i}:" if name.startswith("field") else f"{pad}{name}:"]
        lines += [f"{pad}  description: {_prose(rng, rng.randint(8, 30))}"]
        if depth and rng.random() < 0.45:
            lines += [f"{pad}  type: object", f"{pad}  properties:"]
            lines += _schema(rng, depth - 1, indent + 4)
        else:
            lines += [f"{pad}  type: {rng.choice(['string', 'integer', 'boolean'])}"]
    return lines


def crd(rng: random.Random, i: int) -> str:
    head = f"""apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets{i}.example.com
spec:
  group: example.com
  names: {{kind: Widget{i}, plural: widgets{i}}}
  versions:
  - name: v1
    served: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
"""
    return head + "\n".join(_schema(rng, 4, 10)) + "\n"


def service(rng: random.Random, i: int) -> str:
    return f"""apiVersion: v1
kind: Service
metadata:
  name: svc-{i}
  labels: {{app: svc-{i}, heritage: Helm, release: r{i % 7}}}
spec:
  selector:
    app: svc-{i}
  ports:
  - name: http
    port: {8000 + i % 100}
    targetPort: http
"""


def configmap(rng: random.Random, i: int) -> str:
    body = "\n".join(f"    {_prose(rng, 12)}" for _ in range(rng.randint(40, 160)))
    extra = "    image: nginx:1.25 # a config file, not a reference\n" if i % 10 == 0 else ""
    return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-{i}
data:
  app.conf: |
{body}
{extra}"""


def deployment(rng: random.Random, i: int) -> str:
    tag = f"{rng.randint(1, 3)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
spec:
  replicas: 2
  template:
    spec:
      initContainers:
      - name: wait
        image: busybox:1.36
      containers:
      - name: app
        image: ghcr.io/acme/app-{i % 300}:{tag}
        imagePullPolicy: IfNotPresent
        ports: [{{containerPort: 8080}}]
        env:
{"".join(f'        - {{name: VAR_{k}, value: "{_prose(rng, 4)}"}}{chr(10)}' for k in range(20))}"""


def values(rng: random.Random, i: int) -> str:
    blocks = []
    for k in range(rng.randint(5, 15)):
        blocks.append(
            f"""component{k}:
  enabled: true
  image:
    registry: docker.io
    repository: bitnami/thing-{k}
    tag: {rng.randint(1, 9)}.{rng.randint(0, 9)}.0-debian-12-r{rng.randint(0, 50)}
    digest: ""
  resources: {{}}
"""
            + "".join(f"  # -- {_prose(rng, 10)}\n  setting{n}: {n}\n" for n in range(40))
        )
    return 'global:\n  imageRegistry: ""\n' + "".join(blocks)


def kustomization(rng: random.Random, i: int) -> str:
    return f"""apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [deployment.yaml, service.yaml]
images:
- name: ghcr.io/acme/app-{i % 300}
  newTag: v{rng.randint(1, 9)}.{rng.randint(0, 9)}.0
"""


def helmrelease(rng: random.Random, i: int) -> str:
    return f"""apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {{name: rel-{i}}}
spec:
  chart:
    spec: {{chart: podinfo, version: 6.x}}
  values:
    image:
      repository: ghcr.io/stefanprodan/podinfo
      tag: 6.{rng.randint(0, 9)}.0 # {{"$imagepolicy": "flux-system:podinfo:tag"}}
"""


def application(rng: random.Random, i: int) -> str:
    return f"""apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: app-{i}}}
spec:
  source:
    repoURL: https://github.com/acme/deploy
    kustomize:
      images:
      - ghcr.io/acme/app-{i % 300}:v1.{rng.randint(0, 9)}.0
"""


# kind -> (generator, files): ~4,950 files in all.
KINDS = {
    "crds": (crd, 250),
    "services": (service, 1480),
    "configmaps": (configmap, 1300),
    "deployments": (deployment, 800),
    "values": (values, 120),
    "kustomize": (kustomization, 500),
    "releases": (helmrelease, 300),
    "argocd": (application, 200),
}


def generate() -> None:
    """Write the repo once; a stamp file marks a complete tree."""
    if STAMP.exists():
        return
    rng = random.Random(20240601)
    for kind, (make, count) in KINDS.items():
        for i in range(count):
            path = ROOT / kind / f"d{i // 100:02d}" / f"{kind}-{i:04d}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(make(rng, i), encoding="utf-8")
    STAMP.write_text("ok\n")


def size() -> tuple[int, int]:
    """(files, bytes) of the YAML files in the repo."""
    files = list(ROOT.rglob("*.yaml"))
    return len(files), sum(f.stat().st_size for f in files)


def run_cli() -> tuple[float, dict[str, list[object]]]:
    """One `tagbot scan --json` process: wall seconds and its JSON."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tagbot", "scan", "--json", str(ROOT)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"scan failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, json.loads(done.stdout)


def profile() -> None:
    """One in-process scan under cProfile; prints the 25 costliest functions."""
    from tagbot.pipeline import discover

    profiler = cProfile.Profile()
    profiler.enable()
    found = discover([ROOT])
    profiler.disable()
    print(f"{len(found.occurrences)} references, {len(found.problems)} problems")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="profile one in-process run")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    generate()
    files, total = size()
    megabytes = total / 1e6
    print(f"repo: {files} files, {megabytes:.1f} MB at {ROOT}")
    if args.profile:
        profile()
        return
    best = float("inf")
    for _ in range(args.runs):
        seconds, document = run_cli()
        best = min(best, seconds)
        refs, problems = len(document["references"]), len(document["problems"])
        print(f"scan: {seconds:.2f} s, {megabytes / seconds:.1f} MB/s, {refs} references, "
              f"{problems} problems")  # fmt: skip
    print(
        f"best: {best:.2f} s for {files} files / {megabytes:.1f} MB = {megabytes / best:.1f} MB/s"
    )


if __name__ == "__main__":
    main()
