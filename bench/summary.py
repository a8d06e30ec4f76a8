"""Render benchmark results as Markdown, and compare two result files side by side."""

from __future__ import annotations

from typing import Any


def _yes(flag: bool) -> str:
    return "yes" if flag else "**no**"


def scale_md(r: dict[str, Any]) -> list[str]:
    """The scale scenario: figures, requests by kind against their ceilings, correctness."""
    s, t, m, sc = r["summary"], r["targets"], r["met"], r["scenario"]
    req = s["requests_max"]
    scale = r.get("scale", 1)
    wall_target = f"≤ {t['wall_s']:.0f}" if scale == 1 else ""
    rss_target = f"≤ {t['rss_mb']:.0f}" if scale == 1 else "≤ 200"

    def row(label: str, fig: dict[str, Any], key: str, fmt: str, target: str = "") -> str:
        values = " | ".join(
            format(fig.get(f"{key}_{k}", float("nan")), fmt) for k in ("best", "median", "max")
        )
        return f"| {label} | {values} | {target} |"

    lines = [
        f"### `tagbot plan --json`, scale scenario x{scale} ({r['registry_mode']} registry)",
        "",
        f"{sc['files']} files, {sc['references']} references, {sc['images']} images, "
        f"{sc['tags']} tags, {sc['digest_pinned_references']} digest-pinned references "
        f"({sc['digests_needed']} distinct digests to fetch), {sc['expected_updates']} "
        f"expected updates; {len(r['runs'])} runs.",
        "",
        "| figure | min | median | max | target |",
        "|---|---:|---:|---:|---|",
        row("plan wall (s)", s, "wall", ".2f", wall_target),
        row("plan CPU (s)", s, "cpu", ".2f"),
        row("plan peak RSS (MB)", s, "rss_mb", ".0f", rss_target),
    ]
    floor = r.get("floor")
    if floor:
        lines += [
            row("parse floor CPU (s)", floor, "cpu", ".2f"),
            row("parse floor wall (s)", floor, "wall", ".2f"),
        ]
    publish = r.get("publish")
    if publish:
        lines += [
            row("`run` wall (s), one commit pushed", publish, "wall", ".2f", "≤ 2 x plan"),
            row("`run` CPU (s)", publish, "cpu", ".2f"),
            row("`run` peak RSS (MB)", publish, "rss_mb", ".0f"),
        ]
    if floor:
        lines += [
            "",
            f"Plan CPU per reference {floor['plan_cpu_per_reference_ms']:.3f} ms; plan CPU / parse "
            f"floor CPU {floor['plan_cpu_over_floor']:.2f} (target ≤ 1.5); plan wall / parse floor "
            f"CPU {floor['plan_wall_over_floor']:.2f} (target ≤ 1); the floor loop alone "
            f"{floor['loop_cpu_median']:.2f} s CPU (medians).",
        ]
    if "registry_cpu_median" in s:
        both = s["cpu_median"] + s["registry_cpu_median"] + s["token_server_cpu_median"]
        lines += [
            "",
            f"On the same cores during a plan (medians): the registry {s['registry_cpu_median']:.2f} s "
            f"CPU, the token server {s['token_server_cpu_median']:.2f} s; with tagbot's "
            f"{s['cpu_median']:.2f} s that is {both:.2f} s of CPU, so {both / 2:.2f} s of wall at "
            "the least on 2 cores.",
        ]
    lines += [
        "",
        "| requests (most in a run) | count | ceiling | met |",
        "|---|---:|---:|---|",
        f"| tag lists | {req.get('tags', 0)} | {t['tag_lists']} (1 per image, 1 page) | {_yes(m['tag_lists'])} |",
        f"| tokens | {req.get('token', 0)} | {t['tokens']} (1 per repository) | {_yes(m['tokens'])} |",
        f"| manifests (digests) | {req.get('manifest', 0)} | {t['digests']} (1 per pinned reference) | {_yes(m['digests'])} |",
        f"| pings `/v2/` | {req.get('ping', 0)} | | |",
        f"| blobs | {req.get('blob', 0)} | | |",
        "",
        f"Updates found: {r['runs'][-1]['updates']} of {sc['expected_updates']} expected; "
        f"references with the update a human would pick: {r['runs'][-1]['correct']} of "
        f"{sc['references']} (correct: {_yes(m['correct'])}).",
    ]
    if r.get("mismatches"):
        lines += ["", "Mismatches (first 20):", ""] + [f"- {x}" for x in r["mismatches"][:20]]
    return lines


def scan_md(r: dict[str, Any]) -> list[str]:
    """`tagbot scan` on the 5,000-file repo."""
    s, sc = r["summary"], r["scenario"]
    return [
        f"### `tagbot scan --json`, {sc['files']} files / {sc['megabytes']} MB",
        "",
        "| wall best (s) | wall median (s) | CPU median (s) | peak RSS (MB) | MB/s | references | target | met |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
        f"| {s['wall_best']:.2f} | {s['wall_median']:.2f} | {s['cpu_median']:.2f} | "
        f"{s['rss_mb_median']:.0f} | {s['mb_per_s_best']} | {s['references']} | < 10 s | {_yes(r['met']['wall'])} |",
    ]


def policy_md(r: dict[str, Any]) -> list[str]:
    """One cold `select` over 10,000 tags, per scenario."""
    lines = [
        f"### Policy selection, {r['scenario']['tags_per_list']} tags, {r['scenario']['runs']} cold runs",
        "",
        "| scenario | best (ms) | median (ms) | pick |",
        "|---|---:|---:|---|",
    ]
    lines += [
        f"| {x['scenario']} | {x['best_ms']:.1f} | {x['median_ms']:.1f} | `{x['pick']}` |"
        for x in r["rows"]
    ]
    lines += ["", f"Target: best under 50 ms in every scenario: {_yes(r['met']['best'])}."]
    return lines


