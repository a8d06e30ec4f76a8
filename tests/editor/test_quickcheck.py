"""editor/quickcheck.py proves an edit with one parse; it must never accept what the full check
(verify.Baseline, both trees compared) refuses. Checked on the real-world corpus with the values
a broken quoting rule would let through, and on cases each side must decide."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagbot.editor import quickcheck, textio
from tagbot.editor.extract import extract
from tagbot.editor.splice import Splice, apply_splices, locate
from tagbot.editor.verify import Baseline, Expected

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "data"
# Raw replacements, unquoted on purpose: what a quoting bug could splice in.
HOSTILE = ["1.10", "a: b", "x #c", "[a]", "{a: 1}", "- x", "'q", '"q', "a\nb", "&x y", "!!int 5",
           "*x", "", " y", "y ", "|\n  z", "a,b", "c]", "%x", "@x", "? x", ">", "1.2.3", "yes"]  # fmt: skip


def _cases(path: Path) -> list[tuple[str, str, Splice, Expected]]:
    text = textio.read(path).text
    cases = []
    for occ in extract(path.name, text).occurrences:
        for field in occ.fields:
            scalar = locate(text, field.start, field.end)
            for value in HOSTILE:
                splice = Splice(scalar.body_start, scalar.body_end, value)
                cases.append((text, value, splice, Expected(field.start, field.end, value)))
    return cases


def test_the_corpus_has_files() -> None:
    assert len(sorted(CORPUS.rglob("*.y*ml"))) >= 100  # a missing corpus fails, never skips


@pytest.mark.parametrize("path", sorted(CORPUS.rglob("*.y*ml"))[::4], ids=lambda p: p.name)
def test_never_proves_what_the_full_check_refuses(path: Path) -> None:
    for text, value, splice, expected in _cases(path):
        after = apply_splices(text, [splice])
        if quickcheck.proves(text, after, [splice], [expected]):
            assert Baseline(text).check(after, [expected]) is None, (path.name, value)


TEXT = "image:\n  repository: nginx  # web\n  tag: 1.25.3\nlist: [a, b]\n"


@pytest.mark.parametrize(
    ("new", "proved"),
    [
        pytest.param("1.26.0", True, id="plain-tag"),
        pytest.param('"1.10"', True, id="quoted-float-lookalike"),
        pytest.param("1.10", False, id="plain-float"),
        pytest.param("yes: no", False, id="becomes-a-mapping"),
        pytest.param("1.26 #x", False, id="comment-cuts-it"),
        pytest.param("null", False, id="plain-null"),
    ],
)  # fmt: skip
def test_table(new: str, proved: bool) -> None:
    start = TEXT.index("1.25.3")
    splice = Splice(start, start + len("1.25.3"), new)
    value = new.strip('"')
    after = apply_splices(TEXT, [splice])
    assert quickcheck.proves(TEXT, after, [splice], [Expected(start, splice.end, value)]) is proved


def test_insertions_and_several_splices_in_one_field_go_to_the_full_check() -> None:
    start = TEXT.index("1.25.3")
    insert = Splice(start, start, "x")
    assert not quickcheck.proves(TEXT, "", [insert], [Expected(start, start + 6, "x1.25.3")])
    two = [Splice(start, start + 1, "2"), Splice(start + 2, start + 3, "9")]
    after = apply_splices(TEXT, two)
    assert not quickcheck.proves(TEXT, after, two, [Expected(start, start + 6, "2.95.3")])


def test_shifts_are_followed_across_many_edits() -> None:
    text = "".join(f"- image: app{n}:1.0\n" for n in range(50))
    splices, expected = [], []
    for n in range(50):
        start = text.index(f"app{n}:1.0")
        end = start + len(f"app{n}:1.0")
        new = f"app{n}:1.0.{n}" * (n % 3 + 1) if n % 2 else f"app{n}:2"
        splices.append(Splice(start, end, new))
        expected.append(Expected(start, end, new))
    after = apply_splices(text, splices)
    assert quickcheck.proves(text, after, splices, expected)
    wrong = [*expected[:-1], Expected(expected[-1].start, expected[-1].end, "other")]
    assert not quickcheck.proves(text, after, splices, wrong)
