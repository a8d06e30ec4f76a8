"""The vendored corpus is whole: every file matches its checksum and names where it came from."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "data"
FILES = sorted((CORPUS / "files").iterdir())


def _provenance() -> dict[str, dict[str, str]]:
    with (CORPUS / "PROVENANCE.tsv").open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle, delimiter="\t")}


def test_every_file_matches_sha256sums() -> None:
    sums = {}
    for line in (CORPUS / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        sums[name] = digest
    assert set(sums) == {p.name for p in FILES}
    changed = [p.name for p in FILES if hashlib.sha256(p.read_bytes()).hexdigest() != sums[p.name]]
    assert changed == []


def test_every_file_names_its_source_repository_path_and_commit() -> None:
    rows = _provenance()
    assert sorted(rows) == sorted(p.name[:3] for p in FILES)
    for row in rows.values():
        assert re.fullmatch(r"[\w.-]+/[\w.-]+", row["repo"]), row
        assert row["path"].endswith((".yaml", ".yml")), row
        assert re.fullmatch(r"[0-9a-f]{40}", row["commit"]), row


def test_every_expected_row_names_a_corpus_file() -> None:
    with (CORPUS / "EXPECTED.tsv").open(encoding="utf-8", newline="") as handle:
        ids = {row["id"] for row in csv.DictReader(handle, delimiter="\t")}
    assert ids <= {p.name[:3] for p in FILES}
    assert len(ids) > 100
