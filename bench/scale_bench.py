"""Benchmark: `tagbot plan --json` on the scale scenario, against a real registry on loopback.

    .venv/bin/python bench/scale_bench.py [--runs 3] [--mode token|anonymous] [--profile]
        [--scale 10] [--publish]

100 repositories holding 19,596 tags (semver, -alpine variants, pre-releases, floating aliases)
are seeded once into bench/work/scale/registry by writing distribution's storage directly
(gitignored). A 500-file config repo with 1,071 references is generated
for the registry's address (it changes every run), committed, and given a bare remote.
Each run is one `tagbot plan --json` process: wall, CPU, peak RSS, registry requests by kind
(the registry's access log; tokens from the token server) and whether every reference got the
update a human would pick. `--scale 10` is the same scenario ten times over (1,000 images,
195,960 tags, 5,000 files, 10,710 references; seeded into registry-x10). Every run also
measures the parse floor: one process loading every YAML file of the repo with ruamel's C
loader (`parse_floor.py`). `--publish` also times `tagbot run` publishing every update as one
commit pushed to the bare remote (reset after each run). `--profile` runs plan once more under
cProfile; `--exec CMD` runs a shell command in the repo instead, with the registry up
(`--exec 'python -X importtime ...'`).
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tagbot, tests.support and bench.* live in the checkout

from bench import measure, parse_floor  # noqa: E402
from bench.scale import catalog, check, repo, storage  # noqa: E402
from bench.scale.server import KINDS, LoggedRegistry  # noqa: E402

WORK = ROOT / "bench" / "work" / "scale"
TARGETS = {"wall_s": 3.0, "rss_mb": 150.0}
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(*args: str, cwd: Path) -> None:
    """Run git quietly with the bench identity."""
    subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, check=True, capture_output=True
    )


RUN_CONFIG = "tagbot-run.yaml"  # tagbot.yaml, but one commit for every update, pushed


def workdir(scale: int) -> Path:
    """Where a scale's registry storage and repo live: registry/, run/ (x1), *-x10 (x10)."""
    return WORK if scale == 1 else WORK / f"x{scale}"


def make_repo(images: list[catalog.Image], host: str, scale: int = 1) -> tuple[Path, repo.Scenario]:
    """The config repo for `host`, committed on `main` and pushed to a bare remote."""
    base = workdir(scale) / "run"
    shutil.rmtree(base, ignore_errors=True)
    checkout, remote = base / "repo", base / "remote.git"
    checkout.mkdir(parents=True)
    scenario = repo.build(images, host, scale)
    repo.write(scenario, checkout)
    run_config = scenario.config.replace("  mode: pull-request", "  mode: push\n  grouping: all")
    (checkout / RUN_CONFIG).write_text(run_config, encoding="utf-8")
    git("init", "-q", "--bare", "-b", "main", str(remote), cwd=base)
    git("init", "-q", "-b", "main", cwd=checkout)
    git("add", "-A", cwd=checkout)
    git("commit", "-q", "-m", "scale scenario", cwd=checkout)
    git("remote", "add", "origin", str(remote), cwd=checkout)
    git("push", "-q", "origin", "main", cwd=checkout)
    return checkout, scenario


def compile_bytecode(tagbot_path: Path | None = None) -> None:
    """Write the .pyc files of tagbot and its dependencies, as an install (and the Docker
    image) has them: with PYTHONDONTWRITEBYTECODE set and no cache, every measured process
    would compile ~400 modules from source first (0.5-1.4 s of CPU, not tagbot's)."""
    import site
    import sysconfig

    folders = [str(tagbot_path or ROOT / "tagbot"), sysconfig.get_paths()["purelib"]]
    folders += [p for p in site.getsitepackages() if p not in folders]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", *folders],
        check=False,
        capture_output=True,
    )


