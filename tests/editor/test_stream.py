"""tagbot/editor/stream.py: a stream read document by document, and edits written only through
the documents that parse."""

from __future__ import annotations

from tagbot.editor import apply, extract, stream, yamldoc
from tagbot.editor.verify import Baseline
from tagbot.models import Update

POD = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: nginx:1.25\n"
TEMPLATE = "kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  {{- with .x }}\n  a: b\n"
TEXT = POD + "---\n" + TEMPLATE + "--- # values\n" + POD


def test_split_by_marker_lines() -> None:
    spans = stream.split(TEXT)
    assert [(s.line, TEXT[s.start : s.end].splitlines()[0]) for s in spans] == [
        (0, "apiVersion: v1"),
        (5, "---"),
        (11, "--- # values"),
    ]
    assert stream.split("a: 1\n") == [stream.Span(0, 5, 0)]


def test_composed_marks_point_into_the_stream() -> None:
    third = stream.split(TEXT)[2]
    (root,) = stream.compose_span(yamldoc.compose, TEXT, third)
    image = yamldoc.get(yamldoc.get(yamldoc.get(root, "spec"), "containers").value[0], "image")
    assert image is not None
    assert TEXT[image.start_mark.index : image.end_mark.index] == "nginx:1.25"
    assert image.start_mark.line == 16


def test_edits_go_through_the_documents_that_parse() -> None:
    result = extract("f.yaml", TEXT)
    applied = apply("f.yaml", TEXT, [Update(o, "1.27") for o in result.occurrences])
    assert applied.refused == ()
    assert applied.edit.after == TEXT.replace("nginx:1.25", "nginx:1.27")


def test_a_template_document_must_not_change() -> None:
    baseline = Baseline(TEXT)
    assert baseline.check(TEXT, []) is None
    changed = TEXT.replace("a: b", "a: c")
    assert baseline.check(changed, []) == "the template document at line 6 would change"
    assert baseline.check(TEXT.replace("--- # values\n", ""), []) == (
        "the number of documents would change"
    )
