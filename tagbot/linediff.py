"""A unified diff in linear time for edits that change a few lines in place (tagbot's own).

`difflib` finds the longest matching blocks first, which is quadratic on thousands of
near-identical lines: one file of 4,000 Deployments took 105 s to diff (bench/README.md). An
edit by tagbot replaces characters inside lines and inserts a few whole lines, so the two
texts can be aligned by walking them together and, at each difference, taking the nearest
point where they agree again. Its hunks are the ones difflib prints for such edits; an edit
too wide for the window falls back to difflib for the rest.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence

Opcode = tuple[str, int, int, int, int]
_WINDOW = 40  # lines looked ahead on each side for the point where the texts agree again
_STRONG = 3  # equal lines in a row that make a point of agreement


class _Aligned(difflib.SequenceMatcher[str]):
    """A SequenceMatcher whose opcodes are given, for difflib's own grouping into hunks."""

    def __init__(self, opcodes: list[Opcode]) -> None:
        super().__init__(None, [], [])
        self._given = opcodes

    def get_opcodes(self) -> list[Opcode]:  # type: ignore[override]
        return self._given


def unified(before: str, after: str, fromfile: str, tofile: str) -> str:
    """The unified diff of two texts (3 lines of context), every line ending with a newline."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    lines = list(_format(a, b, opcodes(a, b), fromfile, tofile))
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """difflib-style opcodes aligning `a` with `b`."""
    ops: list[Opcode] = []
    i = j = 0
    while i < len(a) or j < len(b):
        if i < len(a) and j < len(b) and a[i] == b[j]:
            i0, j0 = i, j
            while i < len(a) and j < len(b) and a[i] == b[j]:
                i, j = i + 1, j + 1
            _add(ops, ("equal", i0, i, j0, j))
            continue
        step = _resync(a, b, i, j)
        if step is None:  # too wide a change: difflib aligns the rest
            rest = difflib.SequenceMatcher(None, a[i:], b[j:], autojunk=False).get_opcodes()
            for t, i1, i2, j1, j2 in rest:
                _add(ops, (t, i + i1, i + i2, j + j1, j + j2))
            break
        di, dj = step
        # Inside the gap (at most 2 * _WINDOW lines) difflib's own alignment, cheaply.
        gap = difflib.SequenceMatcher(None, a[i : i + di], b[j : j + dj], autojunk=False)
        for t, i1, i2, j1, j2 in gap.get_opcodes():
            _add(ops, (t, i + i1, i + i2, j + j1, j + j2))
        i, j = i + di, j + dj
    return ops


def _add(ops: list[Opcode], op: Opcode) -> None:
    """Append an opcode, merging it into the last one when both are equal runs."""
    if ops and ops[-1][0] == "equal" and op[0] == "equal":
        last = ops.pop()
        op = ("equal", last[1], op[2], last[3], op[4])
    ops.append(op)


def _resync(a: Sequence[str], b: Sequence[str], i: int, j: int) -> tuple[int, int] | None:
    """The fewest lines to skip in `a` and `b` from (i, j) to where they agree again.

    They agree where _STRONG lines in a row are equal (or both texts end): a single equal line
    is often a repeated one (`spec:`, `---`). Without such a point in the window, the one with
    the longest equal run is taken; None when no line agrees at all.
    """
    best, best_run = None, 0
    for total in range(1, 2 * _WINDOW + 1):
        for di in range(max(0, total - _WINDOW), min(total, _WINDOW) + 1):
            run = _run(a, b, i + di, j + total - di)
            if run >= _STRONG:
                return di, total - di
            if run > best_run:
                best, best_run = (di, total - di), run
    return best


def _run(a: Sequence[str], b: Sequence[str], x: int, y: int) -> int:
    """How many lines agree from (x, y), up to _STRONG; both texts ending counts as _STRONG."""
    for n in range(_STRONG):
        if x + n == len(a) and y + n == len(b):
            return _STRONG
        if x + n >= len(a) or y + n >= len(b) or a[x + n] != b[y + n]:
            return n
    return _STRONG


def _format(
    a: Sequence[str], b: Sequence[str], ops: list[Opcode], fromfile: str, tofile: str
) -> Iterator[str]:
    """difflib.unified_diff's lines for the given opcodes."""
    started = False
    for group in _Aligned(ops).get_grouped_opcodes(3):
        if not started:
            started = True
            yield f"--- {fromfile}\n"
            yield f"+++ {tofile}\n"
        first, last = group[0], group[-1]
        yield f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + line for line in a[i1:i2])
                continue
            if tag in ("replace", "delete"):
                yield from ("-" + line for line in a[i1:i2])
            if tag in ("replace", "insert"):
                yield from ("+" + line for line in b[j1:j2])


def _range(start: int, stop: int) -> str:
    """difflib's `_format_range_unified`: `start,length`, 1-based; an empty range names the
    line before it."""
    beginning = start + 1
    length = stop - start
    if length == 1:
        return str(beginning)
    if not length:
        beginning -= 1
    return f"{beginning},{length}"
