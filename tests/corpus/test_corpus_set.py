"""Conformance: `set` every rewritable reference of the real-world corpus to a new tag.

Each changed file must re-parse, differ from the original only inside tag and digest values (or
by an inserted Kustomize `newTag` line), and extract to the same references with the new tag.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from tagbot.editor import extract, textio
from tagbot.editor.verify import compose
from tagbot.models import ImageRef, Occurrence
from tagbot.pipeline import setimages as setter

# Vendored in the repository (tests/corpus/data/README.md), so a clone can rerun the claim;
# a missing file fails collection instead of skipping.
CORPUS = Path(__file__).resolve().parent / "data"

DIGEST = "sha256:" + "f" * 64
# (tag, digest) per run: a plain tag; a tag YAML reads as a number (quoted when written plain);
# a tag with a digest (written into digest fields, tag values and image strings).
VERSIONS = [("9.9.9-tagbot", None), ("1.10", None), ("9.9.9-tagbot", DIGEST)]
FILES = sorted(p.name for p in (CORPUS / "files").iterdir() if p.suffix == ".yaml")
_KEY = r"""(?:newTag: (?:9\.9\.9-tagbot|"1\.10")|digest: sha256:f{64})"""
_INSERTED = re.compile(rf"^(?:\r?\n)?(?:[ ]*{_KEY}\r?\n?)+$|^(?:, {_KEY})+$")


@dataclass(frozen=True)
class Original:
    """A corpus file before the run: its text and what extraction found."""

    text: str
    occurrences: tuple[Occurrence, ...]
    problem: bool


@dataclass(frozen=True)
class Run:
    """The corpus before and after one `set` of every rewritable image."""

    before: dict[str, Original]
    after: dict[str, str]
    problems: tuple[str, ...]
    targets: int
    tag: str
    digest: str | None
    raw_after: dict[str, bytes]


@pytest.fixture(scope="module", params=VERSIONS, ids=["plain-tag", "numeric-tag", "with-digest"])
def run(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Run:
    tag, digest = request.param
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(CORPUS / "files", root, dirs_exist_ok=True)
    before: dict[str, Original] = {}
    names: set[tuple[str, str]] = set()
    for name in FILES:
        text = textio.read(root / name).text
        found = extract(name, text)
        before[name] = Original(text, found.occurrences, found.problem is not None)
        names |= {
            (o.image.registry, o.image.repository)
            for o in found.occurrences
            if o.rewritable and o.image
        }
    targets = [
        ImageRef(registry, repository, tag, digest) for registry, repository in sorted(names)
    ]
    plan = setter.plan_set(targets, [root])
    _, failed = setter.write(plan)
    after = {name: textio.read(root / name).text for name in FILES}
    problems = tuple(f"{p.where}: {p.error}" for p in (*plan.problems, *failed))
    raw = {name: (root / name).read_bytes() for name in FILES}
    return Run(before, after, problems, len(targets), tag, digest, raw)


def test_only_unparseable_files_are_problems(run: Run) -> None:
    unparseable = {name for name, orig in run.before.items() if orig.problem}
    assert [p for p in run.problems if p.split(":")[0] not in unparseable] == []
    assert all(run.after[name] == run.before[name].text for name in unparseable)


def _regions(a: str, b: str) -> list[tuple[int, int, str]]:
    """Changed regions (start, end in `a`, new text): lines first, then characters within."""
    a_lines, b_lines = a.splitlines(keepends=True), b.splitlines(keepends=True)
    offsets = [0]
    for line in a_lines:
        offsets.append(offsets[-1] + len(line))
    out: list[tuple[int, int, str]] = []
    lines = SequenceMatcher(None, a_lines, b_lines, autojunk=False)
    for op, i1, i2, j1, j2 in lines.get_opcodes():
        if op == "equal":
            continue
        old, new = "".join(a_lines[i1:i2]), "".join(b_lines[j1:j2])
        chars = SequenceMatcher(None, old, new, autojunk=False)
        for cop, x1, x2, y1, y2 in chars.get_opcodes():
            if cop != "equal":
                out.append((offsets[i1] + x1, offsets[i1] + x2, new[y1:y2]))
    return out


def _allowed(text: str, occurrences: tuple[Occurrence, ...]) -> list[tuple[int, int]]:
    """Spans a set may change: tag and digest values, and the version part of image strings."""
    spans: list[tuple[int, int]] = []
    for occ in occurrences:
        if not occ.rewritable:
            continue
        for field in occ.fields:
            if field.role in ("tag", "digest"):
                spans.append((field.start, field.end))
            if field.role != "image":
                continue
            raw = text[field.start : field.end]
            name = field.value.partition("@")[0]
            colon = name.rfind(":")
            version = colon if colon > name.rfind("/") else len(name)
            at = raw.rfind(field.value)
            spans.append((field.start + (at + version if at >= 0 else 0), field.end))
    return spans


@pytest.mark.parametrize("name", FILES)
def test_changed_file_differs_only_in_tags_and_keeps_its_bytes(run: Run, name: str) -> None:
    orig, after = run.before[name], run.after[name]
    original, written = (CORPUS / "files" / name).read_bytes(), run.raw_after[name]
    assert written.startswith(b"\xef\xbb\xbf") == original.startswith(b"\xef\xbb\xbf")
    assert written.endswith(b"\n") == original.endswith(b"\n")
    if original.count(b"\r\n") == original.count(b"\n") > 0:  # a CRLF file stays one
        assert written.count(b"\r\n") == written.count(b"\n")
    if after == orig.text:
        assert not any(o.rewritable for o in orig.occurrences) or orig.problem
        return
    compose(after)  # re-parses
    spans = _allowed(orig.text, orig.occurrences)
    for start, end, new in _regions(orig.text, after):
        inside = any(s <= start and end <= e for s, e in spans)
        inserted = start == end and _INSERTED.match(new) is not None
        assert inside or inserted, (
            f"change outside a tag at {start}: {orig.text[start:end]!r} -> {new!r}"
        )


@pytest.mark.parametrize("name", FILES)
def test_extract_again_finds_the_new_tags(run: Run, name: str) -> None:
    orig = run.before[name]
    if orig.problem:
        return
    again = extract(name, run.after[name])
    assert again.problem is None
    by_locator = {o.locator: o for o in again.occurrences}
    assert len(by_locator) == len(again.occurrences) == len(orig.occurrences)
    for old in orig.occurrences:
        new = by_locator[old.locator]
        if run.digest and old.rewritable and _sha_keyed(orig.text, old):
            # Grafana/Prometheus charts prepend `sha256:` to `sha`, so set writes the bare hex,
            # and extraction reads bare hex under `sha` as a sha256 digest.
            written = run.after[name]
            assert written.count(run.digest.removeprefix("sha256:")) > written.count(run.digest)
        assert (new.kind, new.image is None) == (old.kind, old.image is None)
        if not old.rewritable or old.image is None or new.image is None:
            assert (new.image, new.skip_reason) == (old.image, old.skip_reason)
            continue
        assert new.rewritable, new.skip_reason
        assert new.image == old.image.with_version(run.tag, run.digest)


def _sha_keyed(text: str, occ: Occurrence) -> bool:
    """True when the occurrence's digest sits under a `sha:` key."""
    for field in occ.fields:
        line = text[text.rfind("\n", 0, field.start) + 1 : field.start]
        if field.role == "digest" and re.search(r"\bsha[\"']?\s*:\s*$", line):
            return True
    return False


def test_figures(run: Run) -> None:
    changed = [n for n in FILES if run.after[n] != run.before[n].text]
    references = sum(1 for o in run.before.values() for occ in o.occurrences if occ.rewritable)
    print(
        f"\ncorpus set {run.tag}@{run.digest}: {len(FILES)} files, {run.targets} images, {references} references set, "
        f"{len(changed)} files changed, {len(run.problems)} problems"
    )
    assert len(changed) > 50 and references > 200
