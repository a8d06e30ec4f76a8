"""Behaviour unchanged: `scan --json` on the corpus and `plan --json` on the scale repo print
byte-identical output with this tagbot and another version (a restructure's proof).

    mkdir /tmp/tagbot-old && git archive REF tagbot | tar -x -C /tmp/tagbot-old
    .venv/bin/python bench/same_output.py /tmp/tagbot-old [--corpus DIR]

Exits 1 and names the first differing line when the outputs differ.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shlex
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "work" / "same-output"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "files"


def tagbot(args: list[str], tagbot_path: Path, cwd: Path) -> bytes:
    """Run `python -m tagbot ARGS` with `tagbot_path` first on the import path; stdout."""
    env = {**os.environ, "PYTHONPATH": str(tagbot_path)}
    cmd = [sys.executable, "-m", "tagbot", *args]
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, check=False)
    return done.stdout + f"\n# exit {done.returncode}\n".encode()


def compare(name: str, old: bytes, new: bytes) -> bool:
    """True when equal; else print the first differences."""
    if old == new:
        print(f"{name}: identical ({len(new):,} bytes)")
        return True
    diff = difflib.unified_diff(
        old.decode().splitlines(), new.decode().splitlines(), "old", "new", lineterm="", n=1
    )
    print(f"{name}: DIFFERENT")
    for line in list(diff)[:40]:
        print("  " + line)
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path, help="a directory holding the other version's tagbot/")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    old_path, new_path = args.old.resolve(), ROOT
    scan = ["scan", "--json", str(args.corpus)]
    ok = compare("scan corpus", tagbot(scan, old_path, ROOT), tagbot(scan, new_path, ROOT))
    # The scale repo exists only while its registry runs: plan both versions inside it.
    script = " && ".join(
        f"PYTHONPATH={shlex.quote(str(p))} {shlex.quote(sys.executable)} -m tagbot plan --json"
        f" > {OUT / name}.json; true"
        for name, p in (("old", old_path), ("new", new_path))
    )
    bench = [sys.executable, str(HERE / "scale_bench.py"), "--runs", "1", "--exec", script]
    subprocess.run(bench, check=True, stdout=subprocess.DEVNULL)
    old, new = ((OUT / f"{n}.json").read_bytes() for n in ("old", "new"))
    ok = compare("plan scale repo", old, new) and ok
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