def tagbot_env(docker_config: Path, tagbot_path: Path | None = None) -> dict[str, str]:
    """The environment of the measured process: no docker login, no TAGBOT_* settings;
    `tagbot_path` (a checkout, e.g. from `git archive`) runs another version of tagbot."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAGBOT_")}
    env.update(GIT_ENV)
    env["DOCKER_CONFIG"] = str(docker_config)
    if tagbot_path is not None:
        env["PYTHONPATH"] = str(tagbot_path.resolve())
    return env


def expected_requests(scenario: repo.Scenario) -> dict[str, int]:
    """The ceilings: one tag list and one token per image, one digest per pinned reference."""
    images = {e["image"] for e in scenario.expected}
    pinned = [e for e in scenario.expected if e["pinned"]]
    needed = {(e["image"], e["to"]) for e in pinned if e["to"] is not None}
    return {"images": len(images), "pinned_references": len(pinned), "digests_needed": len(needed)}


def one_run(
    registry: LoggedRegistry, checkout: Path, scenario: repo.Scenario, env: dict[str, str]
) -> dict[str, Any]:
    """One measured `tagbot plan --json`, its requests and its verdict."""
    offset, tokens = registry.log_size(), registry.tokens_issued()
    args = [sys.executable, "-m", "tagbot", "plan", "--json", "--config", "tagbot.yaml"]
    servers = _server_cpu(registry)
    done = measure.run(args, cwd=checkout, env=env)
    served = {k: round(v - servers[k], 3) for k, v in _server_cpu(registry).items()}
    kinds, statuses = registry.requests_since(offset)
    kinds["token"] = registry.tokens_issued() - tokens
    if done.returncode not in (0, 1):
        raise SystemExit(f"tagbot plan failed ({done.returncode}):\n{done.stderr[-3000:]}")
    plan = json.loads(done.stdout)
    verdict = check.compare(plan, scenario.expected)
    return {
        "wall": round(done.wall, 3),
        "cpu": round(done.cpu, 3),
        "rss_mb": round(done.rss_mb, 1),
        "server_cpu": served,
        "requests": {k: kinds.get(k, 0) for k in KINDS},
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "updates": verdict.found_updates,
        "expected_updates": verdict.expected_updates,
        "correct": verdict.correct,
        "mismatches": verdict.mismatches,
        "exit_code": done.returncode,
        "_measured": done,
    }


def _server_cpu(registry: LoggedRegistry) -> dict[str, float]:
    """CPU seconds so far of what answers tagbot on the same cores: the registry process, and
    this process (the token server's threads; the harness itself idles while tagbot runs)."""
    process = registry._process  # the bench reads its own server's /proc entry
    ticks = os.sysconf("SC_CLK_TCK")
    registry_cpu = 0.0
    if process is not None:
        fields = Path(f"/proc/{process.pid}/stat").read_text().rpartition(")")[2].split()
        registry_cpu = (int(fields[11]) + int(fields[12])) / ticks
    own = os.times()
    return {"registry": registry_cpu, "token_server": own.user + own.system}


def publish_run(checkout: Path, env: dict[str, str]) -> dict[str, Any]:
    """One measured `tagbot run` that commits every update at once and pushes it to the bare
    remote; the checkout and the remote are put back on the scenario's commit afterwards."""
    base = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=checkout, capture_output=True, text=True, check=True
    ).stdout.strip()
    args = [sys.executable, "-m", "tagbot", "run", "--json", "--config", RUN_CONFIG]
    done = measure.run(args, cwd=checkout, env=env)
    pushed = subprocess.run(
        ["git", "log", "--format=%H", "-n", "2", "origin/main"],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    changed = subprocess.run(
        ["git", "diff", "--name-only", base, "origin/main"],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    git("reset", "-q", "--hard", base, cwd=checkout)
    git("push", "-q", "-f", "origin", f"{base}:main", cwd=checkout)
    git("update-ref", "refs/remotes/origin/main", base, cwd=checkout)
    if done.returncode not in (0, 1) or len(pushed) != 2 or pushed[1] != base:
        raise SystemExit(f"tagbot run failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return {
        "wall": round(done.wall, 3),
        "cpu": round(done.cpu, 3),
        "rss_mb": round(done.rss_mb, 1),
        "files_changed": len(changed),
        "_measured": done,
    }


def profile(checkout: Path, env: dict[str, str], out: Path) -> None:
    """One more plan under cProfile; prints the costliest functions."""
    args = [
        sys.executable,
        "-m",
        "cProfile",
        "-o",
        str(out),
        "-m",
        "tagbot",
        "plan",
        "--json",
        "--config",
        "tagbot.yaml",
    ]
    subprocess.run(args, cwd=checkout, env=env, capture_output=True, check=False)
    stats = pstats.Stats(str(out))
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(25)


def bench(
    runs: int = 3,
    mode: str = "token",
    profile_to: Path | None = None,
    command: str | None = None,
    tagbot_path: Path | None = None,
    scale: int = 1,
    publish: bool = False,
) -> dict[str, Any]:
    """Seed (once), generate the repo, run `tagbot plan` `runs` times (and the parse floor,
    and `tagbot run` when `publish`); the result document. `command` (a shell command) runs
    in the repo instead, with the registry up."""
    compile_bytecode(tagbot_path)
    images = catalog.build(scale)
    store = workdir(scale) / "registry"
    if storage.seed(store, images):
        print(f"seeded {store}", file=sys.stderr)
    results: list[dict[str, Any]] = []
    floors: list[measure.Measured] = []
    published: list[dict[str, Any]] = []
    registry = LoggedRegistry(mode, storage_dir=store)  # type: ignore[arg-type]
    with registry:
        checkout, scenario = make_repo(images, registry.host, scale)
        with tempfile.TemporaryDirectory(prefix="bench-docker-") as docker_config:
            env = tagbot_env(Path(docker_config), tagbot_path)
            if command is not None:
                subprocess.run(command, shell=True, cwd=checkout, env=env, check=False)
                return {}
            for n in range(runs):
                floors.append(parse_floor.measure_floor(checkout, list(scenario.texts)))
                result = one_run(registry, checkout, scenario, env)
                results.append(result)
                print(
                    _line(n, result) + f"; parse floor {floors[-1].cpu:.2f} s cpu", file=sys.stderr
                )
                if publish:
                    published.append(publish_run(checkout, env))
                    p = published[-1]
                    print(
                        f"  run: {p['wall']:.2f} s wall, {p['cpu']:.2f} s cpu, "
                        f"{p['rss_mb']:.0f} MB, {p['files_changed']} files",
                        file=sys.stderr,
                    )
            if profile_to is not None:
                profile(checkout, env, profile_to)
    measured = [r.pop("_measured") for r in results]
    ceilings = expected_requests(scenario)
    doc = document(results, measured, scenario, ceilings, mode, scale)
    doc["floor"] = parse_floor.summary(floors, measured, len(scenario.expected))
    if published:
        doc["publish"] = {
            **measure.summary([p.pop("_measured") for p in published]),
            "runs": published,
        }
    return doc


def document(
    results: list[dict[str, Any]],
    measured: list[measure.Measured],
    scenario: repo.Scenario,
    ceilings: dict[str, int],
    mode: str,
    scale: int = 1,
) -> dict[str, Any]:
    """The JSON written to bench/results: scenario, per-run figures, summary, targets met."""
    figures = measure.summary(measured)
    for server in ("registry", "token_server"):
        spent = [r["server_cpu"][server] for r in results]
        figures[f"{server}_cpu_median"] = round(statistics.median(spent), 3)
    worst: Counter[str] = Counter()
    for r in results:
        for kind, count in r["requests"].items():
            worst[kind] = max(worst[kind], count)
    last = results[-1]
    met = {
        "wall": figures["wall_median"] <= TARGETS["wall_s"],
        "rss": figures["rss_mb_median"] <= TARGETS["rss_mb"],
        "tag_lists": worst["tags"] <= ceilings["images"],
        "tokens": worst["token"] <= ceilings["images"],
        "digests": worst["manifest"] <= ceilings["pinned_references"],
        "correct": all(
            not r["mismatches"] and r["correct"] == len(scenario.expected) for r in results
        ),
    }
    return {
        "name": "scale-plan",
        "scale": scale,
        "registry_mode": mode,
        "scenario": {
            "files": len(scenario.texts),
            "references": len(scenario.expected),
            "images": ceilings["images"],
            "tags": sum(len(i.tags) for i in catalog.build(scale)),
            "digest_pinned_references": ceilings["pinned_references"],
            "digests_needed": ceilings["digests_needed"],
            "expected_updates": last["expected_updates"],
        },
        "targets": {
            **TARGETS,
            "tag_lists": ceilings["images"],
            "tokens": ceilings["images"],
            "digests": ceilings["pinned_references"],
        },
        "summary": {**figures, "requests_max": dict(worst)},
        "met": met if scale == 1 else {k: v for k, v in met.items() if k not in ("wall", "rss")},
        "runs": [
            {k: v for k, v in r.items() if k != "mismatches"} | {"mismatches": len(r["mismatches"])}
            for r in results
        ],
        "mismatches": last["mismatches"][:100],
    }


def _line(n: int, r: dict[str, Any]) -> str:
    req = " ".join(f"{k}={v}" for k, v in r["requests"].items() if v)
    return (
        f"run {n + 1}: {r['wall']:.2f} s wall, {r['cpu']:.2f} s cpu, {r['rss_mb']:.0f} MB; "
        f"{req}; {r['updates']} updates, {r['correct']} correct, "
        f"{len(r['mismatches'])} mismatches; servers {r['server_cpu']['registry']:.2f} s "
        f"(registry) + {r['server_cpu']['token_server']:.2f} s (token server) cpu"
    )


def main(argv: list[str] | None = None) -> None:
    """Run the scale benchmark and print its document (JSON) and any mismatches."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mode", choices=("token", "anonymous"), default="token")
    parser.add_argument("--profile", action="store_true", help="one more run under cProfile")
    parser.add_argument("--exec", dest="command", help="run this shell command in the repo instead")
    parser.add_argument("--tagbot-path", type=Path, help="a checkout of another tagbot version")
    parser.add_argument("--scale", type=int, default=1, help="1 (500 files) or 10 (5,000)")
    parser.add_argument("--publish", action="store_true", help="also time `tagbot run`")
    args = parser.parse_args(argv)
    prof = workdir(args.scale) / "plan.prof" if args.profile else None
    result = bench(
        args.runs, args.mode, prof, args.command, args.tagbot_path, args.scale, args.publish
    )
    if args.command:
        return
    for line in result["mismatches"][:30]:
        print("MISMATCH", line)
    print(json.dumps({k: v for k, v in result.items() if k != "mismatches"}, indent=1))


if __name__ == "__main__":
    main()
