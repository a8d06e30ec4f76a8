"""tagbot/linediff.py: the linear unified diff prints difflib's hunks for tagbot's edits and is
always a correct patch."""

from __future__ import annotations

import difflib
import random
import re
from pathlib import Path

import pytest

from tagbot import linediff

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.iterdir() if (p / "expected.yaml").is_file())
_HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")


def _difflib(a: str, b: str) -> str:
    lines = difflib.unified_diff(a.splitlines(True), b.splitlines(True), "a/f", "b/f")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _patch(a: str, diff: str) -> str:
    """Apply a unified diff of texts that end with a newline."""
    old, out, at = a.splitlines(True), [], 0
    for line in diff.splitlines(True)[2:]:
        hunk = _HUNK.match(line)
        if hunk:
            start = int(hunk.group(1)) - (0 if hunk.group(2) == "0" else 1)
            out += old[at:start]
            at = start
        elif line[0] in " -":
            assert old[at] == line[1:]
            at += 1
            if line[0] == " ":
                out.append(line[1:])
        else:
            out.append(line[1:])
    return "".join(out + old[at:])


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_edits_diff_as_difflib_does(case: Path) -> None:
    a = (case / "input.yaml").read_bytes().decode("utf-8", "replace")
    b = (case / "expected.yaml").read_bytes().decode("utf-8", "replace")
    assert linediff.unified(a, b, "a/f", "b/f") == _difflib(a, b)


def test_random_edits_give_a_correct_patch() -> None:
    rnd = random.Random(11)
    words = ["image: a:1", "tag: 1", "name: x", "spec:", "---", "  - b", ""]
    for _ in range(2000):
        a = [rnd.choice(words) + "\n" for _ in range(rnd.randint(1, 60))]
        b = list(a)
        for _ in range(rnd.randint(1, 6)):
            k = rnd.randrange(len(b))
            if rnd.random() < 0.7:
                b[k] = b[k].rstrip("\n") + ".2\n"
            else:
                b.insert(k, "newTag: 9\n")
        before, after = "".join(a), "".join(b)
        assert _patch(before, linediff.unified(before, after, "a/f", "b/f")) == after


def test_a_change_wider_than_the_window_falls_back_to_difflib() -> None:
    a = "".join(f"line {n}\n" for n in range(200))
    b = "".join(f"other {n}\n" for n in range(150)) + a[a.index("line 150") :]
    assert linediff.unified(a, b, "a/f", "b/f") == _difflib(a, b)


def test_identical_texts_have_no_diff() -> None:
    assert linediff.unified("a\n", "a\n", "a/f", "b/f") == ""
