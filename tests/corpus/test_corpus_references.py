"""Conformance: the extractor against the real-world corpus and its hand-checked oracle.

Every EXPECTED.tsv row that is a real reference in a parseable file must be found at its line;
trap rows must not be rewritable; no rewritable reference may lack a row. Exclusions and line
differences are listed below, each with its reason.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from tagbot.editor import extract, textio
from tagbot.editor.extract import Extraction

# Vendored in the repository (tests/corpus/data/README.md), so a clone can rerun the claim;
# a missing file fails collection instead of skipping.
CORPUS = Path(__file__).resolve().parent / "data"

# Rows (id, yaml_path) that tagbot does not report, on purpose.
EXCLUDED = {
    ("053", "global.image"): "registry alone (a chart-wide setting): never reported",
    ("057", "operator.prometheusConfigReloader.image"): "`image: {}` holds no scalar to point at",
}
# Whole files that are not YAML: they give a file problem and no references.
PROBLEM_FILES = {
    "116": "a Helm template, not YAML: skipped at info level",
}
# Streams where some documents are Go templates: skipped at info level, the others are read.
PARTLY_TEMPLATES = {"107": "a Go template in doc 14"}
# Where the oracle cites another line of the same reference than its first field.
LINE_DIFFERS = {
    ("027", "spec.values.redis"): (25, 26, "oracle cites `enabled:`, the map's first key"),
    ("033", "redis"): (172, 173, "oracle cites `enabled:`, the map's first key"),
    ("034", "redis"): (97, 98, "oracle cites `enabled:`, the map's first key"),
    ("053", "controller.image"): (27, 29, "oracle cites `chroot:`, the map's first key"),
    ("099", "spec.template.spec.source.helm.parameters[0]"): (26, 27, "`name:` line, not `value:`"),
    ("102", "spec.template.spec.source.helm.parameters[0]"): (36, 37, "`name:` line, not `value:`"),
    ("104", "helm.parameters[0]"): (3, 4, "`name:` line, not `value:`"),
    ("103", "spec.source.helm.values|nginxGateway.image"): (17, 18, "`image:`, not `repository:`"),
    ("103", "spec.source.helm.values|nginx.image"): (33, 34, "`image:`, not `repository:`"),
}
_TRAPS = ("NOT A", "NOT AN", "INVALID", "GLOBAL", "embedded in shell", "CI variable")


@dataclass(frozen=True)
class Row:
    """One oracle row."""

    id: str
    yaml_path: str
    split: str
    line: int

    @property
    def trap(self) -> bool:
        return self.split.startswith(_TRAPS)

    @property
    def in_block_scalar(self) -> bool:
        # Block scalars are read only where they hold YAML tagbot knows (Argo CD `values: |`).
        return "INSIDE a block-scalar" in self.split and "|" not in self.yaml_path


def _rows() -> list[Row]:
    with (CORPUS / "EXPECTED.tsv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        # The oracle's `values (literal block) -> image` is our locator `values|image`.
        return [
            Row(
                r["id"],
                r["yaml_path"].replace(" (literal block) -> ", "|"),
                r["split"],
                int(r["line"]),
            )
            for r in reader
        ]


@pytest.fixture(scope="module")
def results() -> dict[str, Extraction]:
    found = {}
    for path in sorted((CORPUS / "files").iterdir()):
        found[path.name[:3]] = extract(path.name, textio.read(path).text)
    return found


def _expected_line(row: Row) -> int:
    differs = LINE_DIFFERS.get((row.id, row.yaml_path))
    return differs[1] if differs else row.line


def test_every_reference_is_found(results: dict[str, Extraction]) -> None:
    rows = [r for r in _rows() if not r.trap]
    missing, found, skipped = [], 0, 0
    for row in rows:
        if row.in_block_scalar or (row.id, row.yaml_path) in EXCLUDED or row.id in PROBLEM_FILES:
            skipped += 1
            continue
        # The oracle writes `sast:container.image` where we JSON-quote `"sast:container".image`.
        at = {(o.line, o.locator.replace('"', "")) for o in results[row.id].occurrences}
        if (_expected_line(row), row.yaml_path) in at:
            found += 1
        else:
            missing.append(f"{row.id} {row.yaml_path} line {row.line}")
    print(f"\ncorpus: {found}/{len(rows) - skipped} references found at their line and locator,")
    print(f"corpus: {skipped} rows excluded (block scalars, files that are not YAML, EXCLUDED)")
    assert missing == []


def test_traps_are_not_rewritable(results: dict[str, Extraction]) -> None:
    traps = [r for r in _rows() if r.trap and r.id not in PROBLEM_FILES]
    assert traps
    for row in traps:
        at_line = [o for o in results[row.id].occurrences if o.line == row.line]
        assert not any(o.rewritable for o in at_line), row


def test_no_false_positives(results: dict[str, Extraction]) -> None:
    cited = {(r.id, _expected_line(r)) for r in _rows()}
    rewritable = [(i, o) for i, e in results.items() for o in e.occurrences if o.rewritable]
    extra = [f"{i} {o.locator} line {o.line}" for i, o in rewritable if (i, o.line) not in cited]
    print(f"\ncorpus: {len(rewritable)} rewritable references, {len(extra)} without a row")
    assert extra == []


def test_problem_files_report_a_problem(results: dict[str, Extraction]) -> None:
    for file_id in [*PROBLEM_FILES, *PARTLY_TEMPLATES]:
        result = results[file_id]
        assert result.problem is not None and result.problem.level == "info"
        assert (result.occurrences == ()) == (file_id in PROBLEM_FILES)
        assert result.problem.error.startswith("skipped: a Go template")
    assert [i for i, r in results.items() if r.problem] == sorted(
        {**PROBLEM_FILES, **PARTLY_TEMPLATES}
    )


def test_fields_span_their_values(results: dict[str, Extraction]) -> None:
    """Every field's span holds its value, quotes included, on the line it names."""
    for path in sorted((CORPUS / "files").iterdir()):
        text = textio.read(path).text
        for occ in results[path.name[:3]].occurrences:
            for f in occ.fields:
                source = text[f.start : f.end]
                assert source.strip("'\"") == f.value or f.style in ("'", '"'), (occ, f)
                assert text.count("\n", 0, f.start) + 1 == f.line