def registry_md(r: dict[str, Any]) -> list[str]:
    """Listing 100 repositories x 200 tags."""
    kinds = list(r["rows"][0]["per_repo"])
    lines = [
        f"### Registry listing, {r['scenario']['repos']} repositories x {r['scenario']['tags']} tags",
        "",
        "| scenario | wall (s) | " + " | ".join(f"{k}/repo" for k in kinds) + " |",
        "|---|---:|" + "---:|" * len(kinds),
    ]
    for row in r["rows"]:
        per = " | ".join(f"{row['per_repo'][k]:.2f}" for k in kinds)
        lines.append(f"| {row['scenario']} | {row['wall']:.2f} | {per} |")
    return lines


def latency_md(r: dict[str, Any]) -> list[str]:
    """Listing through the latency proxy: 50 ms round trips, 429 beyond a rate."""
    sc = r["scenario"]
    lines = [
        f"### Latency proxy, {sc['images']} images, {sc['rtt_ms']} ms RTT, 429 beyond "
        f"{sc['rate']:g}/s, {sc['runs']} runs",
        "",
        "| scenario | wall min / median / max (s) | tag lists per image | 429s | refused twice |",
        "|---|---:|---:|---:|---:|",
    ]
    for x in r["rows"]:
        wall = " / ".join(f"{w:.2f}" for w in x["wall"])
        lines.append(
            f"| {x['scenario']} | {wall} | {x['tags_per_image']:.3f} | {x['refused']} "
            f"| {x['refused_twice']} |"
        )
    met = r["met"]
    lines += [
        "",
        f"Target: <= 15 s, none refused twice: {_yes(met['wall'] and met['refused_twice'])}.",
    ]
    return lines


def faults_md(r: dict[str, Any]) -> list[str]:
    """Registries that misbehave: black hole, trickle, a million tags."""
    lines = ["### Faulty registries (default options)", "", "| scenario | wall (s) | outcome |"]
    lines.append("|---|---:|---|")
    for x in r["rows"]:
        if x["scenario"] == "blackhole":
            outcome = (
                f"{x['listed']} listed, {x['problems']} problems, "
                f"{x['black_hole_connections']} connection(s) to the black hole"
            )
        else:
            outcome = x["outcome"] + (
                f", peak RSS {x['peak_rss_mb']} MB" if "peak_rss_mb" in x else ""
            )
        lines.append(f"| {x['scenario']} | {x['wall']:.2f} | {outcome} |")
    return lines


RENDER = {
    "scale-plan": scale_md,
    "scan": scan_md,
    "policy": policy_md,
    "registry": registry_md,
    "latency": latency_md,
    "faults": faults_md,
}


def markdown(doc: dict[str, Any]) -> str:
    """The whole results file as Markdown."""
    env = doc["environment"]
    lines = [
        f"# tagbot benchmarks: {doc['label']}",
        "",
        f"{doc['started']}, tagbot {env['tagbot_commit']}, Python {env['python']}, "
        f"{env['cpus']} CPUs, load average {env['load_before']} before the runs.",
    ]
    if doc.get("note"):
        lines += ["", str(doc["note"])]
    for result in doc["results"]:
        lines += ["", *RENDER[result["name"]](result)]
    return "\n".join(lines) + "\n"


def _figure(doc: dict[str, Any], name: str, path: tuple[str, ...]) -> Any:
    for result in doc["results"]:
        if result["name"] == name:
            value: Any = result
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
            return value
    return None


COMPARED = [
    ("scale: wall median (s)", "scale-plan", ("summary", "wall_median")),
    ("scale: parse floor CPU median (s)", "scale-plan", ("floor", "cpu_median")),
    ("scale: run wall median (s)", "scale-plan", ("publish", "wall_median")),
    ("scale: CPU median (s)", "scale-plan", ("summary", "cpu_median")),
    ("scale: peak RSS median (MB)", "scale-plan", ("summary", "rss_mb_median")),
    ("scale: tag-list requests", "scale-plan", ("summary", "requests_max", "tags")),
    ("scale: tokens", "scale-plan", ("summary", "requests_max", "token")),
    ("scale: manifest requests", "scale-plan", ("summary", "requests_max", "manifest")),
    ("scale: updates found", "scale-plan", ("runs", "-1", "updates")),
    ("scale: correct references", "scale-plan", ("runs", "-1", "correct")),
    ("scan: wall median (s)", "scan", ("summary", "wall_median")),
    ("scan: peak RSS median (MB)", "scan", ("summary", "rss_mb_median")),
    ("policy: slowest best (ms)", "policy", ("summary", "worst_best_ms")),
    ("policy: slowest median (ms)", "policy", ("summary", "worst_median_ms")),
]


def compare(a: dict[str, Any], b: dict[str, Any]) -> str:
    """A Markdown table of the headline figures of two result files."""
    lines = [f"| figure | {a['label']} | {b['label']} |", "|---|---:|---:|"]
    for label, name, path in COMPARED:
        if path[:2] == ("runs", "-1"):
            runs_a, runs_b = _figure(a, name, ("runs",)), _figure(b, name, ("runs",))
            left = runs_a[-1].get(path[2]) if runs_a else None
            right = runs_b[-1].get(path[2]) if runs_b else None
        else:
            left, right = _figure(a, name, path), _figure(b, name, path)
        if left is None and right is None:
            continue
        lines.append(
            f"| {label} | {'' if left is None else left} | {'' if right is None else right} |"
        )
    return "\n".join(lines) + "\n"
