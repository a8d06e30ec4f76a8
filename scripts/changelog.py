"""Print the CHANGELOG.md section of one release (the GitHub release notes); exit 1 if it has none.

    python scripts/changelog.py 0.1.0 > notes.md

The release workflow runs this before publishing anything, so a tag without its section fails early.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

CHANGELOG = Path(__file__).resolve().parent.parent / "CHANGELOG.md"


def section(text: str, version: str) -> str | None:
    """The body under `## [version] - date`, without the heading; None when there is none."""
    heading = re.compile(rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", re.M)
    found = heading.search(text)
    if found is None:
        return None
    rest = text[found.end() :]
    end = re.search(r"^## |^\[[^\]]+\]: ", rest, re.M)
    return rest[: end.start() if end else len(rest)].strip() + "\n"


def main(argv: list[str]) -> int:
    """Print the section for argv[0] (a version, a leading `v` allowed)."""
    if len(argv) != 1:
        print("usage: changelog.py VERSION", file=sys.stderr)
        return 2
    version = argv[0].removeprefix("v")
    body = section(CHANGELOG.read_text(encoding="utf-8"), version)
    if body is None:
        print(f"CHANGELOG.md has no '## [{version}] - YYYY-MM-DD' section", file=sys.stderr)
        return 1
    sys.stdout.write(body)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
