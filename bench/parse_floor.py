"""The parse floor of the scale scenario: the CPU of merely loading the same YAML files once
with ruamel's C loader (`YAML(typ="safe", pure=False)`: libyaml's parser and composer), in a
process of its own, measured like `tagbot plan` (wall, CPU and peak RSS from wait4, interpreter
start and imports included) and, inside it, the CPU of the read-and-load loop alone.

    .venv/bin/python bench/parse_floor.py REPO FILE...      # prints {"documents", "loop_cpu"}
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from bench import measure  # noqa: E402


def load_all(root: Path, files: Sequence[str]) -> dict[str, Any]:
    """Read and load every document of `files` under `root`; their count and the loop's CPU."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=False)
    started, documents = time.process_time(), 0
    for rel in files:
        with open(root / rel, encoding="utf-8") as handle:
            documents += sum(1 for _ in yaml.load_all(handle.read()))
    return {"documents": documents, "loop_cpu": round(time.process_time() - started, 3)}


def measure_floor(root: Path, files: Sequence[str]) -> measure.Measured:
    """One measured floor process (the file list goes in through stdin's argument file)."""
    listing = root.parent / "floor-files.txt"
    listing.write_text("\n".join(files) + "\n", encoding="utf-8")
    done = measure.run([sys.executable, __file__, str(root), f"@{listing}"])
    if done.returncode != 0:
        raise SystemExit(f"parse floor failed:\n{done.stderr[-2000:]}")
    return done


def summary(
    floors: Sequence[measure.Measured], plans: Sequence[measure.Measured], references: int
) -> dict[str, Any]:
    """Floor figures, and plan's CPU against them: per reference and as a ratio (medians)."""
    loops = [json.loads(f.stdout)["loop_cpu"] for f in floors]
    floor_cpu = statistics.median(f.cpu for f in floors)
    plan_cpu = statistics.median(p.cpu for p in plans)
    plan_wall = statistics.median(p.wall for p in plans)
    return {
        **measure.summary(floors),
        "loop_cpu_median": round(statistics.median(loops), 3),
        "plan_cpu_per_reference_ms": round(plan_cpu / references * 1000, 3),
        "plan_cpu_over_floor": round(plan_cpu / floor_cpu, 2),
        "plan_wall_over_floor": round(plan_wall / floor_cpu, 2),
    }


def main(argv: Sequence[str]) -> None:
    """`REPO FILE...` or `REPO @LISTING`: load the files, print the count and loop CPU."""
    root, names = Path(argv[0]), list(argv[1:])
    if len(names) == 1 and names[0].startswith("@"):
        names = Path(names[0][1:]).read_text(encoding="utf-8").split()
    print(json.dumps(load_all(root, names)))


if __name__ == "__main__":
    main(sys.argv[1:])
